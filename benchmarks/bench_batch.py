"""Registry-scale batch staging (run: `python benchmarks/bench_batch.py [--rows N] [--tumours N] [--dask-rows N]`).

Measures, in one run:

1. ``stage_breast_batch`` rows/s on one core (Arrow dictionary columns, as Parquet gives them) and the one-case
   ``stage_breast`` on a sample of the same rows: the ratio (targets: >= 50 M rows/s, >= 1,000x);
2. NAACCR XML read (``read_naaccr``) tumours/s on a generated file, and the peak memory of a reader process for
   a file 10x smaller and for the full one (target: >= 100,000 tumours/s, memory flat in file size);
3. a Dask ``LocalCluster`` with 2 workers against 1 worker on a Parquet staging job (target: >= 1.6x);
4. ``predict_breast_batch`` patients/s on one core (benchmarks/bench_predict.py's rows; target v3.x >= 2 M/s);
5. the cohort Cox fit on aggregated counts against lifelines on the raw rows (exactness) and its time.

The generated rows are every combination of the scalar benchmark (benchmarks/bench_staging.py) drawn at random,
with 70 % of Oncotype DX scores missing and 1 % of T categories misspelt (row errors). Figures depend on the
machine and its load: the script prints the load average and this process's CPU time beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from metastasis.staging import stage_breast
from metastasis.staging.batch import stage_breast_batch

T = ["pTX", "pT0", "pTis", "pT1mi", "pT1c", "pT2", "pT3", "pT4d", "pT9"]
N = ["pNX", "pN0", "pN0(i+)", "pN1mi", "pN1a", "pN2a", "pN3c"]
M = ["cM0", "pM1"]
STATUS = ["positive", "negative"]


def _cases(rows: int, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)

    def column(values: list, weights: list[float] | None = None) -> pa.DictionaryArray:
        index = rng.choice(len(values), size=rows, p=weights).astype(np.int8)
        return pa.DictionaryArray.from_arrays(pa.array(index), pa.array(values))

    t_weights = [0.99 / 8] * 8 + [0.01]
    scores = np.where(rng.random(rows) < 0.7, np.nan, rng.uniform(0, 60, rows))
    return pa.table(
        {
            "t": column(T, t_weights),
            "n": column(N),
            "m": column(M),
            "grade": column([1, 2, 3]),
            "er": column(STATUS),
            "pr": column(STATUS),
            "her2": column(STATUS),
            "oncotype_rs": pa.array(scores, from_pandas=True),
        }
    )


def _best(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(times)
    _LAST_CPU[0] = cpu
    return wall


_LAST_CPU = [0.0]
"""CPU time of the run that :func:`_best` reported."""


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def bench_staging(rows: int) -> None:
    pa.set_cpu_count(1)
    table = _cases(rows)
    stage_breast_batch(table.slice(0, 1000))  # build the dense tables once
    seconds = _best(lambda: stage_breast_batch(table))
    batch_rate = rows / seconds
    sample = table.slice(0, 20_000).to_pylist()

    def scalar() -> None:
        for row in sample:
            with contextlib.suppress(ValueError):  # the misspelt T rows
                stage_breast(
                    row["t"], row["n"], row["m"], grade=row["grade"], er=row["er"], pr=row["pr"], her2=row["her2"],
                    oncotype_rs=row["oncotype_rs"],
                )  # fmt: skip

    scalar_rate = len(sample) / _best(scalar, repeats=1)
    print(
        f"stage_breast_batch: {rows:,} rows in {seconds:.3f} s (CPU {_LAST_CPU[0]:.3f} s) = "
        f"{batch_rate / 1e6:.1f} M rows/s (one core; {_load()})"
    )
    print(f"stage_breast (one case): {scalar_rate:,.0f} rows/s on 20,000 of the same rows")
    print(f"ratio: {batch_rate / scalar_rate:,.0f}x")


_PATIENT = '<Patient><Item naaccrId="patientIdNumber">{pid:08d}</Item><Item naaccrId="sex">2</Item>'
_TUMOUR = (
    '<Tumor><Item naaccrId="tumorRecordNumber">01</Item><Item naaccrId="primarySite">C50{site}</Item>'
    '<Item naaccrId="histologicTypeIcdO3">8500</Item><Item naaccrId="behaviorCodeIcdO3">3</Item>'
    '<Item naaccrId="tnmPathT">p{t}</Item><Item naaccrId="tnmPathN">p{n}</Item><Item naaccrId="tnmPathM">c0</Item>'
    '<Item naaccrId="tnmClinT">c{t}</Item><Item naaccrId="tnmClinN">c0</Item><Item naaccrId="tnmClinM">c0</Item>'
    '<Item naaccrId="eodPrimaryTumor">200</Item><Item naaccrId="eodRegionalNodes">300</Item>'
    '<Item naaccrId="eodMets">00</Item><Item naaccrId="gradeClinical">{g}</Item>'
    '<Item naaccrId="gradePathological">{g}</Item><Item naaccrId="estrogenReceptorSummary">{er}</Item>'
    '<Item naaccrId="progesteroneRecepSummary">{pr}</Item><Item naaccrId="her2OverallSummary">0</Item>'
    '<Item naaccrId="oncotypeDxRecurrenceScoreInvasiv">0{rs:02d}</Item><Item naaccrId="ki67">{ki}.5</Item>'
    "</Tumor>"
)


def write_naaccr_file(path: Path, tumours: int) -> None:
    """A NAACCR XML v25 file of breast tumours, one per patient (synthetic, for timing only)."""
    rng = np.random.default_rng(2)
    ts, ns = ["1C", "2", "3", "1A", "4B", "IS"], ["0", "1A", "2A", "3C", "1MI"]
    with path.open("w", encoding="ascii") as out:
        out.write(
            '<?xml version="1.0"?>\n<NaaccrData xmlns="http://naaccr.org/naaccrxml" '
            'baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-250.xml" recordType="A" '
            'specificationVersion="1.7">\n'
        )
        draws = rng.integers(0, 1000, size=(tumours, 6))
        for pid in range(tumours):
            d = draws[pid]
            out.write(_PATIENT.format(pid=pid + 1))
            fields = {"site": d[0] % 10, "t": ts[d[1] % 6], "n": ns[d[2] % 5], "g": "123"[d[3] % 3]}
            out.write(_TUMOUR.format(**fields, er="01"[d[4] % 2], pr="01"[d[5] % 2], rs=d[0] % 60, ki=d[1] % 100))
            out.write("</Patient>\n")
        out.write("</NaaccrData>\n")


# VmHWM (peak resident memory of this process image): ru_maxrss would carry the parent's peak across exec
_READER = """
import re, sys, time
from metastasis.batch.naaccr import read_naaccr
start, cpu = time.perf_counter(), time.process_time()
rows = sum(b.num_rows for b in read_naaccr(sys.argv[1]))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read())[1]
print(rows, seconds, cpu, peak)
"""


def _read_in_child(path: Path) -> tuple[int, float, float, int]:
    done = subprocess.run([sys.executable, "-c", _READER, str(path)], capture_output=True, text=True, check=True)
    rows, seconds, cpu, peak_kib = done.stdout.split()
    return int(rows), float(seconds), float(cpu), int(peak_kib)


def bench_naaccr(tumours: int, folder: Path) -> None:
    small, large = folder / "small.xml", folder / "large.xml"
    write_naaccr_file(small, tumours // 10)
    write_naaccr_file(large, tumours)
    rows_s, _, _, peak_s = _read_in_child(small)
    rows_l, seconds_l, cpu_l, peak_l = _read_in_child(large)
    size = large.stat().st_size / 1e6
    print(
        f"NAACCR XML read: {rows_l:,} tumours ({size:,.0f} MB) in {seconds_l:.1f} s (CPU {cpu_l:.1f} s) = "
        f"{rows_l / seconds_l:,.0f}/s wall, {rows_l / cpu_l:,.0f}/s of CPU ({_load()})"
    )
    print(
        f"reader peak memory: {peak_s / 1024:,.0f} MiB for {rows_s:,} tumours, {peak_l / 1024:,.0f} MiB for "
        f"{rows_l:,} (x{peak_l / peak_s:.2f} for 10x the file)"
    )


def bench_dask(rows: int, folder: Path) -> None:
    from metastasis.batch.dask_runner import stage_dask

    source = folder / "cases.parquet"
    pq.write_table(_cases(rows, seed=3), source, row_group_size=1 << 20)
    times = {}
    for workers in (1, 2):
        start = time.perf_counter()
        stage_dask(source, folder / f"out{workers}", workers=workers, processes=True)
        times[workers] = time.perf_counter() - start
    print(
        f"Dask LocalCluster, {rows:,} rows from Parquet: 1 worker {times[1]:.1f} s, 2 workers {times[2]:.1f} s "
        f"= {times[1] / times[2]:.2f}x (start-up included)"
    )


def bench_predict(rows: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_predict import columns

    from metastasis.predict import predict_breast_batch

    data = columns(rows)
    for version in ("2.1", "3.1", "3.2"):
        predict_breast_batch(columns(1000), version=version)
        seconds = _best(lambda v=version: predict_breast_batch(data, version=v))
        print(
            f"predict_breast_batch v{version}: {rows:,} patients in {seconds:.2f} s (CPU {_LAST_CPU[0]:.2f} s) = "
            f"{rows / seconds / 1e6:.2f} M/s wall, {rows / _LAST_CPU[0] / 1e6:.2f} M/s of CPU ({_load()})"
        )


def _cohort(rows: int, seed: int):
    import pandas as pd

    rng = np.random.default_rng(seed)
    stage = rng.choice(np.array(["I", "II", "III", "IV"]), rows)
    scale = np.select([stage == "I", stage == "II", stage == "III"], [240.0, 150.0, 80.0], 30.0)
    death = np.ceil(rng.exponential(scale))
    censor = np.ceil(rng.uniform(1, 180, rows))
    return pd.DataFrame(
        {"months": np.minimum(death, censor), "died": (death <= censor).astype(int), "stage": stage,
         "nodes": rng.integers(0, 4, rows)}
    )  # fmt: skip


def bench_cox(rows: int, raw_rows: int) -> None:
    import warnings

    import pandas as pd
    from lifelines import CoxPHFitter

    from metastasis.predict.cohort import COUNT, cohort_from_frame, cox_model

    def lifelines_fit(frame: pd.DataFrame, weights: str | None = None) -> pd.Series:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CoxPHFitter().fit(frame, "months", "died", weights_col=weights).params_

    for n in (raw_rows, rows):
        frame = _cohort(n, seed=5)
        start, cpu = time.perf_counter(), time.process_time()
        cohort = cohort_from_frame(frame, time="months", event="died", by="stage", covariates=("nodes",))
        model = cox_model(cohort)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        ours = pd.Series({t.term: t.coefficient for t in model.terms})
        counts = pd.get_dummies(cohort.counts, columns=["stage"], drop_first=True, dtype=float)
        weighted = lifelines_fit(counts, weights=COUNT)  # the old way: lifelines' weighted Efron on counts
        line = (
            f"Cox, {n:,} rows -> {len(cohort.counts):,} counts: aggregate + fit {wall:.2f} s (CPU {cpu:.2f} s); "
            f"largest HR {np.exp(ours.max()):.4f}; lifelines weighted on counts {np.exp(weighted.max()):.4f}"
        )
        if n == raw_rows:
            raw = lifelines_fit(pd.get_dummies(frame, columns=["stage"], drop_first=True, dtype=float))
            line += f"; lifelines on raw rows {np.exp(raw.max()):.4f} (max |coef diff| {(ours - raw).abs().max():.1e})"
        print(line)


def bench_cohort_file(rows: int, folder: Path) -> None:
    """The whole cohort analysis from a Parquet file: read, validate and aggregate, Kaplan-Meier with the log-rank
    test, and Cox (target < 5 s at 10 M rows)."""
    from metastasis.predict.cohort import cox_model, kaplan_meier, read_cohort

    path = folder / "cohort.parquet"
    _cohort(rows, seed=6).to_parquet(path)
    start, cpu = time.perf_counter(), time.process_time()
    cohort = read_cohort(path, time="months", event="died", by="stage", covariates=("nodes",))
    survival = kaplan_meier(cohort, at=(12, 60))
    model = cox_model(cohort)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"Cohort from Parquet, {rows:,} rows: read + KM + log-rank + Cox {wall:.2f} s (CPU {cpu:.2f} s; target < 5 s); "
        f"log-rank p {survival.logrank.p_value:.3g}, {len(model.terms)} Cox terms"  # type: ignore[union-attr]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--tumours", type=int, default=1_000_000)
    parser.add_argument("--dask-rows", type=int, default=20_000_000)
    parser.add_argument("--predict-rows", type=int, default=1_000_000)
    parser.add_argument("--cox-rows", type=int, default=10_000_000)
    parser.add_argument("--cox-raw-rows", type=int, default=200_000, help="rows also fitted raw by lifelines")
    parser.add_argument("--only", choices=["staging", "naaccr", "dask", "predict", "cox", "cohort"])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.only in (None, "staging"):
            bench_staging(args.rows)
        if args.only in (None, "naaccr"):
            bench_naaccr(args.tumours, folder)
        if args.only in (None, "predict"):
            bench_predict(args.predict_rows)
        if args.only in (None, "cox"):
            bench_cox(args.cox_rows, args.cox_raw_rows)
        if args.only in (None, "cohort"):
            bench_cohort_file(args.cox_rows, folder)
        if args.only in (None, "dask"):
            bench_dask(args.dask_rows, folder)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"peak memory of this process: {usage.ru_maxrss / 1024:,.0f} MiB; CPU time {usage.ru_utime:.1f} s")
    print(f"{_load()} at the end")


if __name__ == "__main__":
    main()
