"""Denosumab and zoledronic acid: schedules, PK and PD. Expected values typed from research note
bone_models.md sections 3.10 (denosumab PK/PD: Gibiansky 2012, bone-models/Martinez-Reina, Xgeva label) and
3.11 (zoledronic acid: Chen 2002)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import DosingSchedule, denosumab, regimen, zoledronic_acid
from metastasis.simulate.bone.drugs import DenosumabPK, _linear_one_compartment, _tabulated_one_compartment

LABEL_TROUGH_UG_PER_ML = 20.6  # Xgeva label: mean trough with 120 mg every 4 weeks at steady state


def test_schedule_presets():
    onc = denosumab()
    assert (onc.schedule.dose_mg, onc.schedule.interval_days) == (120, 28)
    osteo = denosumab(schedule="osteoporosis")
    assert osteo.schedule.dose_mg == 60 and osteo.schedule.interval_days == pytest.approx(182.5)
    assert (zoledronic_acid().schedule.dose_mg, zoledronic_acid().schedule.interval_days) == (4, 28)
    assert zoledronic_acid(schedule="q12w").schedule.interval_days == 84


def test_caller_chooses_start_dose_and_interval():
    reg = denosumab(start_day=100, dose_mg=60, interval_days=90)
    assert reg.schedule.dose_days(400).tolist() == [100, 190, 280, 370]
    assert reg.reasons[0].sources == ("bone-sim-assumptions",)  # a caller-chosen schedule cites no trial


def test_n_doses_limits_the_schedule():
    assert DosingSchedule(4, 28, 0, n_doses=3).dose_days(1000).tolist() == [0, 28, 56]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"interval_days": 0}, "interval_days"),
        ({"interval_days": -28}, "interval_days"),
        ({"dose_mg": 0}, "dose_mg"),
        ({"start_day": -1}, "start_day"),
        ({"n_doses": 0}, "n_doses"),
        ({"schedule": "weekly"}, "schedule"),
    ],
)
def test_bad_schedules(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        zoledronic_acid(**kwargs)
    assert info.value.field == field


def test_unknown_drug_and_pk_preset():
    with pytest.raises(InvalidInputError) as info:
        regimen("pamidronate")
    assert info.value.field == "treatment"
    with pytest.raises(InvalidInputError) as info:
        denosumab(pk="nonlinear")
    assert info.value.field == "pk"


# --- denosumab PK ----------------------------------------------------------------------------------------


def test_gibiansky_preset_values():
    pk = DenosumabPK.from_preset("gibiansky-2012-central")
    assert pk.bioavailability == 0.61
    assert pk.ka == pytest.approx(math.log(2) / 2.7)
    assert pk.volume_ml == 2620
    assert pk.kel == pytest.approx(3.25 * 24 / 2620)


def test_martinez_reina_preset_values():
    pk = DenosumabPK.from_preset("martinez-reina-2019")
    assert (pk.bioavailability, pk.ka, pk.kel, pk.km_ng_per_ml) == (1.0, 0.17, 0.0115, 411)
    assert pk.volume_ml == pytest.approx(77.9 * 60)
    assert pk.vmax_ng_per_day == pytest.approx(2672 * 60)


def test_oncology_trough_matches_the_label():
    bound = denosumab().bind(400)
    trough = bound.concentration(336 - 1e-9) / 1000  # just before the 13th dose, steady state
    assert trough == pytest.approx(LABEL_TROUGH_UG_PER_ML, rel=0.25)
    assert bound.concentration(308 - 1e-9) / 1000 == pytest.approx(trough, rel=0.02)  # steady state by ~6 months


def test_martinez_reina_overestimates_oncology_troughs():
    bound = denosumab(pk="martinez-reina-2019").bind(400)
    assert bound.concentration(336 - 1e-9) / 1000 > 2 * LABEL_TROUGH_UG_PER_ML


def test_terminal_half_life_within_label_range():
    bound = denosumab(n_doses=1).bind(400)
    c1, c2 = bound.concentration(200), bound.concentration(250)
    half_life = 50 * math.log(2) / math.log(c1 / c2)
    assert 14 <= half_life <= 55  # label: 28 days (14-55)


def test_closed_form_agrees_with_the_numerical_solution():
    pk = DenosumabPK.from_preset("gibiansky-2012-central")
    doses = np.array([0.0, 28.0, 56.0])
    closed = _linear_one_compartment(doses, 120e6, pk)
    numeric = _tabulated_one_compartment(doses, 120e6, pk, 120.0)
    for t in (1.0, 10.0, 27.5, 40.0, 100.0):
        assert numeric(t) == pytest.approx(closed(t), rel=1e-3)


def test_concentration_unit_conversion():
    pk = DenosumabPK.from_preset()
    # 1 ng/mL of a 149 kDa antibody is 1e-6 g/L / 149000 g/mol = 6.71 pM
    assert pk.ng_per_ml_to_pm(1.0) == pytest.approx(6.711, rel=1e-3)


# --- PD -------------------------------------------------------------------------------------------------------


def test_denosumab_scales_osteoclast_production_by_free_rankl():
    bound = denosumab(start_day=10).bind(200)
    assert bound.production_factor(5) == 1.0
    assert bound.removal_factor(50) == 1.0
    c_pm = bound.concentration(50) * 1e6 / 149000
    d0 = 1 + 5.8e-4 * 10 / 1.7e-2 + 1e-2 / (10 * 0.35) * (2e5 / 0.01938 * 7.734e-4)  # Lemaire baseline
    expected = d0 / (d0 + 0.012 * 0.333 * c_pm)
    assert bound.production_factor(50) == pytest.approx(expected, rel=1e-3)
    assert bound.production_factor(50) < 0.1


def test_zoledronic_acid_bone_bound_pk():
    bound = zoledronic_acid(n_doses=1).bind(400)
    retained = 4 * (1 - np.mean([38, 41, 37]) / 100)
    assert bound.exposure(0) == pytest.approx(retained)
    assert bound.exposure(4526 / 24) == pytest.approx(retained / 2, rel=1e-9)


def test_zoledronic_acid_raises_osteoclast_removal_within_emax():
    bound = zoledronic_acid().bind(1000)
    values = [bound.removal_factor(t) for t in np.linspace(0, 1000, 101)]
    assert min(values) > 1.0 and max(values) < 2.0
    assert bound.production_factor(100) == 1.0
    assert zoledronic_acid().caveats  # the effect size is an assumption and says so


@settings(max_examples=30, deadline=None)
@given(
    dose=st.floats(1, 240),
    interval=st.floats(7, 200),
    start=st.floats(0, 100),
    t=st.floats(0, 700),
)
def test_exposure_is_finite_and_non_negative(dose, interval, start, t):
    den = denosumab(dose_mg=dose, interval_days=interval, start_day=start).bind(700)
    za = zoledronic_acid(dose_mg=dose, interval_days=interval, start_day=start).bind(700)
    for value in (den.concentration(t), za.exposure(t)):
        assert math.isfinite(value) and value >= 0
    assert 0 < den.production_factor(t) <= 1
