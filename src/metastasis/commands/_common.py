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
