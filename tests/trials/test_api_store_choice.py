"""The server reads the trials where ``metastasis trials import`` put them: the case store's database when one
exists, else the file (``$METASTASIS_TRIALS_FILE`` always wins)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.store import Store
from metastasis.trials import read_studies
from metastasis.trials.store import ENV_FILE
from tests.trials.conftest import RECORDS


def test_the_api_reads_the_case_store_trials(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    store.upgrade()
    store.trials.add(read_studies(RECORDS))
    monkeypatch.delenv(ENV_FILE, raising=False)
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    with TestClient(create_app(store=store)) as client:
        assert (
            client.get("/api/v1/trials/NCT06974604").json()["protocolSection"]["identificationModule"]["nctId"]
            == "NCT06974604"
        )
        empty = tmp_path / "none.jsonl"
        monkeypatch.setenv(ENV_FILE, str(empty))  # the file wins, and it holds nothing
        assert client.get("/api/v1/trials/NCT06974604").status_code == 404
    store.dispose()
