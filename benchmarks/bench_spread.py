"""Throughput of the spread simulator and fitters (run: `make bench` or `python benchmarks/bench_spread.py`).

Target (issue 6): at least 10 million site transitions per second for the vectorised Monte Carlo. Reports
transitions per second of ``MarkovChain.simulate`` on the breast default chain (5 sites) and on a random
50-site chain, first-passage sampling, and the time of the exact analytics and of the two ensemble fits.
"""

from __future__ import annotations

import time

import numpy as np

from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.defaults import breast_chain, breast_ensemble
from metastasis.simulate.spread.fit import fit_sequences, fit_stationary

PATIENTS = 1_000_000
STEPS = 20


def _rate(label: str, transitions: int, seconds: float) -> None:
    print(
        f"{label}: {transitions:,} transitions in {seconds:.3f} s = {transitions / seconds / 1e6:,.1f} M transitions/s"
    )


def _simulate(chain: MarkovChain, start: str, label: str) -> np.ndarray:
    chain.simulate(start=start, steps=1, patients=1000, seed=0)  # build the alias table outside the timing
    begin = time.perf_counter()
    paths = chain.simulate(start=start, steps=STEPS, patients=PATIENTS, seed=1)
    _rate(f"simulate, {label}, {PATIENTS:,} patients x {STEPS} steps", PATIENTS * STEPS, time.perf_counter() - begin)
    return paths


def main() -> None:
    begin = time.perf_counter()
    breast_ensemble("triple-negative")
    print(f"breast default ensemble (1000 matrices, Newton search): built in {time.perf_counter() - begin:.2f} s")
    breast = breast_chain("triple-negative")
    paths = _simulate(breast, "breast", "breast default (5 sites)")

    rng = np.random.default_rng(7)
    sites = [f"site{i}" for i in range(50)]
    big = MarkovChain(sites=sites, matrix=rng.dirichlet(np.ones(50), size=50))
    _simulate(big, "site0", "random chain (50 sites)")

    begin = time.perf_counter()
    hits = breast.simulate_first_passage("breast", "brain", patients=PATIENTS, seed=2)
    seconds = time.perf_counter() - begin
    _rate(f"first passage breast -> brain, {PATIENTS:,} patients", int(hits.sum()), seconds)

    begin = time.perf_counter()
    for _ in range(100):
        MarkovChain(sites=sites, matrix=big.matrix).mean_first_passage_matrix()
    print(f"exact 50 x 50 mean first-passage matrix: {(time.perf_counter() - begin) / 100 * 1e3:.2f} ms")

    begin = time.perf_counter()
    fit = fit_sequences(paths, sites=breast.sites)
    print(f"fit_sequences on {fit.n_transitions:,} transitions: {time.perf_counter() - begin:.2f} s")

    target = breast.stationary()
    first = {s: float(p) for s, p in zip(breast.sites, breast.matrix[0], strict=True)}
    for method in ("search", "polytope"):
        begin = time.perf_counter()
        fit_stationary(target, method=method, n_matrices=1000, seed=3, initial=first, fixed_rows={"breast": first})
        print(f"fit_stationary ({method}), 1000 matrices of 5 x 5: {time.perf_counter() - begin:.2f} s")


if __name__ == "__main__":
    main()
