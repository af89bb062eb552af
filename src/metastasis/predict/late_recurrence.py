"""Late recurrence of ER-positive breast cancer: risk over years 5-20 (Pan 2017) and annual hazards (Colleoni 2016).

Metastasis can appear 10 or more years after treatment for ER-positive breast cancer. These functions give the
published numbers with their population, and a year-by-year curve under an explicit assumption.

Example
-------
>>> r = late_recurrence(size_mm=15, nodes=0)
>>> r.t_group, r.n_group, r.risk_years_5_to_20
('T1', 'N0', 0.13)
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.predict._data import data_file


def _table() -> dict[str, Any]:
    return data_file("late_recurrence.yaml")


class YearRisk(BaseModel):
    """Cumulative risk by a given year after diagnosis."""

    year: int
    cumulative_risk: float


class LateRecurrenceResult(Evidenced):
    """Distant recurrence over years 5-20 after diagnosis for a T and N group (Pan 2017)."""

    t_group: str
    n_group: str
    risk_years_5_to_20: float = Field(description="Published cumulative risk of distant recurrence, years 5-20.")
    by_year: list[YearRisk] = Field(description="Years 5-20 under the constant-rate assumption (see caveats).")
    population: str
    patient_explanation: str


def late_recurrence(*, size_mm: float, nodes: int) -> LateRecurrenceResult:
    """Risk of distant recurrence from year 5 to 20 for ER-positive disease after 5 years of endocrine therapy.

    Parameters
    ----------
    size_mm:
        Tumour size in mm at diagnosis (T1: up to 20 mm; T2: over 20 up to 50 mm).
    nodes:
        Positive axillary nodes at diagnosis (0-9; the published table stops at 9).

    References
    ----------
    Pan H et al. (EBCTCG). N Engl J Med 2017;377:1836-46.
    """
    pan = _table()["pan_2017"]
    if isinstance(size_mm, bool) or not isinstance(size_mm, int | float) or not 0 < size_mm <= 50:
        raise InvalidInputError(
            "size_mm", size_mm, "a number of millimetres > 0 and <= 50", detail="the published table covers T1 and T2"
        )
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 0 <= nodes <= 9:
        raise InvalidInputError("nodes", nodes, "a whole number from 0 to 9", detail="the table stops at 4-9 nodes")
    t_group = next(label for label, above, upto in pan["t_groups"] if above < size_mm <= upto)
    n_group = next(label for label, low, high in pan["n_groups"] if low <= nodes <= high)
    row = next(r for r in pan["risks"] if r["t"] == t_group and r["n"] == n_group)
    risk = row["risk"]
    # Pan reports recurrences "at a steady rate" from year 5 to 20; a constant hazard reproduces the 15-year risk.
    first, last = pan["years"]
    hazard = -math.log(1 - risk) / (last - first)
    by_year = [YearRisk(year=y, cumulative_risk=1 - math.exp(-hazard * (y - first))) for y in range(first, last + 1)]
    reasons = [
        Reason(
            rule=f"pan2017:{t_group}{n_group}",
            text=f"{t_group} ({size_mm:g} mm) and {n_group} ({nodes} nodes): distant recurrence {risk:.0%} from "
            "year 5 to 20.",
            sources=row["sources"],
        ),
        Reason(
            rule="pan2017.steady_rate",
            text="Year-by-year values spread the 15-year risk at a constant rate, as the paper describes recurrences "
            "occurring at a steady rate (a modelling assumption).",
            sources=("pan-2017-late-recurrence",),
        ),
    ]
    caveats = [
        f"Population: {pan['population'].strip()}",
        "Statistics describe past groups of women, not one person; treatments have changed since these trials.",
        "The year-by-year curve is an assumption (constant rate); only the 5-to-20-year total is published.",
    ]
    if "ascopost-pan-2017" in row["sources"]:
        caveats.append("This row's figure comes from a single secondary summary of the paper (unverified).")
    return LateRecurrenceResult(
        t_group=t_group,
        n_group=n_group,
        risk_years_5_to_20=risk,
        by_year=by_year,
        population=pan["population"].strip(),
        patient_explanation=" ".join(_table()["patient_explanation"].split()),
        reasons=reasons,
        caveats=caveats,
    )


class HazardInterval(BaseModel):
    """Annualised hazard of recurrence in one interval of years after diagnosis."""

    start_year: int
    end_year: int
    annual_hazard: float


class RecurrenceHazards(Evidenced):
    """Annual hazards of recurrence over 25 years by ER status (and, for ER-positive, by nodes after year 10)."""

    er: Literal["positive", "negative"]
    nodes: str | None
    intervals: list[HazardInterval]
    recurrence_free: list[YearRisk] = Field(
        description="Cumulative probability of recurrence by year, treating each annual hazard as a yearly "
        "probability (assumption)."
    )


def recurrence_hazards(
    *, er: Literal["positive", "negative"], nodes: Literal["N0", "N1-3"] | None = None
) -> RecurrenceHazards:
    """Colleoni 2016's annualised hazards of recurrence by interval, years 0-25.

    With ``nodes`` (ER-positive only), the intervals from year 10 use the node-specific hazards.
    """
    table = _table()["colleoni_2016"]
    if er not in ("positive", "negative"):
        raise InvalidInputError("er", er, ["positive", "negative"])
    if nodes is not None and (er != "positive" or nodes not in table["er_positive_by_nodes"]):
        raise InvalidInputError(
            "nodes", nodes, ["N0", "N1-3", "None"], detail="node-specific hazards exist for ER-positive disease only"
        )
    hazards = list(table[f"er_{er}"])
    intervals = [tuple(i) for i in table["intervals"]]
    if nodes:
        by_nodes = table["er_positive_by_nodes"]
        for interval, value in zip(by_nodes["intervals"], by_nodes[nodes], strict=True):
            hazards[intervals.index(tuple(interval))] = value
    cumulative, free = [], 1.0
    for (start, end), h in zip(intervals, hazards, strict=True):
        for year in range(start + 1, end + 1):
            free *= 1 - h
            cumulative.append(YearRisk(year=year, cumulative_risk=1 - free))
    return RecurrenceHazards(
        er=er,
        nodes=nodes,
        intervals=[
            HazardInterval(start_year=s, end_year=e, annual_hazard=h)
            for (s, e), h in zip(intervals, hazards, strict=True)
        ],
        recurrence_free=cumulative,
        reasons=[
            Reason(
                rule=f"colleoni2016:er_{er}" + (f":{nodes}" if nodes else ""),
                text=f"Annualised hazards of recurrence, ER-{er}"
                + (f", {nodes} from year 10" if nodes else "")
                + ", IBCSG trials I-V.",
                sources=table["sources"],
            )
        ],
        caveats=[
            f"Population: {table['population']} (before modern adjuvant therapy).",
            f"Endpoint: {table['endpoint']}, not distant recurrence only.",
            "The cumulative curve treats each annual hazard as a yearly probability (an assumption).",
        ],
    )
