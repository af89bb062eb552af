"""The local trial store: a JSON Lines file of API v2 records, one study per line, with their parsed criteria.

:func:`open_trial_store` picks the store the commands use: the case store's database when it exists (its trials
service, :class:`metastasis.store.trials.TrialService`, has the same ``add`` / ``studies`` / ``get``), else the
file: ``$METASTASIS_TRIALS_FILE``, else ``trials.jsonl`` in the user's data folder. In the file, importing a newer
copy of a study (a later ``lastUpdatePostDate``) replaces it; each change is appended to
``<store>.changes.jsonl`` (NCT id, old and new version, when). Writes go to a temporary file moved into place, so
a failed import leaves the store as it was. An import holds a lock on ``<store>.lock`` (POSIX) and reads the file
again when it changed since this store read it, so two imports never drop each other's studies.

Example
-------
>>> import tempfile, pathlib
>>> store = TrialStore(pathlib.Path(tempfile.mkdtemp()) / "trials.jsonl")
>>> store.studies()
()
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from metastasis.errors import InvalidInputError
from metastasis.trials.engine import ParsedStudy, parse
from metastasis.trials.models import Study, parse_study

ENV_FILE = "METASTASIS_TRIALS_FILE"
MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest file read (the whole registry as JSON Lines is a few gigabytes; import it in parts)."""


def default_path() -> Path:
    """``$METASTASIS_TRIALS_FILE``, else ``<user data dir>/metastasis/trials.jsonl``."""
    env = os.environ.get(ENV_FILE, "").strip()
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("metastasis")) / "trials.jsonl"


def _records(data: Any, where: str) -> Iterator[tuple[Any, str]]:
    if isinstance(data, dict) and "studies" in data:
        studies = data["studies"]
        if not isinstance(studies, list):
            raise InvalidInputError(f"{where}: studies", type(studies).__name__, "a list of study objects")
        for index, item in enumerate(studies):
            yield item, f"{where}: studies[{index}]"
    else:
        yield data, where


def read_studies(path: Path) -> list[Study]:
    """The studies in a file: one study object, an API page ``{"studies": [...]}``, or JSON Lines of either.

    Raises
    ------
    InvalidInputError
        Naming the file and line of the first record that is not valid JSON or not a study.
    """
    name = str(path)
    too_large = f"a file of at most {MAX_FILE_BYTES // 2**20} MiB"
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInputError("file", name, too_large)
    with path.open("rb") as handle:  # a pipe or device has no size: read no more than the limit
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInputError("file", name, too_large)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("file", name, "UTF-8 text (JSON)", detail=f"not UTF-8 at byte {exc.start}") from None
    found: list[Study] = []
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if whole is not None:
        for item, where in _records(whole, name):
            found.append(parse_study(item, where=where))
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(where, line[:40], "one JSON object per line", detail=exc.msg) from None
        for item, place in _records(data, where):
            found.append(parse_study(item, where=place))
    if not found:
        raise InvalidInputError("file", name, 'a study, an API page {"studies": [...]} or JSON Lines of studies')
    return found


@dataclass
class ImportResult:
    """What an import did, by NCT id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    older: list[str] = field(default_factory=list)
    rematched_records: int = 0
    """Watched records matched again against the changed studies (database store only)."""
    new_alerts: int = 0
    """"New trial match" alerts raised by those watches."""

    def summary(self) -> str:
        text = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.older)} older copies skipped"
        )
        if self.rematched_records:
            text += f"; {self.rematched_records} watched records matched again, {self.new_alerts} new trial alerts"
        return text


class TrialSource(Protocol):
    """What the commands need of a trial store: the file :class:`TrialStore` or the case store's trials."""

    @property
    def location(self) -> str: ...

    @property
    def state_path(self) -> Path: ...

    def studies(self) -> tuple[ParsedStudy, ...]: ...

    def get(self, nct_id: str) -> Study | None: ...

    def add(self, studies: Iterable[Study]) -> ImportResult: ...


def case_store_present(environ: dict[str, str] | None = None) -> bool:
    """Whether a case store exists: ``METASTASIS_DATABASE_URL`` is set, or the default SQLite file exists.

    Example
    -------
    >>> case_store_present({"METASTASIS_DATABASE_URL": "sqlite:///x.db"})
    True
    """
    env = os.environ if environ is None else environ
    if env.get("METASTASIS_DATABASE_URL", "").strip():
        return True
    import platformdirs

    return (Path(platformdirs.user_data_dir("metastasis")) / "metastasis.db").exists()


def open_trial_store(path: Path | None = None) -> TrialSource:
    """The trial store the commands use.

    Parameters
    ----------
    path:
        A JSON Lines file to use (``--store``); it wins over everything else.

    Returns
    -------
    TrialSource
        ``path``, else ``$METASTASIS_TRIALS_FILE`` when set, else the case store's trials when a case store exists
        (:func:`case_store_present`), else the default file.

    Raises
    ------
    metastasis.store.SchemaOutOfDateError
        When the case store exists but its schema is not the newest (run ``metastasis db upgrade``): the trials
        are not silently put elsewhere.
    """
    if path is not None or os.environ.get(ENV_FILE, "").strip() or not case_store_present():
        return TrialStore(path)
    from metastasis.store import Store

    store = Store()
    store.check_schema()
    return store.trials


class TrialStore:
    """Studies kept in one JSON Lines file, parsed once when read."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._parsed: dict[str, ParsedStudy] | None = None
        self._read_as: tuple[int, int] | None = None  # (mtime_ns, size) of the file when it was read

    @property
    def location(self) -> str:
        """The store's file, for messages."""
        return str(self.path)

    @property
    def state_path(self) -> Path:
        """The file that keeps ``trials update``'s next page token."""
        return self.path.with_name(self.path.name + ".update-state.json")

    @property
    def changes_path(self) -> Path:
        return self.path.with_name(self.path.name + ".changes.jsonl")

    def _signature(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _load(self) -> dict[str, ParsedStudy]:
        if self._parsed is None:
            self._read_as = self._signature()
            studies = read_studies(self.path) if self._read_as and self._read_as[1] else []
            self._parsed = {s.nct_id: parse(s) for s in studies}
        return self._parsed

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock between processes
            yield
            return
        with self.path.with_name(self.path.name + ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def studies(self) -> tuple[ParsedStudy, ...]:
        """Every stored study, parsed (criteria split and recognised once)."""
        return tuple(self._load().values())

    def get(self, nct_id: str) -> Study | None:
        """The stored study with this NCT id, or ``None``."""
        parsed = self._load().get(nct_id.strip().upper())
        return parsed.study if parsed else None

    def add(self, studies: Iterable[Study]) -> ImportResult:
        """Add or replace studies (a newer version replaces an older one) and write the store."""
        with self._locked():
            if self._parsed is not None and self._signature() != self._read_as:
                self._parsed = None  # another import wrote the file since it was read: start from what it holds
            return self._add(studies)

    def _add(self, studies: Iterable[Study]) -> ImportResult:
        current = dict(self._load())
        result = ImportResult()
        changes: list[dict[str, Any]] = []
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        for study in studies:
            old = current.get(study.nct_id)
            if old is None:
                result.added.append(study.nct_id)
            elif (study.version or "") > (old.study.version or ""):
                result.updated.append(study.nct_id)
            elif old.study.to_record() == study.to_record():
                result.unchanged.append(study.nct_id)
                continue
            elif (study.version or "") < (old.study.version or ""):
                result.older.append(study.nct_id)
                continue
            else:
                result.updated.append(study.nct_id)
            changes.append(
                {
                    "nct_id": study.nct_id,
                    "old_version": old.study.version if old else None,
                    "new_version": study.version,
                    "at": now,
                }
            )
            current[study.nct_id] = parse(study)
        if changes:
            self._write(current)
            with self.changes_path.open("a", encoding="utf-8") as log:
                for change in changes:
                    log.write(json.dumps(change) + "\n")
        self._parsed = current
        return result

    def _write(self, studies: dict[str, ParsedStudy]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for nct_id in sorted(studies):
                    out.write(json.dumps(studies[nct_id].study.to_record(), ensure_ascii=False) + "\n")
            os.replace(name, self.path)
            self._read_as = self._signature()
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
