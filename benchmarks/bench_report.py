"""Throughput of the whole-case assessment and its renderings (`make bench`, or run this file).

Assesses every bundled example case repeatedly (after one warm-up call, which builds the cached spread chains and
the memoised bone simulations) and renders each report in every format for both audiences; prints rates. The model
figures of the HTML report (spread, bone, PREDICT) are memoised by their model inputs, so the first HTML round
(caches cold, as for a new patient) is reported apart from the rounds after it; so is assess_case with the bone
simulation cache cleared before every case (inputs never seen before).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from metastasis import assess_case
from metastasis.assess.case.bone_simulation import lesion_scenario
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report.render import render

ROUNDS = 20


def _rate(label: str, calls: int, run: Callable[[], None]) -> None:
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"{label}: {calls} in {elapsed:.2f} s = {calls / elapsed:,.1f} /s")


def main() -> None:
    cases = [load_example_case(name) for name in example_case_names()]
    reports = [assess_case(case) for case in cases]  # warm-up: spread chains, bone runs and data files are cached

    def assess() -> None:
        for _ in range(ROUNDS):
            for case in cases:
                assess_case(case)

    def assess_new_inputs() -> None:
        for case in cases:
            lesion_scenario.cache_clear()
            assess_case(case)

    _rate(f"assess_case ({len(cases)} example cases)", ROUNDS * len(cases), assess)
    _rate("assess_case, bone simulation not cached", len(cases), assess_new_inputs)
    for fmt in ("json", "markdown", "terminal", "html"):
        rounds = 5

        def run(fmt: str = fmt, rounds: int = rounds) -> None:
            for _ in range(rounds):
                for report in reports:
                    for audience in ("clinician", "patient"):
                        render(report, audience=audience, fmt=fmt)  # type: ignore[arg-type]

        if fmt == "html":
            _rate("render html, first round (figure caches cold)", len(reports) * 2, lambda: run(rounds=1))
        _rate(f"render {fmt} (both audiences)", rounds * len(reports) * 2, run)


if __name__ == "__main__":
    main()
