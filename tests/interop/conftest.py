"""Fixtures of the FHIR tests: the copied bundles (tests/interop/data, see PROVENANCE.md there), and the case store
tests' stores (SQLite, and PostgreSQL when reachable) and people for the imports into the store."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.store.conftest import (  # noqa: F401 - fixtures shared with the store tests
    PASSWORD,
    cheap_hashing,
    people,
    pg_url,
    store,
    store_url,
)

DATA = Path(__file__).parent / "data"
SYNTHEA = sorted((DATA / "synthea").glob("*.json.gz"))


def load_synthea(path: Path) -> dict[str, Any]:
    """One Synthea bundle, parsed."""
    return json.loads(gzip.decompress(path.read_bytes()))


def load_json(*parts: str) -> Any:
    """A JSON test file under tests/interop/data."""
    return json.loads(DATA.joinpath(*parts).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def jenny() -> dict[str, Any]:
    """The mCODE STU4 extended example (Jenny M) as a collection bundle."""
    return load_json("mcode_ig", "EX_ExtendedExample-jenny-m.json")
