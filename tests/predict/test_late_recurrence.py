"""Late recurrence: Pan 2017 (T x N, years 5-20) and Colleoni 2016 hazards, typed from spread_models.md §4."""

from __future__ import annotations

import itertools

import pytest
import textstat

from metastasis.errors import InvalidInputError
from metastasis.predict.late_recurrence import late_recurrence, recurrence_hazards

PAN = {("T1", "N0"): 0.13, ("T1", "N1-3"): 0.20, ("T1", "N4-9"): 0.34,
       ("T2", "N0"): 0.19, ("T2", "N1-3"): 0.26, ("T2", "N4-9"): 0.41}  # fmt: skip
SIZES = {"T1": [0.5, 12, 20], "T2": [20.5, 35, 50]}
NODES = {"N0": [0], "N1-3": [1, 2, 3], "N4-9": [4, 7, 9]}


@pytest.mark.parametrize(("t", "n"), list(PAN))
def test_every_published_cell(t, n):
    for size in SIZES[t]:
        for nodes in NODES[n]:
            r = late_recurrence(size_mm=size, nodes=nodes)
            assert (r.t_group, r.n_group) == (t, n)
            assert r.risk_years_5_to_20 == PAN[(t, n)]
            assert r.by_year[0].year == 5 and r.by_year[0].cumulative_risk == 0
            assert r.by_year[-1].year == 20 and r.by_year[-1].cumulative_risk == pytest.approx(PAN[(t, n)])


def test_t2_rows_are_flagged_as_secondary():
    assert any("single secondary" in c for c in late_recurrence(size_mm=30, nodes=0).caveats)
    assert not any("single secondary" in c for c in late_recurrence(size_mm=10, nodes=0).caveats)


def test_by_year_rises_steadily():
    risks = [y.cumulative_risk for y in late_recurrence(size_mm=30, nodes=5).by_year]
    assert all(b > a for a, b in itertools.pairwise(risks))


@pytest.mark.parametrize(("size", "nodes", "field"), [(0, 0, "size_mm"), (51, 0, "size_mm"), (10, 10, "nodes"),
                                                      (10, -1, "nodes"), (10, 1.5, "nodes")])  # fmt: skip
def test_outside_the_table(size, nodes, field):
    with pytest.raises(InvalidInputError) as caught:
        late_recurrence(size_mm=size, nodes=nodes)
    assert caught.value.field == field


def test_patient_explanation_is_plain_and_says_what_to_do():
    text = late_recurrence(size_mm=15, nodes=0).patient_explanation
    assert "10, 15 or even 20 years" in text
    assert "What to do now" in text
    assert textstat.flesch_kincaid_grade(text) <= 9


def test_colleoni_hazards_by_er_status():
    pos = recurrence_hazards(er="positive")
    neg = recurrence_hazards(er="negative")
    assert [i.annual_hazard for i in pos.intervals] == [0.099, 0.054, 0.029, 0.028, 0.013]
    assert [i.annual_hazard for i in neg.intervals] == [0.115, 0.033, 0.013, 0.012, 0.014]
    assert [(i.start_year, i.end_year) for i in pos.intervals] == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 25)]
    # first five years: 1 - (1 - 0.099)^5
    assert pos.recurrence_free[4].cumulative_risk == pytest.approx(1 - 0.901**5)
    assert len(pos.recurrence_free) == 25


@pytest.mark.parametrize(("nodes", "late"), [("N0", [0.020, 0.021, 0.011]), ("N1-3", [0.030, 0.035, 0.015])])
def test_colleoni_node_specific_late_hazards(nodes, late):
    r = recurrence_hazards(er="positive", nodes=nodes)
    assert [i.annual_hazard for i in r.intervals] == [0.099, 0.054, *late]


def test_colleoni_bad_input():
    with pytest.raises(InvalidInputError):
        recurrence_hazards(er="unknown")
    with pytest.raises(InvalidInputError) as caught:
        recurrence_hazards(er="negative", nodes="N0")
    assert caught.value.field == "nodes"
