"""The case store's pages: sign-in, the clinician's records, a record over time and the patient's own view.

* :mod:`~metastasis.web.records_auth`: ``/login``, ``/logout``, ``/invite/{token}`` (sessions and CSRF:
  :mod:`~metastasis.web.session`, :mod:`~metastasis.web.csrf`);
* :mod:`~metastasis.web.records_list`: ``/records`` and ``/records/new``;
* :mod:`~metastasis.web.records_record`: ``/records/{id}`` and its actions;
* :mod:`~metastasis.web.records_patient`: ``/my-record``.

See ``docs/web_store.md``.
"""

from __future__ import annotations

from fastapi import APIRouter

from metastasis.web import records_auth, records_list, records_patient, records_record

router = APIRouter(include_in_schema=False)
for _module in (records_auth, records_list, records_record, records_patient):  # the list's /records/new first
    router.include_router(_module.router)
