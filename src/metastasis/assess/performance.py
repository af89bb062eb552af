"""ECOG and Karnofsky performance status, and the published ECOG <-> KPS mappings.

There is no single standard mapping between the two scales, so each published one is its own function:
``ecog_to_kps_<mapping>`` and ``kps_to_ecog_<mapping>`` for ``ecog_acrin``, ``buccheri_1996`` and
``prasad_2018``. Each returns every value the mapping pairs with the input (a set, not a point) and is flagged
as approximate. Store ECOG and KPS as recorded; convert only when a score needs the other scale.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from metastasis.assess import _inputs
from metastasis.assess._tables import load_yaml
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason

MAPPINGS: tuple[str, ...] = ("ecog_acrin", "buccheri_1996", "prasad_2018")


class PerformanceResult(Evidenced):
    """An ECOG grade or a Karnofsky score with its published descriptor."""

    scale: Literal["ecog", "karnofsky"]
    value: int
    description: str
    band: str | None = Field(default=None, description="Karnofsky group id (None for ECOG).")
    band_label: str | None = None


class MappingResult(Evidenced):
    """The values one published mapping pairs with an ECOG grade or a KPS score."""

    mapping: str = Field(description="Id of the mapping: ecog_acrin, buccheri_1996 or prasad_2018.")
    name: str
    from_scale: Literal["ecog", "karnofsky"]
    from_value: int
    to_scale: Literal["ecog", "karnofsky"]
    to_values: list[int] = Field(description="Every value of the other scale in the same row of the mapping.")
    approximate: bool = True


def _table() -> dict[str, Any]:
    return load_yaml("performance")


def _ecog_grade(grade: Any) -> int:
    return _inputs.integer("grade", grade, 0, 5)


def _kps_score(score: Any) -> int:
    return _inputs.integer("score", score, 0, 100, 10)


def ecog(*, grade: int) -> PerformanceResult:
    """ECOG performance status (Oken 1982): descriptor of grade 0-5 (0 = fully active, 5 = dead).

    Examples
    --------
    >>> ecog(grade=2).description.startswith("Ambulatory")
    True
    """
    table = _table()["ecog"]
    value = _ecog_grade(grade)
    description = table["grades"][value]
    return PerformanceResult(
        scale="ecog",
        value=value,
        description=description,
        reasons=[Reason(rule=f"ecog:{value}", text=f"ECOG {value}: {description}", sources=tuple(table["sources"]))],
    )


def karnofsky(*, score: int) -> PerformanceResult:
    """Karnofsky performance status: descriptor of 0-100 in steps of 10, and its group.

    Groups: ``normal_activity`` (80-100), ``unable_to_work`` (50-70), ``unable_to_self_care`` (10-40),
    ``dead`` (0).

    Examples
    --------
    >>> karnofsky(score=70).band
    'unable_to_work'
    """
    table = _table()["karnofsky"]
    value = _kps_score(score)
    description = table["scores"][value]
    group = next(g for g in table["groups"] if g["min"] <= value <= g["max"])
    sources = tuple(table["sources"])
    return PerformanceResult(
        scale="karnofsky",
        value=value,
        description=description,
        band=group["id"],
        band_label=group["label"],
        reasons=[
            Reason(rule=f"karnofsky:{value}", text=f"KPS {value}: {description}", sources=sources),
            Reason(
                rule=f"karnofsky.group:{group['id']}",
                text=f"KPS {group['min']}-{group['max']}: {group['label']}",
                sources=sources,
            ),
        ],
    )


def _map(mapping_id: str, from_scale: Literal["ecog", "karnofsky"], value: int) -> MappingResult:
    spec = _table()["mappings"][mapping_id]
    own, other = ("ecog", "kps") if from_scale == "ecog" else ("kps", "ecog")
    row = next((r for r in spec["rows"] if value in r[own]), None)
    if row is None:
        covered = sorted({v for r in spec["rows"] for v in r[own]})
        field = "grade" if from_scale == "ecog" else "score"
        raise InvalidInputError(field, value, [str(v) for v in covered], f"not covered by the {spec['name']}")
    to_scale: Literal["ecog", "karnofsky"] = "karnofsky" if from_scale == "ecog" else "ecog"
    to_values = sorted(row[other], reverse=to_scale == "karnofsky")
    caveats = ["Approximate: there is no single standard ECOG-KPS mapping; record both scales when possible."]
    if "caveat" in spec:
        caveats.append(spec["caveat"])
    names = {"ecog": "ECOG", "kps": "KPS"}
    text = (
        f"{spec['name']}: {names[own]} {'/'.join(str(v) for v in row[own])} <-> "
        f"{names[other]} {'/'.join(str(v) for v in row[other])}"
    )
    return MappingResult(
        mapping=mapping_id,
        name=spec["name"],
        from_scale=from_scale,
        from_value=value,
        to_scale=to_scale,
        to_values=to_values,
        reasons=[Reason(rule=f"{mapping_id}:{own}={value}", text=text, sources=tuple(spec["sources"]))],
        caveats=caveats,
    )


def ecog_to_kps_ecog_acrin(*, grade: int) -> MappingResult:
    """KPS values paired with an ECOG grade by ECOG-ACRIN's "commonly used comparison".

    Examples
    --------
    >>> ecog_to_kps_ecog_acrin(grade=1).to_values
    [80, 70]
    """
    return _map("ecog_acrin", "ecog", _ecog_grade(grade))


def kps_to_ecog_ecog_acrin(*, score: int) -> MappingResult:
    """ECOG grade paired with a KPS score by ECOG-ACRIN's "commonly used comparison".

    Examples
    --------
    >>> kps_to_ecog_ecog_acrin(score=70).to_values
    [1]
    """
    return _map("ecog_acrin", "karnofsky", _kps_score(score))


def ecog_to_kps_buccheri_1996(*, grade: int) -> MappingResult:
    """KPS values paired with an ECOG grade by Buccheri 1996's three-level table (ECOG 5 is refused).

    Examples
    --------
    >>> ecog_to_kps_buccheri_1996(grade=2).to_values
    [70, 60]
    """
    return _map("buccheri_1996", "ecog", _ecog_grade(grade))


def kps_to_ecog_buccheri_1996(*, score: int) -> MappingResult:
    """ECOG grades paired with a KPS score by Buccheri 1996's three-level table (KPS 0 is refused).

    Examples
    --------
    >>> kps_to_ecog_buccheri_1996(score=50).to_values
    [3, 4]
    """
    return _map("buccheri_1996", "karnofsky", _kps_score(score))


def ecog_to_kps_prasad_2018(*, grade: int) -> MappingResult:
    """KPS values paired with an ECOG grade by Prasad 2018 (ECOG 5 is refused).

    Examples
    --------
    >>> ecog_to_kps_prasad_2018(grade=3).to_values
    [60, 50]
    """
    return _map("prasad_2018", "ecog", _ecog_grade(grade))


def kps_to_ecog_prasad_2018(*, score: int) -> MappingResult:
    """ECOG grade paired with a KPS score by Prasad 2018 (KPS 0 is refused).

    Examples
    --------
    >>> kps_to_ecog_prasad_2018(score=70).to_values
    [2]
    """
    return _map("prasad_2018", "karnofsky", _kps_score(score))
