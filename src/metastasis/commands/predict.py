"""Prognosis on the command line: ``predict`` (PREDICT Breast), ``npi``, ``cts5``, ``late-recurrence``,
``stats`` (reference statistics) and ``survival`` (Kaplan-Meier / log-rank / Cox of your own cohort)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.errors import InvalidInputError
from metastasis.predict import predict_breast
from metastasis.predict.late_recurrence import late_recurrence
from metastasis.predict.scores import cts5, nottingham_prognostic_index
from metastasis.predict.statistics import TOPIC_TITLES, TOPICS, reference_statistics

_JSON = typer.Option(False, "--json", help="Print the result as JSON.")


def _numbers(text: str, field: str) -> list[float]:
    """Comma-separated numbers, e.g. '5,10,15'."""
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInputError(field, text, "comma-separated numbers, e.g. 5,10,15") from None


def _whole(values: list[float], field: str) -> list[int]:
    if any(v != int(v) for v in values):
        raise InvalidInputError(field, values, "whole numbers")
    return [int(v) for v in values]


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{100 * fraction:.1f}%"


@reports_input_errors
def predict(
    age: float = typer.Option(..., "--age", help="Age at diagnosis (25-85)."),
    size: float = typer.Option(..., "--size", help="Invasive tumour size in mm."),
    nodes: int = typer.Option(..., "--nodes", help="Number of positive nodes."),
    grade: str = typer.Option(..., "--grade", help="1, 2, 3 or unknown."),
    er: str = typer.Option(..., "--er", help="ER: + or - (must be known)."),
    her2: str = typer.Option("unknown", "--her2", help="HER2: +, - or unknown."),
    ki67: str = typer.Option("unknown", "--ki67", help="Ki67: +, - or unknown."),
    pr: str = typer.Option("unknown", "--pr", help="PR: +, - or unknown (versions 2.2 and 3.x)."),
    detection: str = typer.Option("unknown", "--detection", help="screen, clinical or unknown."),
    chemo: str = typer.Option("none", "--chemo", help="none, second_generation or third_generation."),
    hormone_years: int = typer.Option(0, "--hormone-years", help="Endocrine therapy: 0, 5 or 10 years."),
    trastuzumab: bool = typer.Option(False, "--trastuzumab/--no-trastuzumab", help="Trastuzumab given."),
    bisphosphonates: bool = typer.Option(False, "--bisphosphonates/--no-bisphosphonates", help="Bisphosphonates."),
    radiotherapy: bool = typer.Option(False, "--radiotherapy/--no-radiotherapy", help="Radiotherapy given."),
    micrometastases: bool = typer.Option(False, "--micrometastases", help="The one positive node is micromets only."),
    heart_dose: float | None = typer.Option(None, "--heart-dose", help="Mean heart dose in Gy (version 3.x)."),
    smoker: str = typer.Option("unknown", "--smoker", help="yes, no or unknown (version 3.x)."),
    version: str = typer.Option("2.1", "--version", help="PREDICT version: 2.1, 2.2, 3.1 or 3.2."),
    years: str = typer.Option("5,10,15", "--years", help="Years to show, e.g. 5,10,15."),
    plot: Path | None = typer.Option(None, "--plot", help="Save the '100 women like this' figure (.png/.svg/.pdf)."),
    as_json: bool = _JSON,
) -> None:
    """PREDICT Breast: survival after surgery for early breast cancer and the benefit of each treatment."""
    result = predict_breast(
        age=age,
        size_mm=size,
        nodes=nodes,
        grade=grade,
        er=er,
        her2=her2,
        ki67=ki67,
        pr=pr,
        detection=detection,  # type: ignore[arg-type]
        chemo=chemo,  # type: ignore[arg-type]
        hormone_years=hormone_years,  # type: ignore[arg-type]
        trastuzumab=trastuzumab,
        bisphosphonates=bisphosphonates,
        radiotherapy=radiotherapy,
        version=version,  # type: ignore[arg-type]
        micrometastases_only=micrometastases,
        heart_dose_gy=heart_dose,
        smoker=smoker,  # type: ignore[arg-type]
    )
    shown = _whole(_numbers(years, "years"), "years")
    rows = result.table(shown)  # validates the years before anything is written
    if plot:
        from metastasis.report.figures import save_figure  # matplotlib: only when a figure is asked for

        save_figure(result.plot(year=shown[-1] if 10 not in shown else 10), plot)
    if as_json:
        print_json({"result": result.model_dump(mode="json"), "table": rows})
        return
    table = Table(title=f"PREDICT Breast v{result.inputs.version}: out of 100 women like this")
    for column in ("Year", "Treatment", "Alive", "Added by this treatment (95% range)", "Died of breast cancer"):
        table.add_column(column)
    for row in rows:
        added = "-"
        if row["added_benefit"] is not None:
            added = (
                f"{_percent(row['added_benefit'])} "
                f"({_percent(row['added_benefit_lower'])} to {_percent(row['added_benefit_upper'])})"
            )
        table.add_row(
            str(row["year"]),
            row["arm"],
            _percent(row["overall_survival"]),
            added,
            _percent(row["breast_cancer_death"]),
        )
    out.print(table)
    if plot:
        out.print(f"Figure saved to {plot}", markup=False)
    print_evidence(result)
    print_disclaimer()


@reports_input_errors
def npi(
    size: float = typer.Option(..., "--size", help="Invasive tumour size in mm."),
    nodes: int = typer.Option(..., "--nodes", help="Number of positive nodes."),
    grade: int = typer.Option(..., "--grade", help="Histological grade 1, 2 or 3."),
    as_json: bool = _JSON,
) -> None:
    """Nottingham Prognostic Index with its band and published survival."""
    result = nottingham_prognostic_index(size_mm=size, nodes=nodes, grade=grade)
    if as_json:
        print_json(result)
        return
    out.print(f"NPI {result.score:.2f}: {result.band} (five-year survival quoted {result.band_five_year_survival:.0%})")
    if result.ten_year_survival is not None:
        out.print(f"Individual 10-year survival estimate: {result.ten_year_survival:.0%}")
    print_evidence(result)
    print_disclaimer()


@reports_input_errors
def cts5_command(
    size: float = typer.Option(..., "--size", help="Tumour size in mm."),
    nodes: int = typer.Option(..., "--nodes", help="Number of positive nodes."),
    grade: int = typer.Option(..., "--grade", help="Histological grade 1, 2 or 3."),
    age: float = typer.Option(..., "--age", help="Age at diagnosis in years."),
    as_json: bool = _JSON,
) -> None:
    """CTS5: risk of late distant recurrence (years 5-10) after 5 years of endocrine therapy."""
    result = cts5(size_mm=size, nodes=nodes, grade=grade, age=age)
    if as_json:
        print_json(result)
        return
    out.print(f"CTS5 {result.score:.2f}: {result.risk_group} risk ({result.risk_years_5_to_10} in years 5-10)")
    print_evidence(result)
    print_disclaimer()


@reports_input_errors
def late_recurrence_command(
    size: float = typer.Option(..., "--size", help="Tumour size in mm at diagnosis (up to 50)."),
    nodes: int = typer.Option(..., "--nodes", help="Positive nodes at diagnosis (0-9)."),
    explain: bool = typer.Option(False, "--explain", help="Print the plain-language explanation for patients."),
    as_json: bool = _JSON,
) -> None:
    """Late distant recurrence of ER-positive breast cancer, years 5-20 (Pan 2017)."""
    result = late_recurrence(size_mm=size, nodes=nodes)
    if as_json:
        print_json(result)
        return
    if explain:
        out.print(result.patient_explanation, markup=False)
        print_disclaimer()
        return
    out.print(
        f"{result.t_group}{result.n_group}: distant recurrence {result.risk_years_5_to_20:.0%} from year 5 to 20",
        markup=False,
    )
    marks = {row.year: row.cumulative_risk for row in result.by_year}
    out.print(f"  by year 10: {marks[10]:.1%}   by year 15: {marks[15]:.1%}   by year 20: {marks[20]:.1%}")
    print_evidence(result)
    print_disclaimer()


@reports_input_errors
def stats(
    topic: str | None = typer.Option(None, "--topic", help=f"One of: {', '.join(TOPICS)}."),
    group: str | None = typer.Option(None, "--group", help="Text to match in the group, e.g. breast, triple."),
    as_json: bool = _JSON,
) -> None:
    """Reference survival statistics with their period, population and sources."""
    result = reference_statistics(topic=topic, group=group)
    if as_json:
        print_json(result)
        return
    for name in TOPICS:
        chosen = [s for s in result.statistics if s.topic == name]
        if not chosen:
            continue
        table = Table(title=TOPIC_TITLES[name])
        for column in ("Group", "Measure", "Value", "Period", "Population", "Source"):
            table.add_column(column)
        for s in chosen:
            mark = "" if s.verified else " (unverified)"
            table.add_row(s.group, s.measure, s.display_value() + mark, s.period, s.population, ", ".join(s.sources))
        out.print(table)
    print_evidence(result, reasons=False)
    print_disclaimer()


@reports_input_errors
def survival(
    path: Path = typer.Argument(..., help="Cohort file (.csv or .parquet)."),
    time: str = typer.Option(..., "--time", help="Column with follow-up time."),
    event: str = typer.Option(..., "--event", help="Column with the event: 1 = event, 0 = censored."),
    by: str | None = typer.Option(None, "--by", help="Grouping column (e.g. stage, subtype, first_site)."),
    at: str = typer.Option("", "--at", help="Times at which to report survival, e.g. 12,24,60."),
    cox: bool = typer.Option(False, "--cox", help="Also fit a Cox model on --by and --covariate columns."),
    covariate: list[str] = typer.Option([], "--covariate", help="Covariate column for the Cox model (repeatable)."),
    plot: Path | None = typer.Option(None, "--plot", help="Save the Kaplan-Meier figure (.png/.svg/.pdf)."),
    as_json: bool = _JSON,
) -> None:
    """Kaplan-Meier curves, medians, log-rank test and (optionally) a Cox model of your own cohort."""
    from metastasis.predict.cohort import cox_model, kaplan_meier, read_cohort  # pandas, lifelines, pyarrow

    cohort = read_cohort(path, time=time, event=event, by=by, covariates=covariate)
    result = kaplan_meier(cohort, at=_numbers(at, "at"))
    model = cox_model(cohort) if cox else None
    if plot:
        from metastasis.report.figures import save_figure

        save_figure(result.plot(), plot)
    if as_json:
        print_json({"kaplan_meier": result.model_dump(mode="json"), "cox": model and model.model_dump(mode="json")})
        return
    table = Table(title=f"Kaplan-Meier: {cohort.rows_used} of {cohort.rows_read} rows ({time})")
    for column in ("Group", "N", "Events", "Median (95% CI)", *(f"S({s.time:g}) (95% CI)" for s in
                   (result.groups[0].survival_at if result.groups else []))):  # fmt: skip
        table.add_column(column)
    for g in result.groups:
        median = "not reached" if g.median is None else f"{g.median:g}"
        median += f" ({g.median_lower if g.median_lower is not None else '-'} to "
        median += f"{g.median_upper if g.median_upper is not None else 'not reached'})"
        cells = [f"{s.survival:.3f} ({s.lower:.3f}-{s.upper:.3f})" for s in g.survival_at]
        table.add_row(g.group, str(g.n), str(g.events), median, *cells)
    out.print(table)
    if result.logrank:
        lr = result.logrank
        out.print(f"Log-rank test: chi-square {lr.statistic:.2f} on {lr.degrees_of_freedom} df, p = {lr.p_value:.3g}")
    if model:
        cox_table = Table(title=f"Cox model (concordance {model.concordance:.3f})")
        for column in ("Term", "Hazard ratio (95% CI)", "p"):
            cox_table.add_column(column)
        for term in model.terms:
            cox_table.add_row(
                term.term, f"{term.hazard_ratio:.3f} ({term.lower:.3f}-{term.upper:.3f})", f"{term.p_value:.3g}"
            )
        out.print(cox_table)
    if plot:
        out.print(f"Figure saved to {plot}", markup=False)
    print_evidence(result)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add the prognosis commands to the CLI."""
    app.command("predict")(predict)
    app.command("npi")(npi)
    app.command("cts5")(cts5_command)
    app.command("late-recurrence")(late_recurrence_command)
    app.command("stats")(stats)
    app.command("survival")(survival)
