"""Errors of the case store, all under :class:`metastasis.errors.MetastasisError`."""

from __future__ import annotations

from metastasis.errors import MetastasisError


class StoreError(MetastasisError):
    """Base class of the store's own errors."""


class SchemaOutOfDateError(StoreError):
    """The database is not at the newest migration; the message is the one-line instruction."""

    def __init__(self) -> None:
        super().__init__("the database schema is out of date: run `metastasis db upgrade`")


class RecordNotFound(StoreError):
    """No such record, or one the caller may not see (the two are indistinguishable on purpose)."""

    def __init__(self, record_id: object) -> None:
        self.record_id = record_id
        super().__init__(f"no case record {record_id}")


class StaleVersionError(StoreError):
    """An update was based on a version that is no longer current; ``current`` is the current version."""

    def __init__(self, record_id: int, base_version: int, current: int) -> None:
        self.record_id = record_id
        self.base_version = base_version
        self.current = current
        super().__init__(f"case record {record_id} is at version {current}, not {base_version}: reload and retry")


class AccessDenied(StoreError):
    """The caller may not do this (for actions not about one record, e.g. reading the audit trail)."""


class AuthenticationError(StoreError):
    """Wrong email or password, a locked or disabled account, or a bad, expired or revoked token.

    The message never says which, so that it cannot be used to probe accounts.
    """

    def __init__(self) -> None:
        super().__init__("the email, password or token was not accepted")
