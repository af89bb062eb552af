"""Speed of the bone simulations (run: `python benchmarks/bench_bone.py`).

Reports the best of several repeats for one five-year simulation of each model (target: well under 100 ms),
a lesion scenario (two five-year arms), and a 10,000-parameter-set Komarova sweep integrated as one stacked,
vectorised LSODA system, against the same sets run one by one (estimated from a sample).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from metastasis.simulate.bone import (
    Ayati2010,
    Komarova2003,
    Lemaire2004,
    denosumab,
    komarova_sweep,
    sample_parameters,
    simulate_lesion,
    zoledronic_acid,
)

FIVE_YEARS = 5 * 365.25


def best_of(fn: Callable[[], object], repeats: int = 7) -> float:
    """Best wall time of ``repeats`` calls, in seconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    single = {
        "Komarova 2003 single cycle": lambda: Komarova2003("single_cycle").simulate(days=FIVE_YEARS),
        "Komarova 2003 cycling (Psi = 0)": lambda: Komarova2003("cycling").simulate(days=FIVE_YEARS),
        "Ayati 2010 osteolytic, untreated": lambda: Ayati2010("tumour").simulate(days=FIVE_YEARS),
        "Ayati 2010 osteolytic + denosumab q4w": lambda: Ayati2010("tumour").simulate(
            days=FIVE_YEARS, treatment=denosumab(start_day=180)
        ),
        "Ayati 2010 osteolytic + zoledronic acid q4w": lambda: Ayati2010("tumour").simulate(
            days=FIVE_YEARS, treatment=zoledronic_acid(start_day=180)
        ),
        "Lemaire 2004 + denosumab q4w": lambda: Lemaire2004().simulate(days=FIVE_YEARS, treatment=denosumab()),
        "lesion scenario (both arms)": lambda: simulate_lesion("osteolytic", "denosumab", years=5),
    }
    print("One five-year simulation (best of 7, LSODA, default tolerances and output grid):")
    for name, fn in single.items():
        seconds = best_of(fn)
        print(f"  {name:45s} {seconds * 1e3:7.1f} ms  = {1 / seconds:6.1f} runs/s")

    n = 10_000
    params = sample_parameters("single_cycle", n=n, spread=0.2, seed=0)
    start = time.perf_counter()
    result = komarova_sweep(params, days=FIVE_YEARS)
    batch = time.perf_counter() - start
    print(f"\nKomarova sweep, {n:,} parameter sets x 5 years, one stacked LSODA system (rtol 1e-8):")
    print(f"  {batch:.2f} s = {n / batch:,.0f} parameter sets/s ({result.solver['steps']} steps, "
          f"{int(result.failed.sum())} failed)")  # fmt: skip

    sample = 50
    start = time.perf_counter()
    for i in range(sample):
        Komarova2003("single_cycle", **{k: float(v[i]) for k, v in params.items()}).simulate(days=FIVE_YEARS, rtol=1e-8)
    one_by_one = (time.perf_counter() - start) / sample
    print(f"  one by one (event-located, rtol 1e-8): {one_by_one * 1e3:.1f} ms per set = {1 / one_by_one:,.0f} sets/s; "
          f"the batch is {one_by_one * n / batch:.0f}x faster")  # fmt: skip
    print("\nSensitivity (Spearman rank correlation with the minimum and final bone mass):")
    print(result.sensitivity().round(3).to_string())


if __name__ == "__main__":
    main()
