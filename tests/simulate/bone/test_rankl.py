"""Lemaire 2004 RANKL/OPG model: research note bone_models.md section 3.1 (parameters, steady state
R = 7.734e-4, B = 7.283e-4, C = 9.128e-4 pM, pi_P = 0.01938)."""

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import Lemaire2004, denosumab, zoledronic_acid


@pytest.fixture(scope="module")
def model():
    return Lemaire2004()


def test_published_steady_state(model):
    r, b, c = model.steady_state()
    assert r == pytest.approx(7.734e-4, rel=5e-4)
    assert b == pytest.approx(7.283e-4, rel=5e-4)
    assert c == pytest.approx(9.128e-4, rel=5e-4)


def test_pth_occupancy(model):
    assert model.pth_occupancy() == pytest.approx(0.01938, rel=5e-4)


def test_rankl_binding_denominator(model):
    # 1 + k3 K / k4 + k1 / (k2 kO) * K_OP / pi_P * R, with the note's values
    expected = 1 + 5.8e-4 * 10 / 1.7e-2 + 1e-2 / (10 * 0.35) * (2e5 / 0.01938 * 7.734e-4)
    assert model.rankl_denominator() == pytest.approx(expected, rel=1e-3)


def test_steady_state_is_stationary(model):
    run = model.simulate(days=200)
    ss = model.steady_state()
    assert run.osteoclasts == pytest.approx(np.full(run.t.size, ss[2]), rel=1e-7)
    assert run.series["responding_osteoblasts"] == pytest.approx(np.full(run.t.size, ss[0]), rel=1e-7)


def test_rankl_quantities_are_explicit_and_consistent(model):
    run = model.simulate(days=10)
    p = model.parameters
    assert run.series["rankl_free"] == pytest.approx(run.series["rankl_total"] / model.rankl_denominator(), rel=1e-6)
    assert run.series["rank_occupancy"] == pytest.approx(p["k3"] / p["k4"] * run.series["rankl_free"], rel=1e-9)
    assert run.bone_mass is None


def test_pth_raises_rankl_and_osteoclasts(model):
    run = model.simulate(days=300, pth_input=100, input_start=20)
    assert run.value_at("rankl_free", 300) > 1.2 * run.value_at("rankl_free", 10)
    assert run.value_at("osteoclasts", 300) > 1.2 * run.value_at("osteoclasts", 10)
    assert model.steady_state(pth_input=100)[2] == pytest.approx(run.value_at("osteoclasts", 300), rel=1e-3)


def test_opg_lowers_osteoclasts(model):
    run = model.simulate(days=300, opg_input=2e4, input_start=20)
    assert run.value_at("osteoclasts", 300) < 0.8 * run.value_at("osteoclasts", 10)


def test_denosumab_suppresses_rankl_then_turnover_recovers(model):
    run = model.simulate(days=720, treatment=denosumab(start_day=30, n_doses=1))
    baseline = run.value_at("osteoclasts", 29)
    assert run.value_at("rankl_free_fraction", 60) < 0.1
    assert run.value_at("osteoclasts", 90) < 0.3 * baseline
    # one dose wears off: free RANKL and osteoclasts come back
    assert run.value_at("rankl_free_fraction", 720) > 0.8
    assert run.value_at("osteoclasts", 720) > 0.7 * baseline


def test_only_denosumab_acts_on_rankl(model):
    with pytest.raises(InvalidInputError) as info:
        model.simulate(days=30, treatment=zoledronic_acid())
    assert info.value.field == "treatment"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"pth_input": -1}, "pth_input"), ({"initial": (1e-3, 0, 1e-3)}, "initial"), ({"input_start": -2}, "input_start")],
)
def test_bad_input(model, kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        model.simulate(days=30, **kwargs)
    assert info.value.field == field


def test_bad_parameter():
    with pytest.raises(InvalidInputError) as info:
        Lemaire2004(K_LP=-3e6)
    assert info.value.field == "K_LP"
