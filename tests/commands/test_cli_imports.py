"""CLI start-up stays light: heavy libraries are imported only by the commands that use them.

Each check runs in a fresh interpreter, so that modules imported by other tests do not count. The start-up time
itself is measured in ``benchmarks/bench_cli_startup.py``, not here.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

import metastasis.commands
from metastasis.cli import COMMANDS, app, load_command

HEAVY = ("scipy", "pandas", "matplotlib", "fastapi", "lifelines", "pyarrow")

_REPORT_HEAVY = (
    f"import json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)\n"
)


def _run(code: str) -> tuple[str, list[str]]:
    """Run ``code`` in a fresh interpreter; its stdout and the heavy libraries it had imported at the end."""
    done = subprocess.run(
        [sys.executable, "-c", code + "\n" + _REPORT_HEAVY], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def _cli(*args: str) -> str:
    return (
        "import sys\nfrom metastasis.cli import main\n"
        f"sys.argv = ['metastasis', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
    )


def test_importing_the_cli_imports_no_heavy_library():
    _, heavy = _run("import metastasis.cli")
    assert heavy == []


def test_help_lists_every_command_without_heavy_libraries():
    output, heavy = _run(_cli("--help"))
    assert heavy == []
    assert "Usage: metastasis" in output
    for name in COMMANDS:
        assert name in output


def test_stage_runs_without_heavy_libraries():
    output, heavy = _run(_cli("stage", "pT2", "pN1a", "cM0"))
    assert heavy == []
    assert "Anatomic stage" in output and "IIB" in output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_help_line_is_the_commands_own_help(name):
    command = load_command(name)
    assert command.name == name
    assert command.help == COMMANDS[name][1]


def test_every_registered_command_is_listed_under_its_module():
    modules = [m.name for m in pkgutil.iter_modules(metastasis.commands.__path__) if not m.name.startswith("_")]
    assert sorted(modules) == sorted({module for module, _ in COMMANDS.values()})
    for module in modules:
        registry = typer.Typer()
        importlib.import_module(f"metastasis.commands.{module}").register(registry)
        names = [c.name for c in registry.registered_commands] + [g.name for g in registry.registered_groups]
        assert names and all(COMMANDS[name][0] == module for name in names), module


def test_a_mistyped_command_suggests_the_listed_one():
    result = CliRunner().invoke(app, ["scor"])
    assert result.exit_code == 2
    assert "Did you mean 'score'" in result.output
