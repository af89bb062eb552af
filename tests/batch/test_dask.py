"""The Dask engine (a LocalCluster of 2 workers, several partitions) equals the local engine row for row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from metastasis.batch.dask_runner import stage_dask
from metastasis.errors import InvalidInputError
from metastasis.staging.batch import OUTPUTS, stage_breast_batch


def _cases(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(20)
    pick = lambda values: rng.choice(np.array(values, dtype=object), rows)  # noqa: E731
    return pd.DataFrame(
        {
            "record": np.arange(rows),
            "t": pick(["pT1c", "pT2", "cT3", "ypT1", "T9", "cTis", "pT4d"]),
            "n": pick(["pN0", "cN1", "pN1mi", "ypN0", "N5", "cN3c"]),
            "m": pick(["cM0", "cM1", "pM1", "MX"]),
            "grade": pick(["1", "2", "3", "G4", None]),
            "er": pick(["+", "-", None]),
            "pr": pick(["+", "-"]),
            "her2": pick(["+", "-", "equivocal", "maybe"]),
            "oncotype_rs": np.where(rng.random(rows) < 0.5, np.nan, rng.uniform(-5, 110, rows)),
        }
    )


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_two_workers_equal_the_local_engine_row_for_row(tmp_path, client):
    cases = _cases(6000)
    source = tmp_path / "cases.parquet"
    cases.astype({"t": "category", "n": "category"}).to_parquet(source, row_group_size=1000)
    assert stage_dask(source, tmp_path / "out", client=client) == 6000
    parts = sorted((tmp_path / "out").glob("*.parquet"))
    assert len(parts) > 1  # the partitioned path, not one piece
    got = pd.read_parquet(tmp_path / "out")
    want = stage_breast_batch(cases)
    assert got["record"].tolist() == cases["record"].tolist()
    for name in OUTPUTS:
        assert [None if pd.isna(v) else v for v in got[name]] == [None if pd.isna(v) else v for v in want[name]], name
    assert got["error"].notna().sum() > 0 and got["anatomic_stage"].notna().sum() > 0


def test_csv_input_on_the_cluster(tmp_path, client):
    cases = _cases(500)
    source = tmp_path / "cases.csv"
    cases.to_csv(source, index=False)
    assert stage_dask(source, tmp_path / "out", client=client, blocksize="8KB") == 500
    got = pd.read_parquet(tmp_path / "out")
    assert got["record"].astype(int).tolist() == list(range(500))


def test_naaccr_xml_is_refused_by_the_dask_engine(tmp_path, client):
    source = tmp_path / "registry.xml"
    source.write_text("<NaaccrData/>")
    with pytest.raises(InvalidInputError, match="the Dask engine"):
        stage_dask(source, tmp_path / "out", client=client)
