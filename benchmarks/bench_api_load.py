"""Load smoke test of the REST API (run: `make bench` or `python benchmarks/bench_api_load.py [--requests N]
[--concurrency C]`).

Starts `metastasis serve` on a free loopback port in a subprocess (default settings: one uvicorn worker, JSON
request logs at info, sent to /dev/null), waits for `/api/v1/health`, then fires many concurrent staging
requests (`POST /api/v1/staging/breast`, pT2 pN1a cM0: anatomic stage IIB) from one asyncio client and checks
every answer. Reports throughput, latency percentiles and the error count; exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2

STAGING = {"t": "pT2", "n": "pN1a", "m": "cM0", "grade": 2, "er": "positive", "pr": "negative", "her2": "negative"}
EXPECTED_STAGE = "IIB"  # AJCC 8th anatomic stage group of T2 N1 M0


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    """`metastasis serve` on loopback, its output discarded."""
    command = shutil.which("metastasis", path=str(Path(sys.executable).parent)) or "metastasis"
    env = {**os.environ, "METASTASIS_HOST": "127.0.0.1", "METASTASIS_PORT": str(port)}
    return subprocess.Popen([command, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> float:
    """Seconds until `/api/v1/health` answered 200; fails if the server exits or the time runs out."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx2.get(f"{base}/api/v1/health", timeout=1.0).status_code == 200:
                return time.perf_counter() - started
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"no answer from {base}/api/v1/health within {timeout:.0f} s")


async def fire(base: str, total: int, concurrency: int) -> tuple[list[float], int, float]:
    """Send ``total`` staging requests, ``concurrency`` at a time; latencies (s), failures, wall time (s)."""
    latencies: list[float] = []
    failures = 0
    remaining = iter(range(total))
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            nonlocal failures
            for _ in remaining:
                sent = time.perf_counter()
                try:
                    response = await client.post("/api/v1/staging/breast", json=STAGING)
                    ok = response.status_code == 200 and response.json()["anatomic_stage"] == EXPECTED_STAGE
                except httpx2.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - sent)
                failures += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, failures, wall


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        startup = wait_until_healthy(base, server)
        asyncio.run(fire(base, 200, min(args.concurrency, 10)))  # warm up: imports, caches, connections
        latencies, failures, wall = asyncio.run(fire(base, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    ms = [1000 * s for s in latencies]
    print(
        f"API load (POST /api/v1/staging/breast, {args.concurrency} concurrent, one uvicorn worker, {os.cpu_count()} "
        f"CPUs): {len(latencies)} requests in {wall:.2f} s = {len(latencies) / wall:,.0f} requests/s; latency "
        f"p50 {percentile(ms, 0.50):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms, "
        f"mean {statistics.fmean(ms):.1f} ms; errors {failures}; server ready in {startup:.1f} s"
    )
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
