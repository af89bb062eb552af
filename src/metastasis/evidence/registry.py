"""The registry of sources, read from the package's YAML data files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

from pydantic import ValidationError

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError
from metastasis.evidence.source import Source

_SOURCE_PACKAGE = "metastasis.evidence"
_SOURCE_DIR = "sources"


@cache
def _registry() -> Mapping[str, Source]:
    found: dict[str, Source] = {}
    folder = resources.files(_SOURCE_PACKAGE).joinpath(_SOURCE_DIR)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        records = load_data(entry.read_text(encoding="utf-8")) or []
        if not isinstance(records, list):
            raise DataIntegrityError(f"{entry.name}: expected a list of source records")
        for record in records:
            try:
                source = Source.model_validate(record)
            except ValidationError as exc:
                raise DataIntegrityError(f"{entry.name}: bad source record {record!r}: {exc}") from exc
            if source.id in found:
                raise DataIntegrityError(f"{entry.name}: duplicate source id {source.id!r}")
            found[source.id] = source
    return MappingProxyType(found)


def all_sources() -> Mapping[str, Source]:
    """Every registered source, by id (read-only)."""
    return _registry()


def get_source(source_id: str) -> Source:
    """The source with this id; :class:`DataIntegrityError` when none is registered."""
    try:
        return _registry()[source_id]
    except KeyError:
        raise DataIntegrityError(f"unknown source id {source_id!r}") from None


def check_cited(source_ids: Iterable[str]) -> tuple[str, ...]:
    """Return the ids unchanged after checking that each is registered (fails loudly otherwise)."""
    ids = tuple(source_ids)
    for source_id in ids:
        get_source(source_id)
    return ids


# Fail at import, not at first use, when a data file is malformed.
_registry()
