"""Closed-form prognostic scores for early breast cancer: Nottingham Prognostic Index and CTS5.

Example
-------
>>> r = nottingham_prognostic_index(size_mm=22, nodes=1, grade=2)
>>> round(r.score, 2), r.band
(4.44, 'Moderate')
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.predict._data import data_file


def _tables() -> dict[str, Any]:
    return data_file("scores.yaml")


def _count(name: str, value: Any, high: int = 100) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InvalidInputError(name, value, f"a whole number from 0 to {high}")
    return value


def _size(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 500:
        raise InvalidInputError("size_mm", value, "a number of millimetres > 0 and <= 500")
    return float(value)


def _grade(value: Any) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3):
        raise InvalidInputError("grade", value, "1, 2 or 3", detail="the score needs a known grade")
    return int(value)


def _category(rows: list[list[Any]], nodes: int) -> int:
    for low, high, code in rows:
        if nodes >= low and (high is None or nodes <= high):
            return code
    raise AssertionError("node categories cover every count")  # the data file is checked by tests


class NPIResult(Evidenced):
    """Nottingham Prognostic Index with its band and the survival figures published for it."""

    score: float
    node_points: int
    band: str = Field(description="Excellent, Good, Moderate or Poor (Galea 1992).")
    band_five_year_survival: float = Field(description="Five-year survival quoted for the band (fraction).")
    ten_year_survival: float | None = Field(
        description="Blamey's individual 10-year survival estimate (fraction); None outside NPI 2.0-6.9."
    )


def nottingham_prognostic_index(*, size_mm: float, nodes: int, grade: int) -> NPIResult:
    """NPI = 0.2 x size (cm) + node points (1: none, 2: 1-3, 3: 4 or more positive nodes) + grade.

    Parameters
    ----------
    size_mm:
        Invasive tumour size in millimetres.
    nodes:
        Number of positive lymph nodes.
    grade:
        Histological grade 1, 2 or 3.

    References
    ----------
    Galea MH et al., Breast Cancer Res Treat 1992;22:207-19; Blamey RW et al., "Reading the prognosis of the
    individual with breast cancer".
    """
    table = _tables()["npi"]
    size, count, g = _size(size_mm), _count("nodes", nodes), _grade(grade)
    points = _category(table["node_points"], count)
    score = table["size_weight_per_cm"] * size / 10 + points + g
    band = next(b for b in table["bands"] if b["upper"] is None or score <= b["upper"])
    individual = table["individual_ten_year"]
    low, high = individual["valid_range"]
    ten_year = None
    if low <= score <= high:
        ten_year = (individual["quadratic"] * score**2 + individual["linear"] * score + individual["constant"]) / 100
    reasons = [
        Reason(
            rule="npi.formula",
            text=f"NPI = 0.2 x {size / 10:g} cm + {points} (node points for {count} nodes) + grade {g} = {score:.2f}.",
            sources=table["sources"],
        ),
        Reason(
            rule=f"npi.band:{band['label']}",
            text=f"{band['label']} prognostic group; five-year survival quoted {band['five_year_survival']:.0%}.",
            sources=table["sources"],
        ),
    ]
    caveats = [
        "The band survival figures come from secondary sources quoting Galea 1992 (Nottingham cases of the "
        "1980s); survival has improved since, so the bands' figures are likely to understate survival today.",
    ]
    if ten_year is not None:
        reasons.append(
            Reason(
                rule="npi.individual_ten_year",
                text=f"Individual 10-year survival estimate {ten_year:.0%} (Blamey quadratic, NPI 2.0-6.9).",
                sources=individual["sources"],
            )
        )
    else:
        caveats.append(f"The individual 10-year formula is valid for NPI {low}-{high} only; not given here.")
    return NPIResult(
        score=score,
        node_points=points,
        band=band["label"],
        band_five_year_survival=band["five_year_survival"],
        ten_year_survival=ten_year,
        reasons=reasons,
        caveats=caveats,
    )


class CTS5Result(Evidenced):
    """Clinical Treatment Score post-5 years: late distant recurrence (years 5-10) in ER-positive disease."""

    score: float
    risk_group: str = Field(description="low, intermediate or high.")
    risk_years_5_to_10: str = Field(description="The risk range of the group, as published by calculators.")


def cts5(*, size_mm: float, nodes: int, grade: int, age: float) -> CTS5Result:
    """CTS5 = 0.438 x node category + 0.988 x (0.093 x size - 0.001 x size^2 + 0.375 x grade + 0.017 x age).

    Size in mm capped at 30; node categories 0 (none), 1 (one), 2 (2-3), 3 (4-9), 4 (10 or more). For women
    with ER-positive breast cancer who completed 5 years of endocrine therapy without recurrence.

    References
    ----------
    Dowsett M, Sestak I, et al. J Clin Oncol 2018;36:1941-8.
    """
    table = _tables()["cts5"]
    size, count, g = _size(size_mm), _count("nodes", nodes), _grade(grade)
    if isinstance(age, bool) or not isinstance(age, int | float) or not 18 <= age <= 100:
        raise InvalidInputError("age", age, "a number of years from 18 to 100")
    capped = min(size, table["size_cap_mm"])
    node_code = _category(table["node_categories"], count)
    clinical = table["size_linear"] * capped + table["size_quadratic"] * capped**2
    clinical += table["grade_weight"] * g + table["age_weight"] * age
    score = table["nodes_weight"] * node_code + table["clinical_weight"] * clinical
    groups = table["risk_groups"]
    group = next(
        grp
        for grp in groups["groups"]
        if grp["upper"] is None or score < grp["upper"] or (grp["upper_inclusive"] and score == grp["upper"])
    )
    reasons = [
        Reason(
            rule="cts5.formula",
            text=f"CTS5 = {score:.3f} (size {capped:g} mm after the 30 mm cap, node category {node_code}, grade {g}, "
            f"age {age:g}).",
            sources=table["sources"],
        ),
        Reason(
            rule=f"cts5.group:{group['label']}",
            text=f"{group['label']} risk of distant recurrence in years 5-10 ({group['risk']}).",
            sources=groups["sources"],
        ),
    ]
    caveats = [
        "CTS5 applies to ER-positive disease after 5 years of endocrine therapy without recurrence.",
        "The risk-group cut-offs come from calculator sites, not the paper's text (unverified); the continuous "
        "score-to-risk conversion could not be verified and is not given.",
        "CTS5 has been reported to over-estimate risk in high-risk groups in validations.",
    ]
    return CTS5Result(
        score=score, risk_group=group["label"], risk_years_5_to_10=group["risk"], reasons=reasons, caveats=caveats
    )
