"""Ayati 2010: research note bone_models.md sections 2.1 (steady state, stability index and its factor of 2),
2.3 (parameter sets) and 2.5 (re-simulation of the BioModels equations). Values typed from the note."""

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import Ayati2010, Komarova2003


@pytest.fixture(scope="module")
def fig4_raw():
    return Ayati2010("tumour").simulate(days=3000, floor=False, step=1.0)


@pytest.fixture(scope="module")
def treated_raw():
    return Ayati2010("tumour_treated").simulate(days=3000, floor=False, step=1.0)


def first_day(run, mask, after=0.0):
    hits = np.flatnonzero(mask & (run.t >= after))
    return run.t[hits[0]]


# --- steady states and stability index -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter_set", "c_bar", "b_bar", "tol_c", "tol_b"),
    [
        ("tumour", 5.0, 316.0, 0.01, 0.15),
        ("tumour_unstable", 5.46, 340.52, 0.01, 0.01),
        ("tumour_treated", 4.99, 315.9, 0.005, 0.05),
    ],
)
def test_steady_state_at_full_burden(parameter_set, c_bar, b_bar, tol_c, tol_b):
    c, b = Ayati2010(parameter_set).steady_state()
    assert c == pytest.approx(c_bar, abs=tol_c)
    assert b == pytest.approx(b_bar, abs=tol_b)


def test_stability_index_and_the_factor_of_two():
    damped, unstable = Ayati2010("tumour"), Ayati2010("tumour_unstable")
    assert damped.stability_index == pytest.approx(-0.0029)
    assert unstable.stability_index == pytest.approx(0.0004)
    # the paper quotes half of these values (the real part of the eigenvalues)
    assert damped.stability_index / 2 == pytest.approx(-0.00145)
    assert unstable.stability_index / 2 == pytest.approx(0.0002)


def test_normal_set_is_komarova_single_cycle():
    ayati = Ayati2010("normal").simulate(days=400)
    x1, x2 = Komarova2003("single_cycle").steady_state()
    komarova = Komarova2003("single_cycle").simulate(
        days=400, osteoclast_excess=11.06 - x1, osteoblast_excess=212.13 - x2
    )
    assert np.all(ayati.series["tumour"] == 0)
    assert ayati.bone_mass[-1] == pytest.approx(komarova.bone_mass[-1], abs=1e-5)  # rtol 1e-9 vs 1e-10


# --- untreated tumour, Figs. 4-5 (note 2.5) -------------------------------------------------------------


def test_fig4_tumour_and_bone_mass(fig4_raw):
    run = fig4_raw
    assert run.value_at("tumour", 600) == pytest.approx(79.5, abs=0.05)
    expected = {200: 108.7, 400: 92.1, 600: 97.0, 800: 67.1, 1000: 35.7}
    for day, z in expected.items():
        assert run.value_at("bone_mass", day) == pytest.approx(z, abs=0.05), day


def test_fig4_bone_mass_crosses_zero_without_floor(fig4_raw):
    assert fig4_raw.day_bone_exhausted == pytest.approx(1199, abs=0.5)
    assert fig4_raw.value_at("bone_mass", 3000) == pytest.approx(-86, abs=0.5)


def test_fig4_osteoclast_peaks(fig4_raw):
    assert fig4_raw.osteoclast_peaks[1][:5] == pytest.approx([15.2, 24.0, 28.8, 24.7, 19.6], abs=0.05)


def test_fig6_unstable_growing_oscillations():
    run = Ayati2010("tumour_unstable").simulate(days=2000, floor=False)
    assert run.day_bone_exhausted == pytest.approx(1143, abs=1)
    assert run.osteoclast_peaks[1][1:7] == pytest.approx([11.1, 19.5, 29.2, 35.6, 39.5, 42.6], abs=0.1)


def test_floor_holds_bone_at_zero(fig4_raw):
    floored = Ayati2010("tumour").simulate(days=3000, step=1.0)
    assert floored.bone_mass.min() >= 0
    assert floored.day_bone_exhausted == pytest.approx(fig4_raw.day_bone_exhausted, abs=1e-9)
    m = floored.milestones()
    assert m.minimum == 0 and m.day_of_minimum == pytest.approx(1199, abs=0.5)
    # before the floor is reached the two runs are identical
    early = floored.t < 1190
    assert floored.bone_mass[early] == pytest.approx(fig4_raw.bone_mass[early], abs=1e-12)
    # on the floor, bone can only be rebuilt: z stays >= 0 and rises only when formation exceeds resorption
    assert floored.bone_mass[-1] >= 0


# --- treatment, Figs. 9-10 (note 2.5) -------------------------------------------------------------------


def test_treated_bone_minimum_and_recovery(treated_raw):
    run = treated_raw
    assert run.value_at("bone_mass", 600) == pytest.approx(76.3, abs=0.05)
    m = run.milestones()
    assert m.minimum == pytest.approx(54.8, abs=0.05)
    assert m.day_of_minimum == pytest.approx(1001, abs=1)
    assert run.value_at("bone_mass", 3000) == pytest.approx(98.2, abs=0.05)
    assert m.minimum > 0  # no floor needed


def test_treated_tumour_extinction(treated_raw):
    run = treated_raw
    tumour = run.series["tumour"]
    assert first_day(run, tumour < 50, after=600) == pytest.approx(969, abs=1)
    assert first_day(run, tumour < 1, after=600) == pytest.approx(1600, abs=1)
    assert first_day(run, tumour < 0.01, after=600) == pytest.approx(1831, abs=1)


def test_treated_bone_constant_after_extinction():
    run = Ayati2010("tumour_treated").simulate(days=3600, floor=False)
    assert run.value_at("bone_mass", 3600) == pytest.approx(run.value_at("bone_mass", 3000), abs=0.01)


def test_untreated_from_the_treated_start():
    run = Ayati2010("tumour_treated", v1=0, v2=0).simulate(days=1400, floor=False)
    assert run.value_at("bone_mass", 600) == pytest.approx(76.3, abs=0.05)
    assert run.value_at("bone_mass", 1000) == pytest.approx(23.0, abs=0.05)
    assert run.day_bone_exhausted == pytest.approx(1288, abs=1)


def test_cumulative_resorption_and_formation_add_up(fig4_raw):
    run = fig4_raw
    net = 100 + run.series["formed_total"] - run.series["resorbed_total"]
    assert net == pytest.approx(run.bone_mass, abs=1e-6)


# --- bad input ---------------------------------------------------------------------------------------------


def test_r12_must_keep_the_exponent_finite():
    with pytest.raises(InvalidInputError) as info:
        Ayati2010("tumour", r12=-1.0)
    assert info.value.field == "r12"


def test_negative_rate():
    with pytest.raises(InvalidInputError) as info:
        Ayati2010("tumour", gamma_t=-0.01)
    assert info.value.field == "gamma_t"


@pytest.mark.parametrize(
    ("initial", "field"),
    [({"osteoclasts": 0}, "initial.osteoclasts"), ({"tumour": -1}, "initial.tumour"), ({"cells": 3}, "initial.cells")],
)
def test_bad_initial_conditions(initial, field):
    with pytest.raises(InvalidInputError) as info:
        Ayati2010("tumour").simulate(days=10, initial=initial)
    assert info.value.field == field
