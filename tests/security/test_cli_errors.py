"""CLI errors are one line on stderr and exit status 2, never a traceback: a binary case file, deep nesting,
numbers with thousands of digits, lone surrogates, an output folder that does not exist, a full device. A report
dated at the end of the calendar is written. An output file is written whole or not at all."""

from __future__ import annotations

import os
import re
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.examples.cases import example_case_text

runner = CliRunner()
METASTASIS = Path(sys.executable).with_name("metastasis")


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


LAUGHS = "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
BAD_FILES = {
    "binary.json": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "deep.yaml": b"a:\n" + b"".join(b"  " * level + b"- \n" for level in range(1, 60)),
    "digits.json": b'{"schema_version": "1.0", "patient": {"age_at_diagnosis": 1' + b"0" * 5000 + b"}}",
    "digits.yaml": b"schema_version: '1.0'\npatient:\n  age_at_diagnosis: 1" + b"0" * 5000 + b"\n",
    "surrogate.json": b'{"schema_version": "1.0", "title": "\\ud800"}',
    "surrogate-key.json": b'{"schema_version": "1.0", "\\udcff": 1}',
    "laughs.yaml": b"a: &a [x, x, x, x, x, x, x, x, x]\n" + LAUGHS.encode(),
}


WHY = {
    "binary.json": "not UTF-8 text",
    "deep.json": "nested more than 32 deep",
    "deep.yaml": "nested more than 32 deep",
    "digits.json": "a number of 5,001 digits",
    "digits.yaml": "a number of 5,001 digits",
    "surrogate.json": "lone surrogate",
    "surrogate-key.json": "lone surrogate",
    "laughs.yaml": "a YAML alias",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", [["report"], ["schema", "--check"]], ids=["report", "schema-check"])
def test_bad_case_files_give_one_line(tmp_path, name, command):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    line = one_line_error(runner.invoke(app, [*command, str(path)]))
    assert WHY[name] in line, line  # names what is wrong, not only that something is
    assert len(line) < 400  # a huge input is named, not echoed


def test_the_binary_file_error_says_what_is_wrong(tmp_path):
    path = tmp_path / "binary.json"
    path.write_bytes(BAD_FILES["binary.json"])
    assert "UTF-8" in one_line_error(runner.invoke(app, ["report", str(path)]))


def test_a_folder_named_like_a_case_file(tmp_path):
    folder = tmp_path / "case.json"
    folder.mkdir()
    assert "an existing .json, .yaml or .yml file" in one_line_error(runner.invoke(app, ["report", str(folder)]))


def test_a_case_dated_at_the_end_of_the_calendar_is_reported(tmp_path):
    path = tmp_path / "far.yaml"
    path.write_text(re.sub(r"\b20\d\d-\d\d-\d\d\b", "9999-12-31", example_case_text("de-novo-bone-only")), "utf-8")
    assert runner.invoke(app, ["schema", "--check", str(path)]).exit_code == 0
    result = runner.invoke(app, ["report", str(path), "-f", "markdown"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "command",
    [["report", "--example", "hypercalcaemia", "-o", "{missing}/out.html"],
     ["example", "hypercalcaemia", "-o", "{missing}/out.md"],
     ["schema", "-o", "{missing}/case.schema.json"]],
    ids=["report", "example", "schema"],
)  # fmt: skip
def test_output_into_a_missing_folder(tmp_path, command):
    missing = tmp_path / "missing" / "dir"
    line = one_line_error(runner.invoke(app, [part.format(missing=missing) for part in command]))
    assert "output" in line
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "command",
    [["report", "--example", "hypercalcaemia", "-f", "html", "-o", "/dev/full"], ["schema", "-o", "/dev/full"]],
    ids=["report", "schema"],
)
def test_output_onto_a_full_device(command):
    line = one_line_error(runner.invoke(app, command))
    assert "No space left on device" in line
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written in place, never replaced by a file


def _file_size_limit(limit: int) -> None:  # runs in the child: writes past ``limit`` bytes fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not METASTASIS.exists() or sys.platform != "linux", reason="needs the installed command (Linux)")
def test_a_write_that_fails_half_way_leaves_no_file(tmp_path):
    target = tmp_path / "report.html"
    done = subprocess.run(
        [str(METASTASIS), "report", "--example", "hypercalcaemia", "-o", str(target)],
        preexec_fn=lambda: _file_size_limit(20_000),  # the report is about 300 kB
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert list(tmp_path.iterdir()) == []  # neither a partial report nor a temporary file


def test_an_existing_output_is_kept_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("the previous report", "utf-8")

    def full(self: Path, data: bytes) -> int:
        with self.open("wb") as stream:
            stream.write(data[:100])
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    monkeypatch.setattr(Path, "write_text", lambda self, data, *a, **k: full(self, data.encode()))
    one_line_error(runner.invoke(app, ["report", "--example", "hypercalcaemia", "-o", str(target)]))
    assert target.read_text("utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_successful_write_keeps_the_usual_permissions(tmp_path):
    target = tmp_path / "report.md"
    assert runner.invoke(app, ["report", "--example", "hypercalcaemia", "-o", str(target)]).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


@pytest.mark.parametrize(
    ("args", "field"),
    [(["stage", "\udcff", "pN0", "cM0"], "t"),  # an undecodable byte in an argument (how Python passes it on)
     (["stage", "pT2", "pN0", "cM0", "--oncotype-rs", "9" * 5000], "oncotype_rs"),
     (["stage", "pT2", "pN0", "cM0", "--grade", "9" * 5000], "grade"),
     (["stage", "pT2\ud800", "pN0", "cM0", "--json"], "t")],
    ids=["undecodable-byte", "long-float", "long-grade", "surrogate-json"],
)  # fmt: skip
def test_stage_with_odd_input(args, field):
    line = one_line_error(runner.invoke(app, args))
    assert line.startswith(f"error: invalid {field}: ")  # the field is named
    assert len(line) < 400, line  # a 5,000-character value is not echoed whole
