"""CLI start-up: wall time and peak memory of short commands (`make bench`, or run this file).

Runs ``metastasis --help`` and ``metastasis stage pT2 pN1a cM0`` in fresh interpreters, several times each, and
prints the median wall time and the median maximum resident set size of the child process (target: 0.4 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

COMMANDS = (("--help",), ("stage", "pT2", "pN1a", "cM0"))
RUNS = 7
LAUNCH = "import sys; from metastasis.cli import main; sys.argv[0] = 'metastasis'; main()"


def _run_once(args: tuple[str, ...]) -> tuple[float, float]:
    """Wall seconds and max RSS (MiB) of one run of ``metastasis *args`` in a fresh interpreter."""
    start = time.perf_counter()
    pid = os.posix_spawn(
        sys.executable,
        [sys.executable, "-c", LAUNCH, *args],
        os.environ,
        file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)],
    )
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), ["metastasis", *args])
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS, KiB on Linux
    return elapsed, kib / 1024


def main() -> None:
    _run_once(("--help",))  # warm the file-system cache and byte-code
    for args in COMMANDS:
        runs = [_run_once(args) for _ in range(RUNS)]
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        print(f"metastasis {' '.join(args)}: median of {RUNS} runs {wall:.3f} s wall, {rss:.0f} MiB max RSS")


if __name__ == "__main__":
    main()
