"""NPI and CTS5, with expectations typed from prognosis.md sections 2.1 and 2.2."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.predict.scores import cts5, nottingham_prognostic_index


@pytest.mark.parametrize(
    ("size_mm", "nodes", "grade", "score", "band", "five_year"),
    [
        (10, 0, 1, 2.2, "Excellent", 0.93),  # 0.2 x 1 cm + 1 + 1
        (20, 0, 1, 2.4, "Excellent", 0.93),  # band upper limit 2.4 is inclusive
        (25, 0, 1, 2.5, "Good", 0.85),
        (20, 0, 2, 3.4, "Good", 0.85),
        (22, 1, 2, 4.44, "Moderate", 0.70),  # 1-3 nodes score 2
        (20, 3, 3, 5.4, "Moderate", 0.70),
        (25, 3, 3, 5.5, "Poor", 0.50),
        (30, 4, 3, 6.6, "Poor", 0.50),  # 4 or more nodes score 3
    ],
)
def test_npi_score_and_band(size_mm, nodes, grade, score, band, five_year):
    r = nottingham_prognostic_index(size_mm=size_mm, nodes=nodes, grade=grade)
    assert r.score == pytest.approx(score, abs=1e-9)
    assert r.band == band
    assert r.band_five_year_survival == five_year
    assert r.sources[0] == "npi-galea-1992"


def test_npi_individual_ten_year_formula():
    r = nottingham_prognostic_index(size_mm=22, nodes=1, grade=2)  # NPI 4.44
    expected = (-3.0079 * 4.44**2 + 12.30 * 4.44 + 83.84) / 100
    assert r.ten_year_survival == pytest.approx(expected, abs=1e-12)
    assert "npi-blamey-individual" in r.sources


def test_npi_individual_formula_only_inside_its_range():
    r = nottingham_prognostic_index(size_mm=100, nodes=10, grade=3)  # 2 + 3 + 3 = 8.0 > 6.9
    assert r.ten_year_survival is None
    assert any("valid for NPI" in c for c in r.caveats)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"size_mm": 0, "nodes": 0, "grade": 1}, "size_mm"), ({"size_mm": 10, "nodes": -1, "grade": 1}, "nodes"),
     ({"size_mm": 10, "nodes": 0, "grade": None}, "grade"), ({"size_mm": 10, "nodes": 0, "grade": 4}, "grade")],
)  # fmt: skip
def test_npi_bad_input(kwargs, field):
    with pytest.raises(InvalidInputError) as caught:
        nottingham_prognostic_index(**kwargs)
    assert caught.value.field == field


def _cts5(size, node_code, grade, age):
    return 0.438 * node_code + 0.988 * (0.093 * size - 0.001 * size**2 + 0.375 * grade + 0.017 * age)


@pytest.mark.parametrize(("nodes", "code"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (9, 3), (10, 4), (25, 4)])
def test_cts5_node_categories(nodes, code):
    r = cts5(size_mm=15, nodes=nodes, grade=2, age=60)
    assert r.score == pytest.approx(_cts5(15, code, 2, 60), abs=1e-12)


def test_cts5_caps_size_at_30_mm():
    assert cts5(size_mm=45, nodes=0, grade=2, age=60).score == pytest.approx(_cts5(30, 0, 2, 60), abs=1e-12)
    assert cts5(size_mm=45, nodes=0, grade=2, age=60).score == cts5(size_mm=30, nodes=0, grade=2, age=60).score


@pytest.mark.parametrize(
    ("size", "nodes", "grade", "age", "group"),
    [(10, 0, 1, 50, "low"),  # 2.646
     (20, 1, 2, 60, "intermediate"),  # 3.539
     (30, 4, 3, 70, "high")],  # 5.13
)  # fmt: skip
def test_cts5_risk_groups(size, nodes, grade, age, group):
    r = cts5(size_mm=size, nodes=nodes, grade=grade, age=age)
    assert r.risk_group == group
    assert "cts5-risk-groups" in r.sources
    assert any("unverified" in c for c in r.caveats)


def test_cts5_group_edges():
    # Low < 3.13 <= intermediate <= 3.86 < high: find ages that put the score just either side of each edge.
    base = _cts5(20, 0, 2, 0)
    age_at = {edge: (edge - base) / (0.988 * 0.017) for edge in (3.13, 3.86)}
    assert cts5(size_mm=20, nodes=0, grade=2, age=age_at[3.13] - 0.01).risk_group == "low"
    assert cts5(size_mm=20, nodes=0, grade=2, age=age_at[3.13] + 0.01).risk_group == "intermediate"
    assert cts5(size_mm=20, nodes=0, grade=2, age=age_at[3.86] - 0.01).risk_group == "intermediate"
    assert cts5(size_mm=20, nodes=0, grade=2, age=age_at[3.86] + 0.01).risk_group == "high"


def test_cts5_bad_age():
    with pytest.raises(InvalidInputError) as caught:
        cts5(size_mm=20, nodes=0, grade=2, age=150)
    assert caught.value.field == "age"
