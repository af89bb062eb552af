"""What every CLI command shares: consoles, the error policy, JSON output and writing output files.

Bad input and files that cannot be read or written print one line on stderr and exit with status 2, never a
traceback. Output files are written whole or not at all: into a temporary file in the same folder, moved onto
the name asked for only once everything is written (a full disk or an error leaves no empty or partial file).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from metastasis import DISCLAIMER
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, get_source

P = ParamSpec("P")
R = TypeVar("R")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def reports_input_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`InvalidInputError`, and a file that cannot be read or written (``OSError``), into one line on
    stderr and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            err.print(printable(f"error: {exc}"), markup=False)
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = f" {printable(exc.filename)}:" if exc.filename else ""
            err.print(f"error:{where} {exc.strerror or 'input/output error'}", markup=False)
        raise typer.Exit(code=2)

    return wrapper


def printable(text: Any) -> str:
    """Text that can be printed: an undecodable byte of a file name or argument (a lone surrogate) escaped."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def _unwritable(field: str, path: Path, exc: OSError) -> InvalidInputError:
    return InvalidInputError(
        field, printable(path), "a file in an existing folder that can be written", detail=exc.strerror or str(exc)
    )


def check_output(path: Path, *, field: str = "output") -> None:
    """Refuse an output file whose folder does not exist, before any work is done."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInputError(
            field, printable(path), "a file in an existing folder that can be written", detail="no such folder"
        )


def _new_file_mode(path: Path) -> int:
    """The mode the file would get if written directly: its own when it exists, else 0666 less the umask."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(path: Path, *, field: str = "output") -> Iterator[Path]:
    """A temporary file (same folder, same suffix) to write instead of ``path``; it replaces ``path`` only when
    the block ends without error and is removed otherwise. ``OSError`` becomes :class:`InvalidInputError`."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix or ".tmp")
        os.close(handle)
    except OSError as exc:
        raise _unwritable(field, path, exc) from None
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _new_file_mode(path))
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _unwritable(field, path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_output(path: Path, text: str, *, field: str = "output") -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all (see :func:`atomic_output`).

    A path that exists and is not a regular file (``/dev/stdout``, a pipe, ``/dev/full``) is written in place.
    """
    data = text.encode("utf-8", "backslashreplace")
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            with path.open("wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise _unwritable(field, path, exc) from None
        return
    check_output(path, field=field)
    with atomic_output(path, field=field) as temp:
        temp.write_bytes(data)


def print_json(result: BaseModel | dict[str, Any]) -> None:
    """Print a result as JSON on stdout, with the disclaimer alongside."""
    data = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
    typer.echo(json.dumps({**data, "disclaimer": DISCLAIMER}, indent=2, ensure_ascii=False))


def print_disclaimer() -> None:
    out.print(f"\n[dim]{DISCLAIMER}[/dim]")


def print_evidence(result: Evidenced, *, reasons: bool = True) -> None:
    """Print a result's reasons (optional), caveats and full source records."""
    if reasons:
        out.print("\n[bold]Reasons[/bold]")
        for reason in result.reasons:
            out.print(f"  - {reason.text} [{', '.join(reason.sources)}]", markup=False)
    if result.caveats:
        out.print("\n[bold]Caveats[/bold]")
        for caveat in result.caveats:
            out.print(f"  - {caveat}", markup=False)
    out.print("\n[bold]Sources[/bold]")
    for source_id in result.sources:
        source = get_source(source_id)
        link = f" {source.link}" if source.link else ""
        out.print(f"  [{source.id}] ({source.verification.value}) {source.citation}{link}", markup=False)
