"""Throughput of the scalar staging engine (run: `make bench` or `python benchmarks/bench_staging.py`).

Stages every T x N x M x grade x ER x PR x HER2 combination used by the exhaustive tests once and reports
calls per second. The registry-scale vectorised engine (batch issue) will be measured against this baseline.
"""

from __future__ import annotations

import itertools
import time

from metastasis.staging import stage_breast

T = ["pTX", "pT0", "pTis", "pT1mi", "pT1c", "pT2", "pT3", "pT4d"]
N = ["pNX", "pN0", "pN0(i+)", "pN1mi", "pN1a", "pN2a", "pN3c"]
M = ["cM0", "pM1"]
STATUS = ["positive", "negative"]


def main() -> None:
    combos = list(itertools.product(T, N, M, (1, 2, 3), STATUS, STATUS, STATUS))
    start = time.perf_counter()
    for t, n, m, grade, er, pr, her2 in combos:
        stage_breast(t, n, m, grade=grade, er=er, pr=pr, her2=her2)
    elapsed = time.perf_counter() - start
    print(f"scalar stage_breast: {len(combos)} cases in {elapsed:.2f} s = {len(combos) / elapsed:,.0f} cases/s")


if __name__ == "__main__":
    main()
