"""What every CLI command shares: consoles, the error policy and JSON output."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
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
    """Turn :class:`InvalidInputError` into one line on stderr and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(code=2) from None

    return wrapper


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
