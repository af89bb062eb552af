"""Concurrent writers (threads and processes) lose no update and leave no gap; a killed writer changes nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from typing import Any

import pytest

from metastasis.store import Principal, StaleVersionError, Store

WRITERS = 4
WRITES_EACH = 3


def _write_n(url: str, actor: Principal, record_id: int, name: str, count: int) -> int:
    """Read-modify-write ``count`` times, retrying on a stale version; returns the number of successful writes."""
    store = Store(url)
    done = 0
    try:
        while done < count:
            current = store.records.get(actor, record_id)
            data: dict[str, Any] = {"schema_version": "1.0", "title": f"{name} write {done}"}
            try:
                store.records.update(actor, record_id, data, base_version=current.version, reason=f"{name}")
            except StaleVersionError:
                continue
            done += 1
    finally:
        store.dispose()
    return done


def _check_versions(store: Store, actor: Principal, record_id: int, successes: int) -> None:
    versions = [v.version for v in store.records.versions(actor, record_id)]
    assert versions == list(range(1, successes + 2))  # version 1 plus one per successful write, no gap
    assert store.records.get(actor, record_id).version == successes + 1


def test_threads_lose_no_update(store: Store, store_url: str, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, {"schema_version": "1.0", "title": "start"}).record_id
    results: list[int] = []

    def run(i: int) -> None:
        results.append(_write_n(store_url, doc, rid, f"thread {i}", WRITES_EACH))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(results) == WRITERS * WRITES_EACH
    _check_versions(store, doc, rid, sum(results))


def _process_writer(url: str, actor: Principal, record_id: int, i: int, queue: Any) -> None:
    queue.put(_write_n(url, actor, record_id, f"process {i}", WRITES_EACH))


def test_processes_lose_no_update(store: Store, store_url: str, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, {"schema_version": "1.0", "title": "start"}).record_id
    store.dispose()  # no pooled connection crosses the fork
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    procs = [context.Process(target=_process_writer, args=(store_url, doc, rid, i, queue)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    counts = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert sum(counts) == WRITERS * WRITES_EACH
    _check_versions(store, doc, rid, sum(counts))


def _half_write(url: str, actor: Principal, record_id: int, ready: Any) -> None:
    from metastasis.store.models import Record
    from metastasis.store.records import _next_version

    store = Store(url)
    with store.write() as session:
        record = session.get(Record, record_id)
        assert record is not None
        _next_version(session, record, 1, {"schema_version": "1.0", "title": "never"}, actor, "half", [])
        session.flush()
        ready.set()
        time.sleep(60)  # killed here, inside the transaction


def test_killed_writer_leaves_previous_version(store: Store, store_url: str, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, {"schema_version": "1.0", "title": "kept"}).record_id
    store.dispose()
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    proc = context.Process(target=_half_write, args=(store_url, doc, rid, ready))
    proc.start()
    assert ready.wait(timeout=60)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    fresh = Store(store_url)
    try:
        got = fresh.records.get(doc, rid)
        assert (got.version, got.case.title) == (1, "kept")
        assert [v.version for v in fresh.records.versions(doc, rid)] == [1]
        # and the store takes the next write
        assert fresh.records.update(doc, rid, {"schema_version": "1.0"}, base_version=1).version == 2
    finally:
        fresh.dispose()


def test_stale_error_names_current_version(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, {"schema_version": "1.0"}).record_id
    store.records.update(doc, rid, {"schema_version": "1.0", "title": "a"}, base_version=1)
    store.records.update(doc, rid, {"schema_version": "1.0", "title": "b"}, base_version=2)
    with pytest.raises(StaleVersionError) as caught:
        store.records.update(doc, rid, {"schema_version": "1.0", "title": "c"}, base_version=1)
    assert (caught.value.base_version, caught.value.current) == (1, 3)
