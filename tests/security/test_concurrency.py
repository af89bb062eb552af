"""Concurrency and liveness: heavy work is bounded, health stays live, slow bodies time out, clients that leave are
not errors.

A simulation is made to block on an event (the library function is swapped for one that waits, then runs the
real one on a tiny request), so the tests control exactly when the workers are busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx2
import pytest
from anyio import to_thread

from metastasis.api import create_app
from metastasis.api.catalogue import operation
from metastasis.errors import InvalidInputError
from tests.api.conftest import request_log

T = TypeVar("T")

SPREAD = "/api/v1/simulate/spread"
TINY_SPREAD = {"subtype": "all", "steps": 2, "patients": 50, "seed": 1}
MIRELS_BODY = b'{"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}'
#: Generous bound for a request that must not wait for the workers (they are blocked for the whole test).
PROMPT_S = 3.0


class Gate:
    """Simulations wait here until :meth:`open`; ``started`` counts those a worker took."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.started += 1
        self.release.wait(10)  # never hangs the test run for long, whatever fails

    def open(self) -> None:
        self.release.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """The spread simulation blocks on a gate (opened at the end of the test whatever happens)."""
    spread = operation("simulate_spread")
    real = spread.func
    _ = spread.request_model, spread.response_model  # built from the real function before it is swapped
    waiting = Gate()

    def blocking(**arguments: object) -> object:
        waiting.enter()
        return real(**arguments)

    monkeypatch.setitem(vars(spread), "func", blocking)  # the dataclass is frozen
    yield waiting
    waiting.open()


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a fresh event loop in its own thread: the browser tests' Playwright session may keep
    an event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(lambda: asyncio.run(make())).result()


def client_of(app: object) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://testserver", timeout=30)


async def until(condition: object, timeout: float = PROMPT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.01)


# --- the worker pool: health stays live, a full pool answers 503


def test_health_answers_at_once_while_simulations_fill_every_thread(gate, monkeypatch):
    monkeypatch.setenv("METASTASIS_WORKERS", "2")
    monkeypatch.setenv("METASTASIS_QUEUE", "2")
    app = create_app()
    crowd = 0

    async def scenario() -> tuple[httpx2.Response, float, list[httpx2.Response]]:
        nonlocal crowd
        crowd = to_thread.current_default_thread_limiter().total_tokens + 5  # more than Starlette's thread pool
        async with client_of(app) as client:
            runs = [asyncio.create_task(client.post(SPREAD, json=TINY_SPREAD)) for _ in range(crowd)]
            try:
                await until(lambda: gate.started >= 1)
                await asyncio.sleep(0.2)  # every simulation request has reached the server
                sent = time.perf_counter()
                health = await asyncio.wait_for(client.get("/api/v1/health"), PROMPT_S)
                waited = time.perf_counter() - sent
            finally:
                gate.open()
            return health, waited, await asyncio.gather(*runs)

    health, waited, runs = run_async(scenario)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert waited < 1.0
    statuses = [run.status_code for run in runs]
    assert statuses.count(200) == 4  # two running, two queued
    assert statuses.count(503) == crowd - 4


def test_beyond_the_queue_heavy_routes_answer_503_with_retry_after(gate, monkeypatch):
    monkeypatch.setenv("METASTASIS_WORKERS", "1")
    monkeypatch.setenv("METASTASIS_QUEUE", "1")
    app = create_app()
    case = {"content": json.dumps({"schema_version": "1.0"}), "headers": {"content-type": "application/json"}}

    async def scenario() -> tuple[list[httpx2.Response], list[httpx2.Response]]:
        async with client_of(app) as client:
            admitted = [asyncio.create_task(client.post(SPREAD, json=TINY_SPREAD)) for _ in range(2)]
            try:
                await until(lambda: gate.started == 1)
                await asyncio.sleep(0.1)  # the second is queued
                refused = await asyncio.wait_for(
                    asyncio.gather(
                        client.post(SPREAD, json=TINY_SPREAD, headers={"X-Request-ID": "busy-1"}),
                        client.post("/api/v1/report", **case),
                        client.post("/api/v1/case/validate", **case),
                        client.post("/clinician/simulate/cascade", data={"cells": "100"}),
                    ),
                    PROMPT_S,
                )
            finally:
                gate.open()
            return refused, await asyncio.gather(*admitted)

    refused, admitted = run_async(scenario)
    assert [r.status_code for r in admitted] == [200, 200]
    assert [r.status_code for r in refused] == [503] * 4
    assert all(r.headers["retry-after"].isdigit() for r in refused)
    body = refused[0].json()
    assert set(body) == {"detail", "request_id"} and body["request_id"] == "busy-1"
    assert body["detail"][0]["field"] == "server" and "busy" in body["detail"][0]["message"]
    assert refused[3].headers["content-type"].startswith("text/html")  # a web page answers a page


def test_pool_sizes_come_from_the_environment():
    from metastasis.api.workers import WorkerPool, available_cpus

    default = WorkerPool.from_environ({})
    assert (default.workers, default.queue) == (available_cpus(), 2 * available_cpus())
    sized = WorkerPool.from_environ({"METASTASIS_WORKERS": "3", "METASTASIS_QUEUE": "0"})
    assert (sized.workers, sized.queue) == (3, 0)
    for name, value in (("METASTASIS_WORKERS", "0"), ("METASTASIS_WORKERS", "many"), ("METASTASIS_QUEUE", "-1")):
        with pytest.raises(InvalidInputError) as caught:
            WorkerPool.from_environ({name: value})
        assert caught.value.field == name


# --- slow bodies time out (a real server, so that uvicorn's side is tested too)


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    """The app on uvicorn on a free loopback port, with a half-second body deadline."""
    import uvicorn

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("METASTASIS_BODY_TIMEOUT", "0.5")
        app = create_app()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.02)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/scores/mirels", "application/json"),  # an operation (FastAPI reads the body)
        ("/api/v1/case/validate", "application/json"),  # a case (read by hand)
        ("/patient/stage", "application/x-www-form-urlencoded"),  # a web form
    ],
)
def test_a_body_sent_byte_by_byte_times_out_with_408(server_port, path, content_type):
    with socket.create_connection(("127.0.0.1", server_port), timeout=PROMPT_S) as conn:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: 1000\r\n\r\n"
        )
        conn.sendall(head.encode())
        conn.setblocking(False)
        answer, started = b"", time.monotonic()
        while b"\r\n\r\n" not in answer and time.monotonic() - started < PROMPT_S:
            with contextlib.suppress(OSError):  # closed by the server
                conn.send(b"{")
            time.sleep(0.05)
            with contextlib.suppress(BlockingIOError):
                answer += conn.recv(65536)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80] or "no answer"
        assert time.monotonic() - started < 2.0
        conn.settimeout(PROMPT_S)
        with contextlib.suppress(ConnectionResetError):  # closed with bytes of ours unread: closed all the same
            while chunk := conn.recv(65536):  # the server closes the connection after the 408
                answer += chunk
    assert b"connection: close" in answer.lower()


# --- a client that leaves mid-request is logged at info


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    with request_log() as lines:
        yield lines.stream


async def call_then_disconnect(app: object, path: str, content_type: str) -> list[dict]:
    """Send half a body straight into the ASGI app, then the client's disconnect; what the app sent back."""
    messages = iter([{"type": "http.request", "body": MIRELS_BODY[:20], "more_body": True}])
    sent: list[dict] = []

    async def receive() -> dict:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"host", b"testserver"), (b"content-type", content_type.encode()), (b"content-length", b"500")]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    await app(scope, receive, send)  # type: ignore[operator]
    return sent


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/scores/mirels", "application/json"),
        ("/api/v1/case/validate", "application/json"),
        ("/patient/stage", "application/x-www-form-urlencoded"),
    ],
)
def test_a_client_that_disconnects_mid_body_is_logged_at_info(server_log, path, content_type):
    run_async(lambda: call_then_disconnect(create_app(), path, content_type))
    entries = [json.loads(line) for line in server_log.getvalue().splitlines()]
    assert [entry["level"] for entry in entries] == ["info"]
    assert (entries[0]["event"], entries[0]["status"]) == ("request", 499)


def test_the_same_app_started_twice_gets_a_fresh_pool():
    """The pool is shut down with the app; a second start (tests, reloads) must not meet a dead pool."""
    from fastapi.testclient import TestClient

    app = create_app()
    for _ in range(2):
        with TestClient(app) as client:
            assert client.post("/api/v1/simulate/cascade", json={}).status_code == 200
