"""Shared fixture for the ``metastasis batch`` command tests."""

from __future__ import annotations

import pytest
import typer

from metastasis.commands.batch import register


@pytest.fixture
def app() -> typer.Typer:
    """A Typer app holding only the ``batch`` commands (a root callback keeps ``batch`` a sub-command)."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)

    @app.callback()
    def _root() -> None:
        """Test root."""

    return app
