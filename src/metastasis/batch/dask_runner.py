"""Staging beyond one machine: the same vectorised function over the partitions of a Dask DataFrame.

``stage_dask`` reads Parquet or CSV with ``dask.dataframe``, maps :func:`stage_partition` (which is
:func:`~metastasis.staging.batch.stage_breast_batch` with plain output types) over every partition on a
``dask.distributed`` cluster, and writes Parquet (a folder of part files). The cluster is the scheduler at
``scheduler`` (``tcp://host:8786``; see ``docs/batch.md`` for ``dask scheduler``/``dask worker`` and
Kubernetes) or, when none is given, a ``LocalCluster`` on this machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from metastasis.batch.tables import format_of
from metastasis.errors import InvalidInputError
from metastasis.staging.batch import OUTPUTS, stage_breast_batch


def stage_partition(frame: pd.DataFrame) -> pd.DataFrame:
    """Stage one partition; ``rule`` as a nullable integer. Text outputs stay categorical (cheap to write):
    :func:`stage_dask` gives Parquet one type for the categories of every part.

    Example
    -------
    >>> f = pd.DataFrame({"t": ["pT1"], "n": ["pN0"], "m": ["cM0"], "grade": [1], "er": ["+"], "pr": ["+"],
    ...                   "her2": ["-"], "oncotype_rs": [None]})
    >>> stage_partition(f)["prognostic_stage"].tolist()
    ['IA']
    """
    out = stage_breast_batch(frame)
    out["rule"] = out["rule"].astype("Int32")
    return out


def _schema(meta: pd.DataFrame) -> dict[str, pa.DataType]:
    """Categorical columns as dictionaries of text with 32-bit indices: their categories differ from part to part
    (and are unknown in the metadata), so the writer must not infer the type from the metadata."""
    return {
        str(name): pa.dictionary(pa.int32(), pa.string())
        for name, dtype in meta.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype)
    }


def _read(path: Path, blocksize: str) -> Any:
    import dask.dataframe as dd

    kind = format_of(path)
    if kind == "parquet":
        return dd.read_parquet(str(path), split_row_groups=True)
    if kind == "csv":
        return dd.read_csv(str(path), dtype=object, blocksize=blocksize).astype({"oncotype_rs": "float64"})
    raise InvalidInputError("input", str(path), "a Parquet or CSV file (the Dask engine)", detail=f"this is {kind}")


def stage_dask(
    source: Path | str,
    target: Path | str,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    processes: bool = True,
    blocksize: str = "64MB",
    client: Any = None,
) -> int:
    """Stage a Parquet or CSV file on a Dask cluster and write Parquet.

    Parameters
    ----------
    source:
        Parquet (file or folder) or CSV.
    target:
        Output Parquet folder (one file per partition, input order kept).
    scheduler:
        Address of a running scheduler; ``None`` starts a ``LocalCluster``.
    workers, processes:
        The ``LocalCluster``'s workers (one thread each) and whether they are processes.
    blocksize:
        CSV partition size.
    client:
        An existing ``distributed.Client`` to use instead (tests, notebooks).

    Returns
    -------
    int
        Rows written (= rows read).

    Raises
    ------
    InvalidInputError
        An input that is not Parquet or CSV, or that cannot be read; a scheduler that cannot be reached.
    """
    from distributed import Client, LocalCluster

    source, target = Path(source), Path(target)
    if not source.exists():
        raise InvalidInputError("input", str(source), "an existing Parquet or CSV file")
    owned: list[Any] = []
    try:
        if client is None:
            if scheduler:
                client = Client(scheduler, timeout="10s")
            else:
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    worker_dashboard_address=None,
                )
                owned.append(cluster)
                client = Client(cluster)
            owned.insert(0, client)
    except (OSError, RuntimeError, TimeoutError) as exc:
        for item in owned:
            item.close()
        if scheduler:
            allowed = "the address of a running Dask scheduler"
            raise InvalidInputError("scheduler", scheduler, allowed, detail=str(exc)[:200]) from None
        allowed = "a local Dask cluster that can start"
        raise InvalidInputError("engine", "dask", allowed, detail=str(exc)[:200] or type(exc).__name__) from None
    try:
        frame = _read(source, blocksize)
        meta = stage_partition(frame._meta)
        staged = frame.map_partitions(stage_partition, meta=meta)
        staged.to_parquet(str(target), write_index=False, compute=True, schema=_schema(meta))
        return int(client.submit(_count, str(target)).result())
    finally:
        for item in owned:
            item.close()


def _count(path: str) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(Path(path).glob("*.parquet")))


__all__ = ["OUTPUTS", "stage_dask", "stage_partition"]
