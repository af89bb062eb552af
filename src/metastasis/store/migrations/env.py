"""Alembic environment: the connection comes from :mod:`metastasis.store.schema` (no alembic.ini at run time)."""

from __future__ import annotations

from alembic import context

from metastasis.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
