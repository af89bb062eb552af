"""Where the case store lives: ``METASTASIS_DATABASE_URL``, else a SQLite file in the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_URL = "METASTASIS_DATABASE_URL"
"""Environment variable naming the database (``sqlite:///path`` or ``postgresql+psycopg://user@host/db``)."""


def default_sqlite_path() -> Path:
    """The SQLite file used when no URL is set (its folder is created).

    Returns
    -------
    Path
        ``<user data dir>/metastasis/metastasis.db``.

    Example
    -------
    >>> default_sqlite_path().name
    'metastasis.db'
    """
    folder = Path(platformdirs.user_data_dir("metastasis"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "metastasis.db"


def database_url(environ: dict[str, str] | None = None) -> str:
    """The database URL: ``METASTASIS_DATABASE_URL`` when set, else the default SQLite file.

    A bare ``postgresql://`` URL is given the psycopg 3 driver.

    Parameters
    ----------
    environ:
        The environment to read (``os.environ`` by default).

    Returns
    -------
    str
        A SQLAlchemy URL.
    """
    env = os.environ if environ is None else environ
    url = env.get(ENV_URL, "").strip()
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
