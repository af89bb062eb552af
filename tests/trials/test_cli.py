"""``metastasis trials``: import, update (replayed), match and show; bad input is one line and exit status 2."""

from __future__ import annotations

import json

import httpx
import pytest
import typer
from typer.testing import CliRunner

from metastasis.commands import trials as trials_command
from metastasis.examples.cases import example_case_names
from metastasis.interop import ctgov
from tests.trials.conftest import RECORDS
from tests.trials.test_ctgov import Replay

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    main = typer.Typer()
    trials_command.register(main)

    @main.callback()
    def _root() -> None:
        """Test application."""

    return main


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "trials.jsonl"
    monkeypatch.setenv("METASTASIS_TRIALS_FILE", str(path))
    return path


@pytest.fixture
def case_file(tmp_path):
    assert "recurrent-liver-bone" in example_case_names()
    from metastasis.examples.cases import load_example_case

    path = tmp_path / "case.yaml"
    path.write_text(load_example_case("recurrent-liver-bone").to_yaml(), encoding="utf-8")
    return path


def test_import_then_match_from_the_store_as_json(app, store, case_file):
    imported = runner.invoke(app, ["trials", "import", str(RECORDS)])
    assert imported.exit_code == 0, imported.output
    assert "69 added" in imported.output
    result = runner.invoke(app, ["trials", "match", str(case_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["matches"]) == 69 and "not a medical device" in data["disclaimer"]
    first = data["matches"][0]
    assert set(first) >= {"nct_id", "title", "status", "score", "criteria", "overall_status"}
    assert set(first["criteria"][0]) >= {"kind", "text", "status", "reason", "case_fields"}


def test_match_with_a_file_and_a_status_filter_prints_a_table(app, store, case_file):
    result = runner.invoke(app, ["trials", "match", str(case_file), "--trials", str(RECORDS), "--status", "recruiting"])
    assert result.exit_code == 0, result.output
    assert "NCT05573893" in result.output and "NCT00364754" not in result.output  # completed: filtered out
    assert "not a medical device" in result.output


def test_show(app, store):
    runner.invoke(app, ["trials", "import", str(RECORDS)])
    result = runner.invoke(app, ["trials", "show", "NCT01922921"])
    assert result.exit_code == 0, result.output
    assert "Vaccine Therapy" in result.output and "[exclusion] Restrictive cardiomyopathy" in result.output


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["trials", "show", "NCT99999999"], "nct_id"),
        (["trials", "show", "12345"], "nct_id"),
        (["trials", "match", "missing.yaml"], "missing.yaml"),
        (["trials", "match", "CASE", "--status", "open"], "status"),
        (["trials", "match", "CASE", "--near", "north"], "near"),
        (["trials", "match", "CASE", "--within-km", "10"], "within_km"),
        (["trials", "import", "missing.jsonl"], "missing.jsonl"),
        (["trials", "update", "--condition", "breast cancer", "--since", "yesterday"], "since"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(app, store, case_file, args, names):
    args = [str(case_file) if a == "CASE" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and names in lines[0]


def test_update_replays_recorded_pages_into_the_store(app, store, monkeypatch, records):
    replay = Replay(records)
    monkeypatch.setattr(
        ctgov, "new_client", lambda: httpx.Client(transport=httpx.MockTransport(replay), base_url=ctgov.BASE_URL)
    )
    result = runner.invoke(app, ["trials", "update", "--condition", "breast cancer", "--page-size", "25"])
    assert result.exit_code == 0, result.output
    assert "Fetched 69 studies" in result.output
    assert len(store.read_text(encoding="utf-8").splitlines()) == 69


def test_update_without_network_says_so_in_one_line(app, store, monkeypatch):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Temporary failure in name resolution", request=request)

    monkeypatch.setattr(
        ctgov, "new_client", lambda: httpx.Client(transport=httpx.MockTransport(refuse), base_url=ctgov.BASE_URL)
    )
    monkeypatch.setattr(ctgov.time, "sleep", lambda seconds: None)
    result = runner.invoke(app, ["trials", "update", "--condition", "breast cancer"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "could not be reached" in lines[0]


def test_a_file_that_is_not_utf_8_is_one_line(app, store, tmp_path):
    path = tmp_path / "studies.json"
    path.write_bytes(b"\xff\xfe\x00{}")
    result = runner.invoke(app, ["trials", "import", str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "UTF-8" in lines[0]


def test_a_pipe_longer_than_the_limit_is_refused_without_reading_it_all(app, store, tmp_path, monkeypatch):
    # A pipe (or /dev/zero) has no size to check first; the whole of it used to be read into memory.
    import os
    import threading

    from metastasis.trials import store as store_module

    monkeypatch.setattr(store_module, "MAX_FILE_BYTES", 1000)
    fifo = tmp_path / "studies.jsonl"
    os.mkfifo(fifo)
    done = threading.Event()

    def write() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(b" " * 2000)
            pipe.flush()
            done.wait(20)  # the pipe stays open: only a bounded read returns before this

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = runner.invoke(app, ["trials", "import", str(fifo)])
        still_open = not done.is_set() and writer.is_alive()
    finally:
        done.set()
        writer.join()
    assert still_open
    assert result.exit_code == 2 and result.output.startswith("error:"), result.output
