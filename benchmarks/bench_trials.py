"""Trial matching speed (run: `python benchmarks/bench_trials.py [--copies N]`): at least 1,000 trials a second for
one case (issue 18).

The 69 real ClinicalTrials.gov records of ``tests/trials/data`` are copied ``--copies`` times under new NCT ids (so
that no copy shares another's cache entry), parsed once as the store does, then each bundled example case is
matched against all of them once. Reports the parse time and, per case, trials matched per second of this
process's CPU time (steadier than wall time on a machine shared with others; wall time is shown beside it);
exits 1 when the slowest case is under 1,000 trials per CPU second.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="copies of the 69 records (default 30: 2,070 trials)")
    args = parser.parse_args()
    records = studies(args.copies)
    start = time.perf_counter()
    parsed = [parse(s) for s in records]
    print(f"parse: {len(parsed)} trials in {time.perf_counter() - start:.2f} s (once, as the store does)")
    slowest = float("inf")
    for name in example_case_names():
        case = load_example_case(name)
        start, cpu = time.perf_counter(), time.process_time()
        matches = match_trials(case, parsed)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
        rate = len(matches) / used
        slowest = min(slowest, rate)
        print(f"match {name}: {len(matches)} trials in {used:.2f} s CPU ({elapsed:.2f} s wall) = {rate:,.0f} trials/s")
    print(f"slowest case: {slowest:,.0f} trials per CPU second (target >= {TARGET:,.0f})")
    return 0 if slowest >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
