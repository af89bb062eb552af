"""A lesion with and without a bone-targeted drug: treatment must visibly and measurably reduce bone loss in
the osteolytic scenario (issue 7), and the summary must carry milestones, reasons, caveats and sources."""

import json

import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import simulate_lesion, zoledronic_acid


@pytest.fixture(scope="module")
def lytic_denosumab():
    return simulate_lesion("osteolytic", "denosumab", start_day=180, years=5)


def test_denosumab_reduces_bone_loss_in_osteolytic_lesion(lytic_denosumab):
    s = lytic_denosumab.summary
    assert s.untreated.minimum_after_start == 0.0  # untreated: local bone exhausted
    assert s.untreated.day_bone_exhausted == pytest.approx(1199, abs=1)
    assert s.treated.minimum_after_start > 100
    assert s.loss_prevented > 100
    assert s.treated.final - s.untreated.final > 100


def test_both_arms_share_the_run_before_the_start(lytic_denosumab):
    untreated, treated = lytic_denosumab.untreated, lytic_denosumab.treated
    before = untreated.t < 180
    assert treated.bone_mass[before] == pytest.approx(untreated.bone_mass[before], abs=1e-6)  # step sequences differ
    assert treated.treatment_start == 180


def test_zoledronic_acid_reduces_bone_loss():
    s = simulate_lesion("osteolytic", "zoledronic-acid", start_day=180, years=5).summary
    assert s.loss_prevented > 100
    assert "zoledronic_acid_bone_mg" not in s.model_dump()  # series stay in the runs, not the summary


def test_untreated_only():
    scenario = simulate_lesion("mixed", "none", years=2)
    assert scenario.treated is None
    assert scenario.summary.treated is None and scenario.summary.loss_prevented is None


def test_ready_made_regimen():
    scenario = simulate_lesion("osteolytic", zoledronic_acid(start_day=90, schedule="q12w"), years=1)
    assert scenario.summary.start_day == 90
    assert "every 84 days" in scenario.summary.treatment_label


def test_summary_is_json_with_sources_and_caveats(lytic_denosumab):
    data = json.loads(lytic_denosumab.summary.model_dump_json())
    assert data["untreated"]["minimum"] == 0.0
    for source in ("ayati-2010", "stopeck-2010", "gibiansky-2012", "lemaire-2004"):
        assert source in data["sources"]
    assert any("vicious cycle" in c for c in data["caveats"])


def test_assumed_regimes_say_so():
    s = simulate_lesion("osteoblastic", "none", years=1).summary
    assert "assumption" in s.caveats[0]


def test_unverified_sources_appear_as_caveats():
    s = simulate_lesion("osteolytic", "zoledronic-acid", schedule="q12w", years=1).summary
    assert any("[za-12-weekly-schedule]" in c for c in s.caveats)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lesion_name": "blastic"}, "lesion"),
        ({"treatment": "pamidronate"}, "treatment"),
        ({"start_day": -1}, "start_day"),
        ({"start_day": 4000}, "start_day"),
        ({"years": 0}, "years"),
        ({"interval_days": 0}, "interval_days"),
        ({"dose_mg": -120}, "dose_mg"),
        ({"schedule": "q12w"}, "schedule"),  # a zoledronic-acid schedule for denosumab
    ],
)
def test_bad_input(kwargs, field):
    args = {"lesion_name": "osteolytic", "treatment": "denosumab", "years": 1, **kwargs}
    with pytest.raises(InvalidInputError) as info:
        simulate_lesion(**args)
    assert info.value.field == field
