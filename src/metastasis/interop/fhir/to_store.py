"""Import an mCODE bundle into the case store: a new record, or the next version of an existing one.

The bundle is read exactly as :func:`~metastasis.interop.fhir.case_from_bundle` reads it; the case it gives is then
written through the store's own services, so the role check, the audit row, the alerts and the optimistic
concurrency are the store's (``docs/store.md``): an existing record is updated only from the version the caller
names (``base_version``), and :class:`~metastasis.store.StaleVersionError` says another write got in first (nothing
is written). The version's reason says it came from a FHIR import and counts what the import report holds (no
patient data); the report itself (every warning, conflict and ignored element) is returned with the result.

The imported case is the whole new version: it is not merged with the record's current case. Earlier versions are
kept, so a clinician can compare them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.model import ImportResult

if TYPE_CHECKING:
    from metastasis.store import Principal, Store


class StoredImport(BaseModel):
    """Where an import into the case store left the record, and the import's account of the bundle."""

    model_config = ConfigDict(frozen=True)

    id: int = Field(description="The case record's id.")
    version: int = Field(description="The version written (also the ETag).")
    created: bool = Field(description="Whether the import started a new record (else it added a version).")
    reason: str = Field(description="The reason kept with the version.")
    result: ImportResult = Field(description="The import: the case, what was used, ignored, in conflict, doubtful.")


def import_reason(result: ImportResult) -> str:
    """The version's reason: that the case came from a FHIR import, and what the import report counts.

    No patient data and no file name (a bundle's file is often named after the patient).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> from metastasis.interop.fhir import bundle_from_case, case_from_bundle
    >>> import_reason(case_from_bundle(bundle_from_case(load_example_case("early-hr-positive"))))
    'imported from a FHIR bundle: 17 resources read, 0 warnings, 0 conflicts, 0 ignored'
    """
    return (
        f"imported from a FHIR bundle: {len(result.used)} resources read, {len(result.warnings)} warnings, "
        f"{len(result.conflicts)} conflicts, {len(result.ignored)} ignored"
    )


def _bundle(raw: bytes | str | Mapping[str, Any]) -> Any:
    from metastasis.interop.fhir.io import load_bundle

    if isinstance(raw, bytes | str):
        return load_bundle(raw, source="bundle")
    return raw


def _version(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        allowed = "a record id (a whole number from 1)" if name == "record_id" else "a version number from 1"
        raise InvalidInputError(name, value, allowed)
    return value


def import_into_store(
    store: Store,
    actor: Principal,
    raw: bytes | str | Mapping[str, Any],
    *,
    record_id: int | None = None,
    base_version: int | None = None,
    request_id: str | None = None,
    check_structure: bool = True,
) -> StoredImport:
    """Import a bundle as a new record, or as the next version of ``record_id`` based on ``base_version``.

    Parameters
    ----------
    store:
        The case store.
    actor:
        Who imports (a clinician creates records they then own; an admin may create and update any).
    raw:
        The bundle: JSON text (bytes or str, bounded by :data:`~metastasis.interop.fhir.io.MAX_BUNDLE_BYTES`) or
        already parsed.
    record_id:
        An existing record to add a version to; ``None`` starts a new record.
    base_version:
        With ``record_id``: the version the import replaces (required: the store refuses the write if it is no
        longer current). Without ``record_id`` it must be ``None``.
    request_id:
        Recorded in the audit trail.
    check_structure:
        As :func:`~metastasis.interop.fhir.case_from_bundle`.

    Returns
    -------
    StoredImport
        The record id, the version written, whether it was created, the reason kept, and the import report.

    Raises
    ------
    InvalidInputError
        A bundle the import refuses (not JSON, not a Bundle, no breast primary ...), or a ``base_version``
        missing (with ``record_id``) or given without one. Nothing is written.
    metastasis.store.StaleVersionError
        ``base_version`` is no longer current. Nothing is written.
    metastasis.store.RecordNotFound
        No such record, or one ``actor`` may not update.
    metastasis.store.AccessDenied
        ``actor`` may not create records.

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> from metastasis.interop.fhir import bundle_from_case
    >>> from metastasis.store import Store
    >>> store = Store("sqlite://")
    >>> store.upgrade()
    >>> _ = store.accounts.add_user("doc@example.org", "clinician", "correct horse battery")
    >>> me = store.accounts.authenticate("doc@example.org", "correct horse battery")
    >>> bundle = bundle_from_case(load_example_case("early-hr-positive"))
    >>> first = import_into_store(store, me, bundle)
    >>> first.created, first.version
    (True, 1)
    >>> import_into_store(store, me, bundle, record_id=first.id, base_version=1).version
    2
    """
    from metastasis.interop.fhir.importer import case_from_bundle

    record = _version("record_id", record_id)
    base = _version("base_version", base_version)
    if record is None and base is not None:
        raise InvalidInputError("base_version", base, "no base version for a new record (give record_id too)")
    if record is not None and base is None:
        raise InvalidInputError(
            "base_version", None, "the version the import replaces (the store refuses it if another write got in)"
        )
    result = case_from_bundle(_bundle(raw), check_structure=check_structure)
    reason = import_reason(result)
    if record is None:
        info = store.records.create(actor, result.case, reason=reason, request_id=request_id)
    else:
        assert base is not None
        info = store.records.update(actor, record, result.case, base_version=base, reason=reason, request_id=request_id)
    return StoredImport(id=info.record_id, version=info.version, created=record is None, reason=reason, result=result)
