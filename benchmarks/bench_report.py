"""Throughput of the whole-case assessment and its renderings (`make bench`, or run this file).

Assesses every bundled example case repeatedly (after one warm-up call, which builds the cached spread chains)
and renders each report in every format for both audiences; prints rates.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from metastasis import assess_case
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
    reports = [assess_case(case) for case in cases]  # warm-up: spread chains and data files are cached

    def assess() -> None:
        for _ in range(ROUNDS):
            for case in cases:
                assess_case(case)

    _rate("assess_case (5 example cases)", ROUNDS * len(cases), assess)
    for fmt in ("json", "markdown", "terminal", "html"):
        rounds = 2 if fmt == "html" else 5

        def run(fmt: str = fmt, rounds: int = rounds) -> None:
            for _ in range(rounds):
                for report in reports:
                    for audience in ("clinician", "patient"):
                        render(report, audience=audience, fmt=fmt)  # type: ignore[arg-type]

        _rate(f"render {fmt} (both audiences)", rounds * len(reports) * 2, run)


if __name__ == "__main__":
    main()
