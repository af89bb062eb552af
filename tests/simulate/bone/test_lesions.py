"""Lesion phenotypes: the osteolytic regime is Ayati 2010's published Figs. 4-5 set (research note 2.3); the
osteoblastic and mixed regimes are documented assumptions; primary-cancer labels follow the radiology sources
(breast and lung typically lytic, prostate typically sclerotic, breast/lung/GI can be mixed)."""

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import Ayati2010, lesion, lesions


@pytest.fixture(scope="module")
def runs():
    return {item.id: item.model().simulate(days=1826) for item in lesions()}


def test_three_phenotypes():
    assert [item.id for item in lesions()] == ["osteolytic", "osteoblastic", "mixed"]


def test_osteolytic_is_the_published_regime():
    item = lesion("osteolytic")
    assert not item.assumption
    assert item.overrides == {}
    model = item.model()
    assert model.parameters == Ayati2010("tumour").parameters
    assert model.parameters["r11"] == 0.005 and model.parameters["r22"] == 0.2


@pytest.mark.parametrize("name", ["osteoblastic", "mixed"])
def test_other_regimes_are_flagged_assumptions(name):
    item = lesion(name)
    assert item.assumption
    assert "bone-sim-assumptions" in item.sources


@pytest.mark.parametrize(
    ("name", "cancer"),
    [("osteolytic", "breast"), ("osteolytic", "kidney"), ("osteoblastic", "prostate"), ("mixed", "breast")],
)
def test_primary_cancer_labels(name, cancer):
    assert any(cancer in p.cancer for p in lesion(name).primaries)


def test_osteolytic_destroys_bone(runs):
    run = runs["osteolytic"]
    assert run.value_at("bone_mass", 1826) < 10
    assert run.series["resorbed_total"][-1] > 2 * run.series["formed_total"][-1]


def test_osteoblastic_builds_bone(runs):
    run = runs["osteoblastic"]
    assert run.value_at("bone_mass", 1826) > 140
    assert run.series["formed_total"][-1] > 2 * run.series["resorbed_total"][-1]


def test_mixed_turns_over_bone_both_ways(runs):
    run = runs["mixed"]
    resorbed, formed = run.series["resorbed_total"][-1], run.series["formed_total"][-1]
    assert resorbed > 50 and formed > 50
    assert abs(resorbed - formed) < 0.2 * resorbed
    assert 85 < run.value_at("bone_mass", 1826) < 115
    assert np.ptp(run.bone_mass) > 10


def test_unknown_lesion():
    with pytest.raises(InvalidInputError) as info:
        lesion("sclerotic")
    assert info.value.field == "lesion"
    assert "osteoblastic" in info.value.allowed
