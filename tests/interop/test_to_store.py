"""Importing a bundle into the case store: a new record, or the next version of one, with the store's role checks,
audit and optimistic concurrency (SQLite, and PostgreSQL when reachable: tests/store/conftest.py)."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

import pytest

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.to_store import import_into_store
from metastasis.store import AccessDenied, Principal, RecordNotFound, StaleVersionError, Store
from tests.interop.conftest import SYNTHEA, load_synthea

BUNDLE = load_synthea(SYNTHEA[0])  # Adah626 Jaskolski867: clinical cT1, ER positive (see test_synthea.py)


def _audit(store: Store, admin: Principal, record_id: int) -> list[tuple[str, str, str | None]]:
    page = store.audit.query(admin, case=record_id, page_size=200)
    return [(e.email or "", e.action, e.outcome) for e in page.entries]


def test_creates_a_record_owned_by_the_importer(store: Store, people: dict[str, Principal]) -> None:
    stored = import_into_store(store, people["doc"], BUNDLE, request_id="req-1")
    assert (stored.id, stored.version, stored.created) == (1, 1, True)
    assert stored.reason.startswith("imported from a FHIR bundle: ")
    assert f"{len(stored.result.warnings)} warnings" in stored.reason

    kept = store.records.get(people["doc"], stored.id)
    assert kept.owner_id == people["doc"].user_id and kept.reason == stored.reason
    assert kept.case.tumour.t == "cT1" and kept.case.tumour.er.value == "positive"
    assert kept.case == stored.result.case
    assert ("doc@example.org", "create", "allowed") in _audit(store, people["admin"], stored.id)


def test_adds_a_version_from_the_base_named(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    first = import_into_store(store, doc, BUNDLE)
    text = json.dumps(BUNDLE).encode("utf-8")  # JSON text is read as the API and the CLI give it
    second = import_into_store(store, doc, text, record_id=first.id, base_version=1)
    assert (second.id, second.version, second.created) == (first.id, 2, False)
    assert [v.version for v in store.records.versions(doc, first.id)] == [1, 2]


def test_a_stale_base_writes_nothing(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    first = import_into_store(store, doc, BUNDLE)
    import_into_store(store, doc, BUNDLE, record_id=first.id, base_version=1)
    with pytest.raises(StaleVersionError) as caught:
        import_into_store(store, doc, BUNDLE, record_id=first.id, base_version=1)
    assert caught.value.current == 2
    assert [v.version for v in store.records.versions(doc, first.id)] == [1, 2]
    assert ("doc@example.org", "update", "error") in _audit(store, people["admin"], first.id)


def test_concurrent_imports_from_one_base_write_one_version(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    first = import_into_store(store, doc, BUNDLE)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            import_into_store(store, doc, BUNDLE, record_id=first.id, base_version=1)
            outcomes.append("written")
        except StaleVersionError:
            outcomes.append("stale")

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stale", "stale", "written"]
    assert [v.version for v in store.records.versions(doc, first.id)] == [1, 2]


@pytest.mark.parametrize(
    ("record_id", "base_version", "field"),
    [(1, None, "base_version"), (None, 1, "base_version"), (0, 1, "record_id"), (1, True, "base_version")],
)
def test_record_and_base_go_together(
    store: Store, people: dict[str, Principal], record_id: Any, base_version: Any, field: str
) -> None:
    import_into_store(store, people["doc"], BUNDLE)
    with pytest.raises(InvalidInputError) as caught:
        import_into_store(store, people["doc"], BUNDLE, record_id=record_id, base_version=base_version)
    assert caught.value.field == field
    assert [v.version for v in store.records.versions(people["doc"], 1)] == [1]


def test_a_refused_bundle_writes_nothing(store: Store, people: dict[str, Principal]) -> None:
    no_primary = copy.deepcopy(BUNDLE)
    no_primary["entry"] = [e for e in no_primary["entry"] if e["resource"]["resourceType"] != "Condition"]
    with pytest.raises(InvalidInputError, match="no breast primary"):
        import_into_store(store, people["doc"], no_primary)
    with pytest.raises(InvalidInputError) as caught:
        import_into_store(store, people["doc"], b"{not json")
    assert caught.value.field == "bundle"
    assert store.records.list(people["admin"]).total == 0


def test_the_store_decides_who_may(store: Store, people: dict[str, Principal]) -> None:
    with pytest.raises(AccessDenied):
        import_into_store(store, people["registrar"], BUNDLE)
    first = import_into_store(store, people["doc"], BUNDLE)
    with pytest.raises(RecordNotFound):  # another clinician's record: not found, as a missing one
        import_into_store(store, people["other"], BUNDLE, record_id=first.id, base_version=1)
    assert import_into_store(store, people["admin"], BUNDLE, record_id=first.id, base_version=1).version == 2
    trail = _audit(store, people["admin"], first.id)
    assert ("other@example.org", "update", "denied") in trail and ("admin@example.org", "update", "allowed") in trail
