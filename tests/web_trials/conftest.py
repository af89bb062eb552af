"""The trial pages over the 69 real ClinicalTrials.gov records of tests/trials/data, in a temporary trial store
(``METASTASIS_TRIALS_FILE``, as tests/trials/test_api.py does)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.trials import TrialStore, read_studies
from tests.trials.conftest import RECORDS


@pytest.fixture(scope="package")
def store_path(tmp_path_factory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("trial-store") / "trials.jsonl"
    TrialStore(path).add(read_studies(RECORDS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("METASTASIS_TRIALS_FILE", str(path))
        yield str(path)


@pytest.fixture(scope="package")
def client(store_path) -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="package")
def raw() -> dict[str, dict]:
    """The records as ClinicalTrials.gov sent them, by NCT id (read from the file, not through the package)."""
    found = {}
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            found[record["protocolSection"]["identificationModule"]["nctId"]] = record
    return found
