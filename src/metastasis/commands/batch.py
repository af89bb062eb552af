"""``metastasis batch``: stage registry files of any size (CSV, Parquet, NAACCR XML), here or on a Dask cluster,
and run PREDICT Breast over files of patients (CSV, Parquet).

Row errors never stop a run: each bad row gets null stages and an ``error``, and the command exits 0 with a
summary. Only a file that cannot be read (or written) exits 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from metastasis.commands._common import atomic_output, check_output, err, out, print_disclaimer, reports_input_errors
from metastasis.errors import InvalidInputError

if TYPE_CHECKING:
    from metastasis.batch.predict_file import PredictSummary
    from metastasis.batch.run import Summary

FORMATS = ("parquet", "csv", "naaccr-xml")
ENGINES = ("local", "dask")

batch_app = typer.Typer(
    help="Stage registry files (CSV, Parquet, NAACCR XML) here or on a Dask cluster; PREDICT over patient files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _RowsPerSecond(ProgressColumn):
    """Rows so far and rows per second (the bar itself may count bytes)."""

    def render(self, task: Task) -> Text:
        rows = task.fields.get("rows", 0)
        elapsed = task.elapsed or 0.0
        speed = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else "- rows/s"
        return Text(f"{rows:,} rows  {speed}")


def _progress(what: str = "staging") -> Progress:
    return Progress(
        TextColumn(f"[bold]{what}[/bold]"),
        BarColumn(),
        TaskProgressColumn(),
        _RowsPerSecond(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def _print_summary(summary: Summary, seconds: float) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2))
    if summary.tumours_read is not None:
        table.add_row("Tumours in the file", f"{summary.tumours_read:,}")
        table.add_row("Breast tumours (rows)", f"{summary.rows:,}")
    else:
        table.add_row("Rows", f"{summary.rows:,}")
    table.add_row("Staged (anatomic group)", f"{summary.staged:,}")
    table.add_row("No stage group", f"{summary.no_group:,}")
    errors = sum(summary.errors.values())
    table.add_row("Rows with an input error", f"{errors:,}")
    for field, count in summary.errors.most_common():
        table.add_row(f"  error in {field}", f"{count:,}")
    table.add_row("Time", f"{seconds:.2f} s")
    out.print(table)


def _choice(value: str, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInputError(field, value, allowed)
    return value


@batch_app.command("stage")
@reports_input_errors
def stage(
    source: Path = typer.Argument(..., help="Input: .csv, .parquet or NAACCR .xml (each may be .gz)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output file (Dask engine: a Parquet folder)."),
    fmt: str | None = typer.Option(None, "--format", help="parquet, csv or naaccr-xml (default: from -o's name)."),
    engine: str = typer.Option("local", "--engine", help="local (this process) or dask (a cluster)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)."
    ),
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Workers of the local Dask cluster."),
) -> None:
    """Stage every row of a registry file (AJCC 8th anatomic and prognostic); rows with bad input get an error."""
    from metastasis.batch.tables import count_rows, format_of

    engine = _choice(engine, "engine", ENGINES)
    started = time.perf_counter()
    if engine == "dask":
        _stage_dask(source, output, fmt, scheduler, workers)
        print_disclaimer()
        return
    kind = _choice(fmt or format_of(output), "format", FORMATS)
    if not source.is_file():
        raise InvalidInputError("input", str(source), "an existing CSV, Parquet or NAACCR XML file")
    check_output(output)
    total_rows = count_rows(source)
    size = source.stat().st_size
    from metastasis.batch.run import stage_file

    with _progress() as bar, atomic_output(output) as temp:
        task = bar.add_task("stage", total=total_rows or size, rows=0)

        def advance(rows: int, position: int) -> None:
            bar.update(task, completed=rows if total_rows else min(position, size), rows=rows)

        summary = stage_file(source, temp, kind, advance)
        bar.update(task, completed=total_rows or size, rows=summary.rows)
    _print_summary(summary, time.perf_counter() - started)
    print_disclaimer()


def _stage_dask(source: Path, output: Path, fmt: str | None, scheduler: str | None, workers: int) -> None:
    from metastasis.batch.dask_runner import stage_dask
    from metastasis.batch.run import Summary
    from metastasis.batch.tables import read_table

    if (fmt or "parquet") != "parquet":
        raise InvalidInputError("format", fmt, "parquet (the Dask engine writes a Parquet folder)")
    check_output(output)
    started = time.perf_counter()
    with err.status("staging on the Dask cluster..."):
        stage_dask(source, output, scheduler=scheduler, workers=workers)
    summary = Summary()
    for part in sorted(output.glob("*.parquet")):
        for batch in read_table(part):
            summary.add(batch)
    _print_summary(summary, time.perf_counter() - started)


def _years(text: str) -> tuple[int, ...]:
    allowed = "whole numbers of years from 1 to 15, comma-separated"
    try:
        years = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise InvalidInputError("years", text, allowed) from None
    if not all(1 <= year <= 15 for year in years):
        raise InvalidInputError("years", text, allowed)
    return years


@batch_app.command("predict")
@reports_input_errors
def predict(
    source: Path = typer.Argument(..., help="Input: .csv or .parquet (CSV may be .gz) of PREDICT inputs."),
    output: Path = typer.Option(..., "--output", "-o", help="Output file (.parquet or .csv)."),
    fmt: str | None = typer.Option(None, "--format", help="parquet or csv (default: from -o's name)."),
    version: str = typer.Option("2.1", "--version", help="PREDICT version: 2.1, 2.2, 3.1 or 3.2."),
    years: str = typer.Option("5,10,15", "--years", help="Years to report, comma-separated (1-15)."),
) -> None:
    """PREDICT Breast for every row: survival with surgery only and treated, the benefit, deaths by cause.

    Columns as in metastasis.predict.predict_batch (age, size_mm, nodes, grade, er; optional her2, ki67, pr,
    screen, chemo, hormone_years, trastuzumab, bisphosphonates, radiotherapy, micrometastases_only,
    heart_dose_gy, smoker). Rows with bad input get empty outputs and an error; the exit status is still 0.
    """
    from metastasis.batch.predict_file import predict_file
    from metastasis.batch.tables import count_rows, format_of
    from metastasis.predict.predict_kernel import VERSIONS

    kind = _choice(fmt or format_of(output), "format", ("parquet", "csv"))
    version = _choice(version, "version", VERSIONS)
    wanted = _years(years)
    if format_of(source) not in ("csv", "parquet"):
        raise InvalidInputError("input", str(source), "a CSV or Parquet file of PREDICT inputs")
    if not source.is_file():
        raise InvalidInputError("input", str(source), "an existing CSV or Parquet file")
    check_output(output)
    started = time.perf_counter()
    total_rows = count_rows(source)
    size = source.stat().st_size
    with _progress("predicting") as bar, atomic_output(output) as temp:
        task = bar.add_task("predict", total=total_rows or size, rows=0)

        def advance(rows: int, position: int) -> None:
            bar.update(task, completed=rows if total_rows else min(position, size), rows=rows)

        summary = predict_file(source, temp, kind, version=version, years=wanted, progress=advance)
        bar.update(task, completed=total_rows or size, rows=summary.rows)
    _print_predict_summary(summary, time.perf_counter() - started)
    print_disclaimer()


def _print_predict_summary(summary: PredictSummary, seconds: float) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_row("Rows", f"{summary.rows:,}")
    table.add_row("Predicted", f"{summary.predicted:,}")
    table.add_row("Rows with an input error", f"{sum(summary.errors.values()):,}")
    for name, count in summary.errors.most_common():
        table.add_row(f"  error in {name}", f"{count:,}")
    table.add_row("Time", f"{seconds:.2f} s")
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(batch_app, name="batch")
