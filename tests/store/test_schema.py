"""Migrations match the models on both backends; an out-of-date schema is refused with one line."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from metastasis.store import SchemaOutOfDateError, Store
from metastasis.store.models import Base
from metastasis.store.schema import current_revision, head_revision


def test_models_equal_migrations(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_schema_at_head(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() == "0002"
    store.check_schema()


def test_out_of_date_schema_is_refused(tmp_path: pytest.TempPathFactory) -> None:
    store = Store(f"sqlite:///{tmp_path}/empty.db")
    with pytest.raises(SchemaOutOfDateError) as caught:
        store.check_schema()
    assert str(caught.value) == "the database schema is out of date: run `metastasis db upgrade`"
    store.upgrade()
    store.check_schema()
    store.dispose()


def test_settings_url(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from metastasis.store.settings import database_url

    assert database_url({"METASTASIS_DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert database_url({"METASTASIS_DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = database_url({})
    assert url == f"sqlite:///{tmp_path}/metastasis/metastasis.db"
