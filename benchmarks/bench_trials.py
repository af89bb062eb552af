"""Trial matching speed (run: `python benchmarks/bench_trials.py [--copies N]`): at least 1,000 trials a second for
one case (issue 18).

The 69 real ClinicalTrials.gov records of ``tests/trials/data`` are copied ``--copies`` times under new NCT ids (so
that no copy shares another's cache entry), parsed once as the store does, then each bundled example case is
matched against all of them once. Reports the parse time and, per case, trials matched per second of this
process's CPU time (steadier than wall time on a machine shared with others; wall time is shown beside it).

The same studies are then imported into a case store (a temporary SQLite file, or ``--db URL``), read back from it
(first read: records loaded and criteria parsed; second read: the parsed criteria kept per study version, only the
keys read) and matched again. Exits 1 when the slowest case, from the file or from the database, is under 1,000
trials per CPU second.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path

from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.trials import match_trials, parse, parse_study

RECORDS = Path(__file__).resolve().parent.parent / "tests" / "trials" / "data" / "ctgov_v2_studies.jsonl"
TARGET = 1_000.0


def studies(copies: int) -> list:
    records = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = []
    for number in range(copies):
        for index, record in enumerate(records):
            item = copy.deepcopy(record)
            item["protocolSection"]["identificationModule"]["nctId"] = f"NCT{number:04d}{index:04d}"
            found.append(parse_study(item))
    return found


def match_all(label: str, parsed: list) -> float:
    """Match every example case against ``parsed``; the slowest rate in trials per CPU second."""
    slowest = float("inf")
    for name in example_case_names():
        case = load_example_case(name)
        start, cpu = time.perf_counter(), time.process_time()
        matches = match_trials(case, parsed)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
        rate = len(matches) / max(used, 1e-9)
        slowest = min(slowest, rate)
        print(
            f"match {label} {name}: {len(matches)} trials in {used:.2f} s CPU ({elapsed:.2f} s wall) "
            f"= {rate:,.0f} trials/s"
        )
    return slowest


def from_database(records: list, url: str | None) -> list:
    """Import ``records`` into a case store and read them back parsed (timing each step)."""
    from metastasis.store import Store

    store = Store(url or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    store.upgrade()
    start = time.perf_counter()
    result = store.trials.add(records)
    print(f"db import: {len(result.added)} added in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    result = store.trials.add(records)
    print(f"db identical re-import: {len(result.unchanged)} unchanged in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    parsed = list(store.trials.studies())
    print(f"db first read: {len(parsed)} trials loaded and parsed in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    parsed = list(store.trials.studies())
    print(f"db next read: {len(parsed)} trials (parsed criteria kept) in {time.perf_counter() - start:.3f} s")
    watched(store)
    store.dispose()
    return parsed


def watched(store) -> None:
    """Time a new case version of a record without and with a watch over every stored study (the watch re-matches
    the record inside the writing transaction, up to MAX_STUDIES_IN_WRITE studies)."""
    from metastasis.store import Principal, Role
    from metastasis.store.watches import MAX_STUDIES_IN_WRITE

    admin = Principal(role=Role.ADMIN, user_id=store.accounts.add_user("b@example.org", "admin", "x" * 12).id)
    cases = [load_example_case("early-hr-positive"), load_example_case("de-novo-bone-only")]
    rid = store.records.create(admin, cases[0]).record_id
    version = 1
    for label in ("without a watch", "with a watch"):
        if label == "with a watch":
            start = time.perf_counter()
            store.watches.add(admin, rid)
            print(f"db watch saved (first match of the record) in {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        version = store.records.update(admin, rid, cases[version % 2], base_version=version).version
        print(
            f"db new case version {label}: {time.perf_counter() - start:.2f} s "
            f"(re-match cap {MAX_STUDIES_IN_WRITE:,} studies)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="copies of the 69 records (default 30: 2,070 trials)")
    parser.add_argument("--db", default=None, help="a case-store URL to import into (default: a temporary SQLite)")
    args = parser.parse_args()
    records = studies(args.copies)
    start = time.perf_counter()
    parsed = [parse(s) for s in records]
    print(f"parse: {len(parsed)} trials in {time.perf_counter() - start:.2f} s (once, as the store does)")
    slowest = match_all("file", parsed)
    slowest = min(slowest, match_all("db", from_database(records, args.db)))
    print(f"slowest case: {slowest:,.0f} trials per CPU second (target >= {TARGET:,.0f})")
    return 0 if slowest >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
