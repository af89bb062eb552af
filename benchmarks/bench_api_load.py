"""Serving speed of the REST API against a hello-world endpoint on the same server stack, and liveness under load
(run: `make bench` or `python benchmarks/bench_api_load.py [--requests N] [--clients C] [--simulations S]`).

The server runs in its own process: the real application (``create_app``) with one benchmark-only route added,
``GET /bench/hello`` (FastAPI's hello world), served by uvicorn with the settings of ``metastasis serve`` (one
worker, uvloop and httptools when installed, JSON request logs at info, written to /dev/null). The load
generator runs in this process: ``--clients`` keep-alive connections over raw sockets (so that the client costs
little of the shared CPUs), each sending its next request when the last answer is in. Hello and staging
(``POST /api/v1/staging/breast``, pT2 pN1a cM0: anatomic stage IIB) alternate in rounds so that both see the same
machine; every answer is checked. Reports requests/s of each, their ratio, latency percentiles and the server
process's CPU time per request (from /proc, on Linux: steadier than throughput on a machine shared with others).
Hello is added after every route of the application, as any route added to it would be, so it pays for matching
all of them (about 0.1 ms); staging is the 21st route.

Then liveness: ``--simulations`` spread simulations (the largest allowed) are sent at once while health is asked
every 20 ms; reports how many simulations were answered or refused (503, beyond the pool's queue) and health's
latency meanwhile. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from fastapi import FastAPI

STAGING = {"t": "pT2", "n": "pN1a", "m": "cM0", "grade": 2, "er": "positive", "pr": "negative", "her2": "negative"}
SPREAD = {"subtype": "all", "steps": 50, "patients": 250_000, "seed": 1}


def bench_app() -> FastAPI:
    """The real application plus ``GET /bench/hello``, the baseline every framework request costs at least."""
    from metastasis.api import create_app

    app = create_app()

    @app.get("/bench/hello", include_in_schema=False)
    async def hello() -> dict[str, str]:
        return {"message": "Hello World"}

    return app


def serve(port: int) -> None:
    """Serve :func:`bench_app` as `metastasis serve` does (logging configured, uvicorn's access log off)."""
    import uvicorn

    from metastasis.api.logs import configure_logging

    configure_logging("info")
    uvicorn.run(bench_app(), host="127.0.0.1", port=port, log_level="info", access_log=False)


def request(method: str, path: str, body: dict | None, port: int) -> bytes:
    """One HTTP/1.1 request, ready to write (keep-alive is HTTP/1.1's default)."""
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    return head.encode() + b"\r\n" + data


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, bytes]:
    """Send one request on an open connection; its status and body."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    return int(lines[0].split(" ", 2)[1]), await reader.readexactly(length)


async def load(port: int, raw: bytes, total: int, clients: int, check: str) -> tuple[list[float], int, float]:
    """``total`` requests over ``clients`` connections; latencies (s), failures, wall time (s)."""
    latencies: list[float] = []
    failures = 0
    remaining = iter(range(total))

    async def client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in remaining:
            sent = time.perf_counter()
            status, body = await exchange(reader, writer, raw)
            latencies.append(time.perf_counter() - sent)
            failures += status != 200 or check not in body.decode()
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures, time.perf_counter() - started


async def liveness(port: int, simulations: int) -> tuple[dict[int, int], list[float]]:
    """Statuses of ``simulations`` concurrent spread runs, and health latencies (s) while they ran."""
    spread = request("POST", "/api/v1/simulate/spread", SPREAD, port)
    health = request("GET", "/api/v1/health", None, port)
    statuses: dict[int, int] = {}

    async def simulate() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        status, _ = await exchange(reader, writer, spread)
        statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    runs = [asyncio.create_task(simulate()) for _ in range(simulations)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[float] = []
    while not all(run.done() for run in runs):
        sent = time.perf_counter()
        status, _ = await exchange(reader, writer, health)
        latencies.append(time.perf_counter() - sent if status == 200 else float("inf"))
        await asyncio.sleep(0.02)
    writer.close()
    await asyncio.gather(*runs)
    return statuses, latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 where /proc is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def wait_until_listening(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0) -> float:
    """Seconds until the server accepts connections."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not listen on port {port} within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4_000, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--simulations", type=int, default=45)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server process: this port
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, __file__, "--serve", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoints = {
        "hello": (request("GET", "/bench/hello", None, port), "Hello World"),
        "staging": (request("POST", "/api/v1/staging/breast", STAGING, port), '"anatomic_stage":"IIB"'),
    }
    results: dict[str, tuple[list[float], int, float]] = {name: ([], 0, 0.0) for name in endpoints}
    cpu = dict.fromkeys(endpoints, 0.0)
    try:
        startup = wait_until_listening(port, server)
        for raw, check in endpoints.values():  # warm up: imports, caches, connections
            asyncio.run(load(port, raw, 500, args.clients, check))
        for _ in range(args.rounds):
            for name, (raw, check) in endpoints.items():
                used = cpu_seconds(server.pid)
                latencies, failures, wall = asyncio.run(load(port, raw, args.requests, args.clients, check))
                cpu[name] += cpu_seconds(server.pid) - used
                seen = results[name]
                results[name] = (seen[0] + latencies, seen[1] + failures, seen[2] + wall)
        statuses, health = asyncio.run(liveness(port, args.simulations)) if args.simulations else ({}, [0.0])
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"API serving speed ({args.clients} keep-alive clients, one uvicorn worker, {os.cpu_count()} CPUs, "
        f"request logs on; server ready in {startup:.1f} s):"
    )
    rate = {}
    for name, (latencies, failures, wall) in results.items():
        ms = [1000 * s for s in latencies]
        rate[name] = len(latencies) / wall
        print(
            f"  {name:8} {rate[name]:7,.0f} requests/s  p50 {percentile(ms, 0.5):.2f} ms  "
            f"p99 {percentile(ms, 0.99):.2f} ms  max {max(ms):.1f} ms  errors {failures}  "
            f"server CPU {1000 * cpu[name] / len(latencies):.2f} ms/request"
        )
    cpu_ratio = cpu["hello"] / cpu["staging"] if cpu["staging"] else float("nan")
    print(f"  staging / hello: {rate['staging'] / rate['hello']:.2f} in requests/s, {cpu_ratio:.2f} in server CPU")
    if args.simulations:
        ms = [1000 * s for s in health]
        print(
            f"liveness: {args.simulations} concurrent spread simulations (250,000 patients x 50 steps) answered "
            f"{dict(sorted(statuses.items()))}; meanwhile health p50 {percentile(ms, 0.5):.1f} ms, "
            f"max {max(ms):.1f} ms over {len(ms)} requests"
        )
    if any(failures for _, failures, _ in results.values()) or set(statuses) - {200, 503}:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
