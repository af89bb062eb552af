"""Throughput of PREDICT Breast over arrays (run: `make bench` or `python benchmarks/bench_predict.py`).

Targets: at least 1 million patients per second (issue 5) and, for version 3.x, 2 million per second on one
core (issue 20); surgery-only and treated arms, years 5/10/15. Best of three runs; the process CPU time and the
load average are printed beside the wall time, as the machine may be shared.
"""

from __future__ import annotations

import os
import time

import numpy as np

from metastasis.predict import predict_breast_batch

ROWS = 1_000_000


def columns(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    grade = rng.integers(1, 4, rows).astype(float)
    grade[rng.random(rows) < 0.1] = np.nan
    return {
        "age": rng.uniform(25, 85, rows),
        "size_mm": rng.uniform(1, 100, rows),
        "nodes": rng.integers(0, 10, rows),
        "grade": grade,
        "er": rng.integers(0, 2, rows),
        "her2": rng.integers(0, 2, rows).astype(float),
        "ki67": rng.integers(0, 2, rows).astype(float),
        "pr": rng.integers(0, 2, rows).astype(float),
        "screen": rng.integers(0, 2, rows).astype(float),
        "chemo": rng.choice([0, 2, 3], rows),
        "hormone_years": rng.choice([0, 5, 10], rows),
        "trastuzumab": rng.integers(0, 2, rows),
        "bisphosphonates": rng.integers(0, 2, rows),
        "radiotherapy": rng.integers(0, 2, rows),
    }


def main() -> None:
    data = columns(ROWS)
    print(f"load average: {os.getloadavg()[0]:.1f}")
    for version in ("2.1", "2.2", "3.1", "3.2"):
        predict_breast_batch(columns(1000), version=version)  # warm caches
        best = (float("inf"), float("inf"))
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            predict_breast_batch(data, version=version)
            best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
        print(
            f"predict_breast_batch v{version}: {ROWS:,} patients in {best[0]:.2f} s (CPU {best[1]:.2f} s) = "
            f"{ROWS / best[0]:,.0f} patients/s"
        )


if __name__ == "__main__":
    main()
