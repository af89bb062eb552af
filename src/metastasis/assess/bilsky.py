"""Bilsky epidural spinal cord compression (ESCC) grade: labels, ordinal rank and low/high grade."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from metastasis.assess import _inputs
from metastasis.assess._tables import load_yaml
from metastasis.assess.result import EsccResult, ItemPoints
from metastasis.errors import DataIntegrityError
from metastasis.evidence import Reason
from metastasis.evidence.registry import check_cited

EsccGrade = Literal["0", "1a", "1b", "1c", "2", "3"]


@cache
def _table() -> dict[str, Any]:
    table = load_yaml("bilsky_escc")
    ranks = [g["rank"] for g in table["grades"]]
    if ranks != list(range(len(ranks))):
        raise DataIntegrityError("assess/data/bilsky_escc.yaml: ranks must be 0, 1, 2, ... in order")
    for band in table["bands"].values():
        check_cited(band["sources"])
    check_cited(table["sources"])
    return table


def escc_grades() -> tuple[str, ...]:
    """The six ESCC grade labels in order of severity.

    Examples
    --------
    >>> escc_grades()
    ('0', '1a', '1b', '1c', '2', '3')
    """
    return tuple(g["grade"] for g in _table()["grades"])


def bilsky_escc(*, grade: EsccGrade) -> EsccResult:
    """Bilsky epidural spinal cord compression grade (higher = worse).

    Parameters
    ----------
    grade:
        One of the labels ``"0"``, ``"1a"``, ``"1b"``, ``"1c"``, ``"2"``, ``"3"`` (text, never a number: ``"1"``
        alone and the integer ``2`` are refused).

    Returns
    -------
    EsccResult
        ``rank`` 0-5 (also in ``total``), ``high_grade`` (True for 2 and 3) and band ``low_grade`` or
        ``high_grade``.

    Examples
    --------
    >>> r = bilsky_escc(grade="1c")
    >>> r.rank, r.high_grade
    (3, False)
    """
    table = _table()
    label = _inputs.choice("grade", grade, escc_grades())
    row = next(g for g in table["grades"] if g["grade"] == label)
    band = table["bands"][row["band"]]
    sources = tuple(table["sources"])
    reasons = [
        Reason(rule=f"bilsky_escc.grade:{label}", text=f"Grade {label}: {row['definition']}", sources=sources),
        Reason(
            rule=f"bilsky_escc.band:{row['band']}",
            text=f"Grade {label}: {band['label']}",
            sources=tuple(band["sources"]),
        ),
    ]
    return EsccResult(
        score="bilsky_escc",
        name=table["name"],
        total=row["rank"],
        minimum=0,
        maximum=len(table["grades"]) - 1,
        higher_is=table["higher_is"],
        band=row["band"],
        band_label=band["label"],
        interpretation=row.get("interpretation", band["interpretation"]),
        action=row.get("action", band["action"]),
        breakdown=[
            ItemPoints(
                item="grade",
                label="ESCC grade",
                given=label,
                choice=label,
                choice_label=row["definition"],
                points=row["rank"],
            )
        ],
        grade=label,
        rank=row["rank"],
        high_grade=band["high_grade"],
        reasons=reasons,
        caveats=[*table["caveats"], *([row["caveat"]] if "caveat" in row else [])],
    )
