"""Point-score tables (YAML data in ``metastasis/assess/data``) and the small engine that interprets them.

A score file lists the items (each a table of rows with points), the bands over the total, the outcomes
published for each band and every source id. The loader checks the file once (source ids known, choice ids
unique, numeric rows and bands contiguous over the whole range) and fails with :class:`DataIntegrityError`
otherwise, so a broken table cannot produce a score.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import Field, ValidationError

from metastasis._yaml import load_data
from metastasis.assess import _inputs
from metastasis.assess.result import ItemPoints, Outcome, ScoreResult
from metastasis.errors import DataIntegrityError
from metastasis.evidence import Reason
from metastasis.evidence.records import CitedRecord, DataRecord

_DATA_PACKAGE = "metastasis.assess"
_DATA_DIR = "data"


_Spec = DataRecord
_Cited = CitedRecord


class ChoiceSpec(_Spec):
    """One row of an item: its id, its words, its points (and, for numeric items, the range it covers)."""

    value: str
    label: str
    points: int
    min: int | None = None
    max: int | None = None
    caveat: str | None = None


class ItemSpec(_Cited):
    """One item of a score. ``kind`` says how the caller's value is matched to a row."""

    id: str
    label: str
    kind: Literal["choice", "yes_no", "number"] = "choice"
    minimum: int | None = None
    maximum: int | None = None
    step: int | None = None
    choices: tuple[ChoiceSpec, ...]

    def allowed(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


class OutcomeSpec(_Cited):
    measure: str
    value: str


class BandSpec(_Cited):
    id: str
    label: str
    min: int
    max: int
    interpretation: str
    action: str
    outcomes: tuple[OutcomeSpec, ...] = ()
    caveats: tuple[str, ...] = ()


class ScoreSpec(_Cited):
    """A whole score table."""

    id: str
    name: str
    higher_is: Literal["better", "worse"]
    caveats: tuple[str, ...] = ()
    items: tuple[ItemSpec, ...] = ()
    items_from: str | None = Field(default=None, description="Reuse the items of this score ...")
    omit_items: tuple[str, ...] = Field(default=(), description="... except these.")
    bands: tuple[BandSpec, ...]

    @property
    def minimum(self) -> int:
        return sum(min(c.points for c in item.choices) for item in self.items)

    @property
    def maximum(self) -> int:
        return sum(max(c.points for c in item.choices) for item in self.items)

    def item(self, item_id: str) -> ItemSpec:
        for item in self.items:
            if item.id == item_id:
                return item
        raise DataIntegrityError(f"{self.id}: no item {item_id!r}")


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>.yaml`` once."""
    path = resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR, f"{name}.yaml")
    try:
        return load_data(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataIntegrityError(f"missing data file assess/data/{name}.yaml") from None


@cache
def score_spec(score_id: str) -> ScoreSpec:
    """The checked table of a point score (loaded once)."""
    raw = load_yaml(score_id)
    try:
        spec = ScoreSpec.model_validate(raw)
    except ValidationError as exc:
        raise DataIntegrityError(f"assess/data/{score_id}.yaml: {exc}") from exc
    if spec.items_from:
        base = score_spec(spec.items_from)
        items = tuple(i for i in base.items if i.id not in spec.omit_items)
        spec = spec.model_copy(update={"items": items})
    _check(spec)
    return spec


def _check(spec: ScoreSpec) -> None:
    where = f"assess/data/{spec.id}.yaml"
    if not spec.items:
        raise DataIntegrityError(f"{where}: no items")
    for item in spec.items:
        values = item.allowed()
        if len(set(values)) != len(values):
            raise DataIntegrityError(f"{where}: duplicate choice in item {item.id!r}")
        if item.kind == "yes_no" and set(values) != {"yes", "no"}:
            raise DataIntegrityError(f"{where}: yes/no item {item.id!r} must have exactly 'yes' and 'no'")
        if item.kind == "number":
            _check_ranges(where, item)
    expected = spec.minimum
    for band in sorted(spec.bands, key=lambda b: b.min):
        if band.min != expected or band.max < band.min:
            raise DataIntegrityError(f"{where}: bands do not tile the range at {band.id!r}")
        expected = band.max + 1
    if expected != spec.maximum + 1:
        raise DataIntegrityError(f"{where}: bands end at {expected - 1}, the maximum total is {spec.maximum}")


def _check_ranges(where: str, item: ItemSpec) -> None:
    if item.minimum is None:
        raise DataIntegrityError(f"{where}: numeric item {item.id!r} needs a minimum")
    step = item.step or 1
    expected: int | None = item.minimum
    for row in sorted(item.choices, key=lambda c: c.min if c.min is not None else -1):
        if row.min is None or row.min != expected:
            raise DataIntegrityError(f"{where}: rows of {item.id!r} do not tile its range")
        expected = None if row.max is None else row.max + step
    top = None if expected is None else expected - step
    if top != item.maximum:
        raise DataIntegrityError(f"{where}: rows of {item.id!r} end at {top}, its maximum is {item.maximum}")


def _match(item: ItemSpec, value: Any) -> tuple[str | int, ChoiceSpec]:
    """Validate the caller's value for one item and return it (normalised) with the row it falls in."""
    if item.kind == "yes_no":
        given: str | int = _inputs.yes_no(item.id, value)
        return given, next(c for c in item.choices if c.value == given)
    if item.kind == "number":
        assert item.minimum is not None  # checked at load
        given = _inputs.integer(item.id, value, item.minimum, item.maximum, item.step)
        row = next(c for c in item.choices if c.min <= given and (c.max is None or given <= c.max))  # type: ignore[operator]
        return given, row
    given = _inputs.choice(item.id, value, item.allowed())
    return given, next(c for c in item.choices if c.value == given)


def compute(
    score_id: str, values: Mapping[str, Any], result_type: type[ScoreResult] = ScoreResult, **extra: Any
) -> ScoreResult:
    """Score ``values`` (item id -> caller's value) with the table ``score_id``.

    Items are checked in the table's order, so the first bad value is the one reported.
    """
    spec = score_spec(score_id)
    breakdown: list[ItemPoints] = []
    reasons: list[Reason] = []
    caveats: list[str] = list(spec.caveats)
    for item in spec.items:
        given, row = _match(item, values.get(item.id))
        breakdown.append(
            ItemPoints(
                item=item.id, label=item.label, given=given, choice=row.value, choice_label=row.label, points=row.points
            )
        )
        plural = "" if abs(row.points) == 1 else "s"
        reasons.append(
            Reason(
                rule=f"{spec.id}.{item.id}:{row.value}",
                text=f"{item.label}: {row.label} -> {row.points} point{plural}",
                sources=item.sources,
            )
        )
        if row.caveat:
            caveats.append(row.caveat)
    total = sum(p.points for p in breakdown)
    band = next(b for b in spec.bands if b.min <= total <= b.max)
    outcome_sources = tuple(s for o in band.outcomes for s in o.sources)
    reasons.append(
        Reason(
            rule=f"{spec.id}.band:{band.id}",
            text=f"Total {total} lies in {band.min}-{band.max}: {band.label}",
            sources=tuple(dict.fromkeys(band.sources + outcome_sources)),
        )
    )
    caveats.extend(band.caveats)
    return result_type(
        score=spec.id,
        name=spec.name,
        total=total,
        minimum=spec.minimum,
        maximum=spec.maximum,
        higher_is=spec.higher_is,
        band=band.id,
        band_label=band.label,
        interpretation=band.interpretation,
        action=band.action,
        breakdown=breakdown,
        outcomes=[Outcome(measure=o.measure, value=o.value, sources=o.sources) for o in band.outcomes],
        reasons=reasons,
        caveats=list(dict.fromkeys(caveats)),
        **extra,
    )
