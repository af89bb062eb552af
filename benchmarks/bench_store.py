"""Speed of the case store on SQLite (run: `python benchmarks/bench_store.py [--cases N] [--events E]
[--records R]`).

1. Load: ``--cases`` records (the bundled example cases in turn), then ``--events`` events appended to each through
   the real service (validation, whole-case assessment, compare-and-swap, alert update, audit): events per second.
2. List: one page of a clinician's cases with alert counts.
3. Recompute: the alerts of every record from its current version.
4. Listing at scale: ``--records`` records inserted in bulk (two stored alerts each, half of them owned by one
   clinician), then the first page of that clinician's list with alert counts, and of the ``alert_state=new``
   filter: median of 20 calls (target < 50 ms at 10,000 records).

The full load (1,000 cases x 50 events) assesses 50,000 cases: about 7 minutes on a 2-core machine;
``--cases 50 --events 5`` gives the rates in a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.store import Principal, Store
from metastasis.store.alerts import apply, snapshots
from metastasis.store.events import case_data
from metastasis.store.models import CaseVersion, Record, StoredAlert

PASSWORD = "benchmark password 1"


def _events(i: int) -> list[tuple[str, dict[str, object]]]:
    """Event ``i`` of a case: alternately a calcium result and a performance status, dated a day apart."""
    day = (dt.date(2024, 7, 1) + dt.timedelta(days=i)).isoformat()
    if i % 2:
        return [("performance", {"scale": "ecog", "value": 1, "date": day})]
    return [("lab", {"analyte": "calcium", "value": 2.4 + (i % 7) / 20, "unit": "mmol/L", "date": day, "uln": 2.6})]


def _users(store: Store) -> tuple[Principal, Principal]:
    store.accounts.add_user("doc@example.org", "clinician", PASSWORD)
    store.accounts.add_user("other@example.org", "clinician", PASSWORD)
    return (
        store.accounts.authenticate("doc@example.org", PASSWORD),
        store.accounts.authenticate("other@example.org", PASSWORD),
    )


def load(store: Store, doc: Principal, cases: int, events: int) -> list[int]:
    names = example_case_names()
    start = time.perf_counter()
    ids = [store.records.create(doc, load_example_case(names[i % len(names)])).record_id for i in range(cases)]
    created = time.perf_counter() - start
    print(f"create: {cases} records in {created:.1f} s ({cases / created:.1f}/s)")
    start = time.perf_counter()
    for rid in ids:
        for i in range(events):
            for kind, payload in _events(i):
                store.records.add_event(doc, rid, kind, payload)
    took = time.perf_counter() - start
    if events:
        print(f"events: {cases * events} in {took:.1f} s ({cases * events / took:.1f}/s)")
    return ids


def recompute(store: Store, doc: Principal, ids: list[int]) -> None:
    start = time.perf_counter()
    for rid in ids:
        current = store.records.get(doc, rid)
        fired = snapshots(current.case)
        with store.write() as session:
            apply(session, rid, current.version, fired)
    took = time.perf_counter() - start
    print(f"recompute alerts: {len(ids)} records in {took:.1f} s ({len(ids) / took:.1f}/s)")


def bulk(store: Store, doc: Principal, other: Principal, records: int) -> None:
    now = dt.datetime.now(dt.UTC)
    body = case_data(load_example_case("hypercalcaemia"))
    with store.write() as session:
        rows = [
            {
                "owner_id": doc.user_id if i % 2 else other.user_id,
                "current_version": 1,
                "created_at": now,
                "updated_at": now - dt.timedelta(seconds=i),
            }
            for i in range(records)
        ]
        session.execute(insert(Record), rows)
        ids = list(session.scalars(Record.__table__.select().with_only_columns(Record.id)))
        session.execute(
            insert(CaseVersion),
            [
                {"record_id": r, "version": 1, "case": body, "author_id": doc.user_id, "created_at": now, "reason": "x"}
                for r in ids
            ],
        )
        alerts = []
        for r in ids:
            for n, state in enumerate(("new", "acknowledged") if r % 3 else ("acknowledged", "resolved")):
                alerts.append(
                    {
                        "record_id": r,
                        "alert_id": f"alert_{n}",
                        "condition": None,
                        "severity": "high",
                        "title": "t",
                        "fingerprint": "0" * 64,
                        "state": state,
                        "first_version": 1,
                        "last_version": 1,
                    }
                )
        session.execute(insert(StoredAlert), alerts)


def timed_list(store: Store, doc: Principal, **kwargs: object) -> float:
    times = []
    for _ in range(20):
        start = time.perf_counter()
        store.records.list(doc, **kwargs)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'load.db'}")
        store.upgrade()
        doc, _ = _users(store)
        ids = load(store, doc, args.cases, args.events)
        print(f"list (page of 50 of {len(ids)}): {timed_list(store, doc):.1f} ms")
        recompute(store, doc, ids)
        store.dispose()

        big = Store(f"sqlite:///{Path(folder) / 'big.db'}")
        big.upgrade()
        doc, other = _users(big)
        start = time.perf_counter()
        bulk(big, doc, other, args.records)
        print(f"bulk insert: {args.records} records in {time.perf_counter() - start:.1f} s")
        page = big.records.list(doc)
        mine = page.total
        ms = timed_list(big, doc)
        new_ms = timed_list(big, doc, alert_state="new")
        verdict = "ok" if ms < 50 else "SLOWER than the 50 ms target"
        print(f"list at {args.records} records ({mine} the clinician's): {ms:.1f} ms median ({verdict})")
        print(f"list with alert_state=new: {new_ms:.1f} ms median")
        big.dispose()


if __name__ == "__main__":
    main()
