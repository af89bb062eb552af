"""Suite-wide isolation: the tests never read or write the user's own data folder.

The default trial file and the default SQLite case store live in ``platformdirs.user_data_dir("metastasis")``;
pointing ``XDG_DATA_HOME`` at a fresh temporary folder before any test runs means a test that forgets to pass its
own store finds an empty folder, instead of a developer's patients or trials (or leaving files there).
"""

from __future__ import annotations

import os
import shutil
import tempfile

_DATA_HOME = tempfile.mkdtemp(prefix="metastasis-test-data-")


def pytest_configure() -> None:
    os.environ["XDG_DATA_HOME"] = _DATA_HOME


def pytest_unconfigure() -> None:
    shutil.rmtree(_DATA_HOME, ignore_errors=True)
