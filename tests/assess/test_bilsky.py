"""Bilsky ESCC: research note section 3."""

import pytest

from metastasis.assess import bilsky_escc, escc_grades
from metastasis.errors import InvalidInputError

# grade -> (rank, high grade), typed from the note: labels in order 0, 1a, 1b, 1c, 2, 3; high grade = 2 and 3.
GRADES = {"0": (0, False), "1a": (1, False), "1b": (2, False), "1c": (3, False), "2": (4, True), "3": (5, True)}


@pytest.mark.parametrize(("grade", "rank", "high"), [(g, r, h) for g, (r, h) in GRADES.items()])
def test_each_label_round_trips(grade, rank, high):
    result = bilsky_escc(grade=grade)
    assert result.grade == grade
    assert result.rank == rank
    assert result.total == rank
    assert result.high_grade is high
    assert result.band == ("high_grade" if high else "low_grade")


def test_order_and_direction():
    assert escc_grades() == tuple(GRADES)
    assert bilsky_escc(grade="3").higher_is == "worse"


def test_high_grade_split_at_1c_and_2():
    assert bilsky_escc(grade="1c").high_grade is False
    assert bilsky_escc(grade="2").high_grade is True
    assert "controversial" in bilsky_escc(grade="1c").interpretation


def test_definitions_and_sources():
    assert "no CSF" in bilsky_escc(grade="3").breakdown[0].choice_label
    assert bilsky_escc(grade="0").sources == ["bilsky-2010-escc", "escc-noms-interpretation"]
    assert "separation surgery" in bilsky_escc(grade="2").action


@pytest.mark.parametrize("value", ["1", 1, 2, "1d", "2a", "1A", None, True])
def test_rejects_non_labels(value):
    with pytest.raises(InvalidInputError) as info:
        bilsky_escc(grade=value)
    assert info.value.field == "grade"
    assert info.value.allowed == "0, 1a, 1b, 1c, 2, 3"
