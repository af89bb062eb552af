"""``metastasis bone``: simulate a bone lesion with and without a bone-targeted drug.

Runs :func:`metastasis.simulate.bone.simulate_lesion` and prints the bone-mass milestones of both arms
(minimum, day of minimum, final, loss after the treatment start), then reasons, caveats and sources; ``--json``
prints the same as JSON, ``--plot`` saves the treated-vs-untreated figure and ``--csv`` the tidy table.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import LesionScenario, LesionSummary, lesions, simulate_lesion
from metastasis.simulate.bone.drugs import drug_data
from metastasis.simulate.bone.scenario import TREATMENTS


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_summary(summary: LesionSummary) -> None:
    """Print the lesion, the regimen and the milestones of both arms."""
    out.print(f"[bold]Bone lesion simulation: {summary.lesion_label}[/bold]")
    out.print(f"Typically represents: {'; '.join(summary.primaries)}", markup=False)
    out.print(f"Treatment: {summary.treatment_label or 'none'}", markup=False)
    out.print(f"Horizon: {summary.days / 365.25:g} years ({summary.days:.0f} days)\n")
    table = Table(title="Bone mass (% of initial bone)", title_justify="left", box=None, padding=(0, 2))
    table.add_column("")
    table.add_column("untreated", justify="right")
    arms = [summary.untreated]
    if summary.treated is not None:
        table.add_column(summary.treatment, justify="right")
        arms.append(summary.treated)
    rows = [
        (f"At treatment start (day {summary.start_day:g})", lambda a: _number(a.at_treatment_start)),
        ("Minimum", lambda a: _number(a.minimum, 2)),
        ("Day of minimum", lambda a: _number(a.day_of_minimum)),
        ("Minimum after start", lambda a: _number(a.minimum_after_start, 2)),
        (f"Final (day {summary.days:.0f})", lambda a: _number(a.final, 2)),
        ("Loss after start (points)", lambda a: _number(a.loss_after_start, 2)),
        ("Bone exhausted on day", lambda a: _number(a.day_bone_exhausted)),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(arm) for arm in arms))
    out.print(table)
    if summary.loss_prevented is not None:
        out.print(
            f"\nBone loss after the start prevented by treatment: {summary.loss_prevented:.2f} points; "
            f"final bone mass treated minus untreated: {summary.final_difference:+.2f} points.",
            markup=False,
        )
    if summary.sre is not None:
        sre = summary.sre
        treated = f", treated {sre.treated:.1%}" if sre.treated is not None else ""
        out.print(
            f"\n[bold]Assumed SRE risk[/bold] (modelling assumption, calibrated to Kohno 2005; see caveats): "
            f"at least one SRE within {sre.window_days:g} days of the start: untreated {sre.untreated:.1%}{treated}."
        )


def _write_table(scenario: LesionScenario, path: Path) -> None:
    import pandas as pd

    frames = [scenario.untreated.to_frame().assign(arm="untreated")]
    if scenario.treated is not None:
        frames.append(scenario.treated.to_frame().assign(arm=scenario.summary.treatment))
    table = pd.concat(frames, ignore_index=True)
    if path.suffix.lower() != ".csv":
        raise InvalidInputError("csv", str(path), "a file name ending .csv")
    table.to_csv(path, index=False)


def _list() -> None:
    table = Table(title="Lesions", title_justify="left", box=None, padding=(0, 2))
    for column in ("--lesion", "What it is", "Typically represents", "Regime"):
        table.add_column(column)
    for item in lesions():
        table.add_row(
            item.id,
            item.label,
            "; ".join(p.cancer for p in item.primaries),
            "assumption" if item.assumption else "published (Ayati 2010)",
        )
    out.print(table)
    schedules = Table(title="\nTreatments and schedules", title_justify="left", box=None, padding=(0, 2))
    for column in ("--treatment", "--schedule", "Dose and interval"):
        schedules.add_column(column)
    data = drug_data()
    for name, drug in (("denosumab", data.denosumab), ("zoledronic-acid", data.zoledronic_acid)):
        for i, (key, preset) in enumerate(drug.schedules.items()):
            schedules.add_row(name, f"{key}{' (default)' if i == 0 else ''}", preset.label)
    schedules.add_row("none", "-", "untreated only")
    out.print(schedules)


@reports_input_errors
def bone(
    lesion: str = typer.Option("osteolytic", "--lesion", help="osteolytic, osteoblastic or mixed."),
    treatment: str = typer.Option("denosumab", "--treatment", help=f"One of {', '.join(TREATMENTS)}."),
    start_day: float = typer.Option(180.0, "--start-day", help="Day of the first dose (days after the lesion starts)."),
    years: float = typer.Option(5.0, "--years", help="Length of the simulation in years."),
    dose_mg: float | None = typer.Option(None, "--dose-mg", help="Dose per administration (default: the schedule's)."),
    interval_days: float | None = typer.Option(None, "--interval-days", help="Days between doses (default: schedule)."),
    schedule: str | None = typer.Option(
        None, "--schedule", help="denosumab: oncology (default) or osteoporosis; zoledronic-acid: q4w or q12w."
    ),
    no_floor: bool = typer.Option(False, "--no-floor", help="Let bone mass go below 0 (the published equations)."),
    sre: bool = typer.Option(
        False, "--sre", help="Also print the assumed SRE risk (a calibrated modelling assumption)."
    ),
    plot: Path | None = typer.Option(None, "--plot", help="Save the treated-vs-untreated figure (.png/.svg/.pdf)."),
    csv: Path | None = typer.Option(None, "--csv", help="Save both runs as a tidy table (.csv)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    list_options: bool = typer.Option(False, "--list", help="List the lesions, treatments and schedules and exit."),
) -> None:
    """Simulate a bone lesion untreated and with denosumab or zoledronic acid; print bone-mass milestones."""
    if list_options:
        _list()
        raise typer.Exit()
    if plot is not None and plot.suffix.lower().lstrip(".") not in ("png", "svg", "pdf"):
        raise InvalidInputError("plot", str(plot), ["a file name ending .png", ".svg", ".pdf"])
    scenario = simulate_lesion(
        lesion,
        treatment,
        start_day=start_day,
        years=years,
        dose_mg=dose_mg,
        interval_days=interval_days,
        schedule=schedule,
        floor=not no_floor,
        sre=sre,
    )
    if plot is not None:
        from metastasis.simulate.bone.plot import plot_scenario, save_plot

        save_plot(plot_scenario(scenario), plot)
    if csv is not None:
        _write_table(scenario, csv)
    if as_json:
        data = scenario.summary.model_dump(mode="json")
        data["files"] = {"plot": str(plot) if plot else None, "csv": str(csv) if csv else None}
        print_json(data)
        return
    render_summary(scenario.summary)
    print_evidence(scenario.summary)
    for label, path in (("Plot", plot), ("Table", csv)):
        if path is not None:
            out.print(f"\n{label} saved to {path}", markup=False)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add ``metastasis bone`` to the CLI."""
    app.command("bone")(bone)
