"""Cohort survival at registry scale (run: `make bench` or `python benchmarks/bench_cohort.py`).

Target (issue 5): 1 million rows in seconds, not minutes: read a CSV, validate, aggregate, fit Kaplan-Meier per
group and the log-rank test. Times are whole months (as registries record them), so ties are many.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
from pyarrow import csv

from metastasis.predict.cohort import cox_model, kaplan_meier, read_cohort

ROWS = 1_000_000


def write_cohort(path: Path, rows: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    stage = rng.choice(np.array(["I", "II", "III", "IV"]), rows)
    scale = np.select([stage == "I", stage == "II", stage == "III"], [240.0, 150.0, 80.0], 30.0)
    death = np.ceil(rng.exponential(scale))
    censor = np.ceil(rng.uniform(1, 180, rows))
    table = pa.table({"months": np.minimum(death, censor), "died": (death <= censor).astype(np.int8), "stage": stage})
    csv.write_csv(table, path)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohort.csv"
        write_cohort(path, ROWS)
        start = time.perf_counter()
        cohort = read_cohort(path, time="months", event="died", by="stage")
        read = time.perf_counter()
        result = kaplan_meier(cohort, at=(12, 60))
        fitted = time.perf_counter()
        cox_model(cohort)
        done = time.perf_counter()
    print(
        f"cohort {ROWS:,} rows -> {len(cohort.counts):,} counts: read+validate+aggregate {read - start:.2f} s, "
        f"Kaplan-Meier + log-rank {fitted - read:.2f} s, Cox {done - fitted:.2f} s, total {done - start:.2f} s "
        f"({ROWS / (done - start):,.0f} rows/s); log-rank chi2 {result.logrank.statistic:.0f}"
    )


if __name__ == "__main__":
    main()
