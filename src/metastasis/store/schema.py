"""Migrations in code: upgrade to the newest revision, read the current one, refuse an out-of-date schema."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from metastasis.store.errors import SchemaOutOfDateError


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("metastasis.store").joinpath("migrations")))
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or ``None`` when no migration was ever applied.

    Parameters
    ----------
    engine:
        The store's engine.
    """
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (default: the newest).

    Parameters
    ----------
    engine:
        The store's engine.
    revision:
        An Alembic revision id, or ``"head"``.
    """
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def check_schema(engine: Engine) -> None:
    """Raise :class:`SchemaOutOfDateError` unless the database is at the newest migration."""
    if current_revision(engine) != head_revision():
        raise SchemaOutOfDateError()
