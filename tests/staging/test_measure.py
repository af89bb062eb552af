"""Size -> T and node counts -> pN (cut-offs typed from staging.md §2.2 and the SEER EOD mappings)."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.staging import pn_from_nodes, t_from_size


@pytest.mark.parametrize(
    ("size", "code"),
    [
        (0.5, "T1mi"),
        (1, "T1mi"),
        (1.0, "T1mi"),
        (1.01, "T1a"),  # above 1 mm but below 2 mm: T1a, never T1mi
        (1.9, "T1a"),
        (2, "T1a"),
        (5, "T1a"),
        (5.4, "T1a"),  # recorded as 5 mm
        (5.5, "T1b"),  # recorded as 6 mm
        (10, "T1b"),
        (11, "T1c"),
        (20, "T1c"),
        (20.4, "T1c"),
        (20.5, "T2"),
        (21, "T2"),
        (50, "T2"),
        (51, "T3"),
        (120, "T3"),
    ],
)
def test_size_to_t(size, code):
    result = t_from_size(size)
    assert result.code == code
    assert result.reasons and "seer-eod-2.1-breast" in result.sources
    assert result.caveats  # the rounding rule is flagged


@pytest.mark.parametrize(
    ("flags", "code"),
    [
        ({"chest_wall": True}, "T4a"),
        ({"skin": True}, "T4b"),
        ({"chest_wall": True, "skin": True}, "T4c"),
        ({"inflammatory": True}, "T4d"),
        ({"inflammatory": True, "skin": True}, "T4d"),
    ],
)
def test_extension_gives_t4_whatever_the_size(flags, code):
    assert t_from_size(8, **flags).code == code


@pytest.mark.parametrize("size", [0, -3, float("nan"), float("inf"), 990, "12", None, True])
def test_bad_sizes_are_refused(size):
    with pytest.raises(InvalidInputError) as caught:
        t_from_size(size)
    assert caught.value.field == "size_mm"


def test_flags_must_be_booleans():
    with pytest.raises(InvalidInputError) as caught:
        t_from_size(10, skin="yes")
    assert caught.value.field == "skin"


@pytest.mark.parametrize(
    ("count", "kwargs", "code"),
    [
        (0, {}, "N0"),
        (0, {"isolated_tumour_cells_only": True}, "N0(i+)"),
        (1, {"micrometastasis_only": True}, "N1mi"),
        (5, {"micrometastasis_only": True}, "N1mi"),
        (1, {}, "N1a"),
        (3, {}, "N1a"),
        (4, {}, "N2a"),
        (9, {}, "N2a"),
        (10, {}, "N3a"),
        (25, {}, "N3a"),
        (0, {"internal_mammary": "sentinel"}, "N1b"),
        (1, {"internal_mammary": "sentinel"}, "N1c"),
        (3, {"internal_mammary": "sentinel"}, "N1c"),
        (4, {"internal_mammary": "sentinel"}, "N3b"),
        (0, {"internal_mammary": "clinical"}, "N2b"),
        (2, {"internal_mammary": "clinical"}, "N3b"),
        (6, {"internal_mammary": "clinical"}, "N3b"),
        (0, {"infraclavicular": True}, "N3a"),
        (2, {"supraclavicular": True}, "N3c"),
    ],
)
def test_nodes_to_pn(count, kwargs, code):
    result = pn_from_nodes(count, **kwargs)
    assert result.code == code
    assert result.reasons[0].rule == f"nodes_to_pn.{code}"


@pytest.mark.parametrize(
    ("count", "kwargs", "field"),
    [
        (-1, {}, "positive_axillary"),
        (100, {}, "positive_axillary"),
        (2.0, {}, "positive_axillary"),
        (True, {}, "positive_axillary"),
        (2, {"isolated_tumour_cells_only": True}, "isolated_tumour_cells_only"),
        (0, {"micrometastasis_only": True}, "micrometastasis_only"),
        (2, {"micrometastasis_only": True, "internal_mammary": "sentinel"}, "micrometastasis_only"),
        (2, {"internal_mammary": "yes"}, "internal_mammary"),
        (2, {"supraclavicular": 1}, "supraclavicular"),
    ],
)
def test_bad_node_inputs_are_refused(count, kwargs, field):
    with pytest.raises(InvalidInputError) as caught:
        pn_from_nodes(count, **kwargs)
    assert caught.value.field == field
