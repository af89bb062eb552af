"""Turn what the readers found into a validated case: resolve conflicts, choose the recorded stage group, build
the case data and drop (with a warning naming the resource) any value the case's own checks refuse.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from metastasis.domain.case import CASE_SCHEMA_VERSION, Case
from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.model import Candidate, Conflict, RecordedStage
from metastasis.interop.fhir.reading import parse_date

if TYPE_CHECKING:
    from metastasis.interop.fhir.importer import _Item, _State

_EARLIEST = frozenset({"dates.surgery"})
_MAX_ROUNDS = 50


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def resolve(state: _State) -> tuple[list[Conflict], dict[str, Candidate]]:
    """For each case field, the value kept (latest effective date; earliest for the surgery date) and the
    conflicts (other values that differ)."""
    chosen: dict[str, Candidate] = {}
    conflicts: list[Conflict] = []
    diagnosis = _pick(state, "dates.diagnosis", conflicts)
    if diagnosis is not None:
        chosen["dates.diagnosis"] = diagnosis
    if state.birth_date is not None and diagnosis is not None:
        born, ref = state.birth_date
        on = datetime.date.fromisoformat(str(diagnosis.value))
        state.offer("patient.age_at_diagnosis", _age(born, on), None, ref, "Patient.birthDate")
    for name in list(state.candidates):
        if name in chosen:
            continue
        kept = _pick(state, name, conflicts)
        if kept is not None:
            chosen[name] = kept
    return conflicts, chosen


def _pick(state: _State, name: str, conflicts: list[Conflict]) -> Candidate | None:
    candidates = state.candidates.get(name) or []
    if not candidates:
        return None
    if name in _EARLIEST:
        return min(candidates, key=lambda c: c.date or datetime.date.max)
    ordered = sorted(candidates, key=lambda c: c.date or datetime.date.min)  # stable: bundle order on ties
    kept = ordered[-1]
    dropped = tuple(c for c in ordered[:-1] if c.value != kept.value)
    if dropped:
        conflicts.append(Conflict(field=name, kept=kept, dropped=dropped))
    return kept


def choose_stage(state: _State) -> RecordedStage | None:
    """The latest recorded stage group; on one date the most specific (IA over I)."""
    if not state.stages:
        return None
    return max(state.stages, key=lambda s: (s.date or datetime.date.min, len(s.stage)))


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _metastasis_date(items: list[_Item]) -> tuple[str, _Item] | None:
    dated = [i for i in items if not i.dropped and "date" in i.data and i.data["site"] != "nodes_regional"]
    if not dated:
        return None
    first = min(dated, key=lambda i: i.data["date"])
    return first.data["date"], first


def _data(
    state: _State, chosen: Mapping[str, Candidate], bundle: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[str, str, Any]]]:
    """The case data and, per JSON path, where it came from: (resource, element path, handle to drop it)."""
    data: dict[str, Any] = {"schema_version": CASE_SCHEMA_VERSION}
    origin: dict[str, tuple[str, str, Any]] = {}
    when, _ = parse_date(bundle.get("timestamp"))
    if when is not None and "as_of" not in state.dropped_fields:
        data["as_of"] = when.isoformat()
        origin["$.as_of"] = ("Bundle", "Bundle.timestamp", "as_of")
    for name, candidate in chosen.items():
        if name in state.dropped_fields:
            continue
        _set(data, name, candidate.value)
        origin[f"$.{name}"] = (candidate.resource, candidate.path, name)
    for name, items in state.lists.items():
        kept = [i for i in items if not i.dropped]
        if name == "metastatic_sites":
            kept = _first_per_site(state, kept)
        if kept:
            data[name] = [i.data for i in kept]
            for index, item in enumerate(kept):
                origin[f"$.{name}[{index}]"] = (item.resource, item.path, item)
    first = _metastasis_date(state.lists.get("metastatic_sites", []))
    if first is not None and "dates.metastasis" not in state.dropped_fields:
        _set(data, "dates.metastasis", first[0])
        origin["$.dates.metastasis"] = (first[1].resource, "Condition.onsetDateTime", "dates.metastasis")
    return data, origin


def _first_per_site(state: _State, items: list[_Item]) -> list[_Item]:
    """One entry per site: the earliest dated; the others stay listed as used."""
    best: dict[str, _Item] = {}
    for item in items:
        known = best.get(item.data["site"])
        if known is None or item.data.get("date", "9999") < known.data.get("date", "9999"):
            best[item.data["site"]] = item
    return [i for i in items if best[i.data["site"]] is i]


def build_case(state: _State, chosen: Mapping[str, Candidate], bundle: Mapping[str, Any]) -> Case:
    """Validate the case data; a value the case refuses is dropped with a warning naming its resource."""
    from metastasis.domain.validation import validate_case

    for _ in range(_MAX_ROUNDS):
        data, origin = _data(state, chosen, bundle)
        checked = validate_case(data)
        if checked.ok:
            assert checked.case is not None
            return checked.case
        progress = False
        for problem in checked.errors:
            found = _origin_of(problem.path, origin)
            if found is None:
                raise InvalidInputError(problem.path, problem.value, problem.allowed or "a valid case", problem.message)
            resource, path, handle = found
            state.warn(resource, path, f"not read: {problem.message} (case field {problem.path})")
            if isinstance(handle, str):
                state.dropped_fields.add(handle)
            else:
                handle.dropped = True
            progress = True
        if not progress:  # pragma: no cover - every error either drops a value or raises
            break
    raise InvalidInputError("bundle", "contradictory data", "a bundle whose values agree", "too many values refused")


def _origin_of(path: str, origin: Mapping[str, tuple[str, str, Any]]) -> tuple[str, str, Any] | None:
    """The origin of the value at a JSON path, or of the nearest enclosing value that has one."""
    probe = path
    while probe:
        if probe in origin:
            return origin[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        if cut <= 1:
            return None
        probe = probe[:cut]
    return None
