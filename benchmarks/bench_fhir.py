"""Throughput of the FHIR mCODE import and export (run: `make bench` or `python benchmarks/bench_fhir.py`).

Imports the 16 bundled Synthea mCODE breast-cancer bundles (tests/interop/data/synthea: 230-1,071 resources,
0.5-2.5 MB of JSON each) from parsed JSON, on one core (this process, one thread), with and without the
fhir.resources R4B structure check of each resource read (the compiled check of interop/fhir/structure.py, which
falls back to the fhir.resources model for what it refuses), and the ratio of the two; then JSON parsing alone, and
the export of the bundled example cases. Rates are bundles per second of this process's CPU time (steadier than wall
time on a shared machine) and of wall time, each the best of several passes. The target of issue 19 is >= 200
bundles/s for bundles of the Synthea size, with the structure check.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.interop.fhir import bundle_from_case, case_from_bundle
from metastasis.interop.fhir.structure import prepare

DATA = Path(__file__).resolve().parent.parent / "tests" / "interop" / "data" / "synthea"
TARGET = 200.0


def _rate(label: str, items: list[Any], work: Callable[[Any], object], rounds: int) -> float:
    """Items per second: the best of ``rounds`` passes (as timeit does: a pass slowed by other jobs on a shared
    machine says nothing about the code), in CPU time and in wall time."""
    for item in items:  # warm caches (code maps, model classes)
        work(item)
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for item in items:
            work(item)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    cpu_rate, wall_rate = len(items) / best_cpu, len(items) / best_wall
    print(f"{label:<58} {cpu_rate:8.1f}/s CPU {wall_rate:8.1f}/s wall")
    return cpu_rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="Passes over the 16 bundles (default 5).")
    args = parser.parse_args()
    texts = [gzip.decompress(p.read_bytes()) for p in sorted(DATA.glob("*.json.gz"))]
    bundles = [json.loads(t) for t in texts]
    entries = sum(len(b["entry"]) for b in bundles) / len(bundles)
    megabytes = sum(len(t) for t in texts) / len(texts) / 1e6
    print(f"{len(bundles)} Synthea bundles, mean {entries:.0f} entries, {megabytes:.2f} MB of JSON each")
    started = time.process_time()
    prepare()
    print(f"{'compiling the structure checks (once per process)':<58} {time.process_time() - started:8.3f} s CPU")
    checked = _rate("import, each resource read checked (fhir.resources R4B)", bundles, case_from_bundle, args.rounds)
    fast = _rate(
        "import, readers' own checks only (check_structure=False)",
        bundles,
        lambda b: case_from_bundle(b, check_structure=False),
        args.rounds,
    )
    print(f"{'checked / unchecked':<58} {checked / fast:8.2f}")
    _rate("json.loads of the bundle text (not part of the import)", texts, json.loads, args.rounds)
    cases = [load_example_case(name) for name in example_case_names()]
    _rate("export of the bundled example cases (validated)", cases, bundle_from_case, args.rounds * 3)
    print(
        f"target {TARGET:.0f}/s: with the structure check {'met' if checked >= TARGET else 'NOT met'}, "
        f"without it {'met' if fast >= TARGET else 'NOT met'}"
    )
    print(f"load average while measured: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
