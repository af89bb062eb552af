"""``metastasis users``: add, list, disable and enable accounts of the case store."""

from __future__ import annotations

import sys

import typer

from metastasis.commands._common import out, print_json, reports_input_errors
from metastasis.commands._store import OPERATOR, open_store, reports_store_errors
from metastasis.errors import InvalidInputError

users_app = typer.Typer(help="Accounts of the case store: add, list, disable, enable.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat password", hide_input=True) != first:
        raise InvalidInputError("password", "(hidden)", "the same password twice")
    return str(first)


@users_app.command("add")
@reports_input_errors
@reports_store_errors
def add(
    email: str = typer.Argument(..., help="The user's email (their log-in name)."),
    role: str = typer.Option(..., "--role", help="clinician, registrar or admin."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Add a user; the password comes from a hidden prompt or standard input (at least 12 characters)."""
    store = open_store()
    user = store.accounts.add_user(email, role, _password(password_stdin), actor=OPERATOR)
    out.print(f"added {user.email} ({user.role})", markup=False)


@users_app.command("list")
@reports_input_errors
@reports_store_errors
def list_users(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the accounts."""
    users = open_store().accounts.list_users()
    if as_json:
        print_json({"users": [u.model_dump(mode="json") for u in users]})
        return
    for user in users:
        state = "active" if user.active else "disabled"
        out.print(f"{user.email}\t{user.role}\t{state}", markup=False)


@users_app.command("disable")
@reports_input_errors
@reports_store_errors
def disable(email: str = typer.Argument(..., help="The user's email.")) -> None:
    """Disable an account: it can no longer log in and its tokens stop working."""
    user = open_store().accounts.set_active(email, False, actor=OPERATOR)
    out.print(f"disabled {user.email}", markup=False)


@users_app.command("enable")
@reports_input_errors
@reports_store_errors
def enable(email: str = typer.Argument(..., help="The user's email.")) -> None:
    """Enable an account again (and clear its lock-out)."""
    user = open_store().accounts.set_active(email, True, actor=OPERATOR)
    out.print(f"enabled {user.email}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
