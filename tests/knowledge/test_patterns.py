"""Disease-pattern helpers: bone-only/visceral/multi-organ, oligometastatic and de novo vs recurrent."""

from __future__ import annotations

import datetime as dt

import pytest

from metastasis.errors import InvalidInputError
from metastasis.knowledge import assess_oligometastatic, classify_pattern, classify_presentation


@pytest.mark.parametrize(
    ("sites", "category", "multi"),
    [
        (["bone"], "bone_only", False),
        (["spine_lumbar", "pelvis", "ribs"], "bone_only", False),
        (["bone", "liver"], "visceral", True),
        (["brain"], "visceral", False),
        (["bone", "nodes_distant"], "non_visceral", True),
        (["skin_chest_wall"], "non_visceral", False),
        (["lung", "liver", "bone"], "visceral", True),
    ],
)
def test_pattern_categories(sites, category, multi):
    result = classify_pattern(sites)
    assert result.category.value == category
    assert result.multi_organ is multi
    assert result.reasons and result.sources


def test_brain_counts_as_visceral_and_cns():
    result = classify_pattern(["brain", "bone"])
    assert result.visceral and result.cns and not result.bone_only


def test_regional_nodes_are_ignored_and_alone_are_refused():
    result = classify_pattern(["bone", "nodes_regional"])
    assert result.bone_only and result.organs == ["bone"]
    assert any("Regional lymph nodes" in c for c in result.caveats)
    with pytest.raises(InvalidInputError):
        classify_pattern(["nodes_regional"])


@pytest.mark.parametrize(
    ("count", "treatable", "expected"),
    [(1, True, True), (5, True, True), (6, True, False), (5, False, False), (3, None, None), (12, None, False)],
)
def test_oligometastatic_threshold_of_five(count, treatable, expected):
    result = assess_oligometastatic(count, all_treatable_locally=treatable)
    assert result.oligometastatic is expected
    assert result.max_lesions == 5
    assert "estro-astro-2020-omd" in result.sources


def test_oligometastatic_flags_the_unread_abc_source():
    assert any("eso-esmo-abc5" in caveat for caveat in assess_oligometastatic(2).caveats)


@pytest.mark.parametrize("count", [0, -1, 2.5, True, "3"])
def test_oligometastatic_rejects_bad_counts(count):
    with pytest.raises(InvalidInputError):
        assess_oligometastatic(count)


@pytest.mark.parametrize(
    ("diagnosis", "metastasis", "expected"),
    [
        (dt.date(2021, 3, 1), dt.date(2021, 3, 1), "de_novo"),
        (dt.date(2021, 3, 1), dt.date(2021, 7, 1), "de_novo"),  # exactly 4 months
        (dt.date(2021, 3, 1), dt.date(2021, 7, 2), "recurrent"),
        (dt.date(2021, 10, 31), dt.date(2022, 2, 28), "de_novo"),  # month end clamps to 28 Feb
        (dt.date(2021, 10, 31), dt.date(2022, 3, 1), "recurrent"),
        (dt.date(2012, 5, 20), dt.date(2019, 1, 5), "recurrent"),
    ],
)
def test_de_novo_window_of_four_months(diagnosis, metastasis, expected):
    result = classify_presentation(diagnosis, metastasis)
    assert result.presentation.value == expected
    assert result.window_months == 4
    assert any("ajcc-staging-time-frame" in c for c in result.caveats)  # the window is flagged unverified


def test_window_can_be_changed_and_bad_dates_are_refused():
    assert classify_presentation(dt.date(2021, 1, 1), dt.date(2021, 6, 1), window_months=6).presentation.value == (
        "de_novo"
    )
    with pytest.raises(InvalidInputError):
        classify_presentation(dt.date(2021, 1, 1), dt.date(2020, 12, 31))
    with pytest.raises(InvalidInputError):
        classify_presentation("2021-01-01", dt.date(2021, 2, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        classify_presentation(dt.date(2021, 1, 1), dt.date(2021, 2, 1), window_months=-1)
