"""The assumed link from resorption to skeletal-related events: calibrated to Kohno 2005 (placebo 49.6 %, zoledronic
acid 29.8 % with at least one SRE over one year), checked against Stopeck 2010 (HR 0.82, 0.71-0.95) and Peddi
2012 (RR 0.84, 0.80-0.88). Research note bone_models.md sections 5 and 6.4."""

import math

import pytest

from metastasis.simulate.bone import simulate_lesion
from metastasis.simulate.bone.sre import calibrate, validation


def test_calibration_reproduces_both_trial_arms():
    link = calibrate()
    resorbed = link.model_resorbed
    assert link.probability(resorbed["untreated"], 365) == pytest.approx(0.496, abs=1e-9)
    assert link.probability(resorbed["treated"], 365) == pytest.approx(0.298, abs=1e-9)
    assert link.baseline_per_year >= 0 and link.per_percent_resorbed > 0


def test_calibration_cites_the_trial_and_flags_the_assumption():
    link = calibrate()
    assert "kohno-2005-zoledronic-breast" in link.sources
    assert "bone-sim-assumptions" in link.sources
    assert any("ASSUMPTION" in c for c in link.caveats)


def test_probability_grows_with_resorption():
    link = calibrate()
    assert link.probability(0, 365) == pytest.approx(1 - math.exp(-link.baseline_per_year / 365.25 * 365))
    assert link.probability(50, 365) > link.probability(10, 365)


def test_validation_reports_the_trial_numbers_it_was_not_fitted_to():
    result = validation()
    by_id = {c.id: c for c in result.checks}
    assert by_id["stopeck-2010-hr"].trial_value == 0.82
    assert by_id["stopeck-2010-hr"].trial_interval == (0.71, 0.95)
    assert by_id["peddi-2012-rr"].trial_value == 0.84
    for check in result.checks:
        assert check.within_interval == (check.trial_interval[0] <= check.model_value <= check.trial_interval[1])
        assert 0 < check.model_value <= 1.0 + 1e-9
    assert "stopeck-2010" in result.sources


def test_scenario_sre_estimate_is_labelled_an_assumption():
    s = simulate_lesion("osteolytic", "denosumab", start_day=180, years=2, sre=True).summary
    assert s.sre is not None and s.sre.window_days == 365
    assert s.sre.untreated == pytest.approx(0.496, abs=1e-6)
    assert s.sre.treated < s.sre.untreated
    assert any("MODELLING ASSUMPTION" in c for c in s.caveats)


def test_sre_window_is_shortened_to_fit_the_run():
    s = simulate_lesion("osteolytic", "denosumab", start_day=180, years=0.75, sre=True).summary
    assert s.sre.window_days == pytest.approx(0.75 * 365.25 - 180)
    assert any("shortened" in c for c in s.caveats)
