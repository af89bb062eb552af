from __future__ import annotations

import pytest

from metastasis.domain.biomarkers import ReceptorStatus, histologic_grade, receptor_status
from metastasis.errors import InvalidInputError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("positive", ReceptorStatus.POSITIVE),
        ("POS", ReceptorStatus.POSITIVE),
        ("+", ReceptorStatus.POSITIVE),
        (True, ReceptorStatus.POSITIVE),
        ("negative", ReceptorStatus.NEGATIVE),
        (" neg ", ReceptorStatus.NEGATIVE),
        ("-", ReceptorStatus.NEGATIVE),
        (False, ReceptorStatus.NEGATIVE),
        ("unknown", ReceptorStatus.UNKNOWN),
        (None, ReceptorStatus.UNKNOWN),
    ],
)
def test_receptor_spellings(value, expected):
    assert receptor_status(value, field="er") is expected


def test_equivocal_only_where_allowed():
    assert receptor_status("Equivocal", field="her2", equivocal_allowed=True) is ReceptorStatus.EQUIVOCAL
    with pytest.raises(InvalidInputError, match="HER2 only"):
        receptor_status("equivocal", field="er")


@pytest.mark.parametrize("value", ["yes", "", 1, 0.0, "++"])
def test_bad_receptor_values(value):
    with pytest.raises(InvalidInputError) as caught:
        receptor_status(value, field="pr")
    assert caught.value.field == "pr" and "positive" in caught.value.allowed


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), (3, 3), ("2", 2), ("G2", 2), ("g3", 3), (None, None), ("GX", None)]
)
def test_grade_spellings(value, expected):
    assert histologic_grade(value) == expected


@pytest.mark.parametrize("value", [0, 4, "G4", "high", 2.0, True])
def test_bad_grades(value):
    with pytest.raises(InvalidInputError) as caught:
        histologic_grade(value)
    assert caught.value.field == "grade"
