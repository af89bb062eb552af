"""The case store: patients followed over time, with accounts, roles and an audit trail (``docs/store.md``).

One :class:`Store` per process holds the database engine; its services do one transaction per call and audit
every access to patient data:

* ``store.records`` (:class:`~metastasis.store.records.RecordService`): ``create``, ``get``, ``versions``,
  ``update`` (optimistic: :class:`StaleVersionError`), ``add_event``, ``timeline``, ``list``, ``erase``, ``export``;
* ``store.alerts`` (:class:`~metastasis.store.alerts.AlertService`): ``list``, ``acknowledge``, ``due``;
* ``store.accounts`` (:class:`~metastasis.store.accounts.AccountService`): ``add_user``, ``authenticate``,
  ``list_users``, ``set_active``, ``set_password``;
* ``store.tokens`` (:class:`~metastasis.store.tokens.TokenService`): web sessions, access and API tokens,
  invitations;
* ``store.audit`` (:class:`~metastasis.store.audit.AuditService`): ``query`` (admins).

Record-level methods take the acting :class:`Principal` first and ``request_id=`` last; a record the caller may
not see raises :class:`RecordNotFound`, exactly like a missing one.

Example
-------
>>> from metastasis.examples.cases import load_example_case
>>> store = Store("sqlite://")
>>> store.upgrade()
>>> user = store.accounts.add_user("doc@example.org", "clinician", "correct horse battery")
>>> me = store.accounts.authenticate("doc@example.org", "correct horse battery")
>>> store.records.create(me, load_example_case("hypercalcaemia")).version
1
"""

from metastasis.store.access import Action, Principal, RecordRef, Role, is_allowed
from metastasis.store.core import Store
from metastasis.store.errors import (
    AccessDenied,
    AuthenticationError,
    RecordNotFound,
    SchemaOutOfDateError,
    StaleVersionError,
    StoreError,
)

__all__ = [
    "AccessDenied",
    "Action",
    "AuthenticationError",
    "Principal",
    "RecordNotFound",
    "RecordRef",
    "Role",
    "SchemaOutOfDateError",
    "StaleVersionError",
    "Store",
    "StoreError",
    "is_allowed",
]
