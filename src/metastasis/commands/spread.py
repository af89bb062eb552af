"""``metastasis spread`` and ``metastasis cascade``: metastatic spread over sites and the metastatic cascade.

``spread`` runs the Markov-chain model (the breast default of a subtype, or your own matrix from a CSV file)
and prints exact site probabilities, top pathways, first-passage times and spreader/sponge roles next to a
Monte Carlo check; ``--plot-network`` / ``--plot-steps`` write figures (PNG, SVG or PDF by suffix).
``cascade`` prints the per-step survival of the metastatic cascade and simulates shed cells through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.table import Table

from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.errors import InvalidInputError
from metastasis.simulate.cascade import STEPS, CascadeResult, cascade
from metastasis.simulate.spread.frequencies import KIND_MEANING, FrequencyKind, SiteFrequency, site_frequencies

if TYPE_CHECKING:
    from metastasis.simulate.spread import MarkovChain
    from metastasis.simulate.spread.report import SpreadReport

_JSON = typer.Option(False, "--json", help="Print the result as JSON.")


# --- spread ----------------------------------------------------------------------------------------------


def _read_matrix(path: Path) -> MarkovChain:
    import pandas as pd

    from metastasis.simulate.spread import MarkovChain

    try:
        frame = pd.read_csv(path, index_col=0)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InvalidInputError(
            "matrix", str(path), "a CSV file: header row of site names, then one row per site (rows = from)"
        ) from exc
    frame.index = frame.index.map(str)
    return MarkovChain.from_dataframe(frame)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_spread(report: SpreadReport) -> None:
    """Print a spread report: probabilities, pathways, first passage, roles, then evidence."""
    seed = f"seed {report.seed}" if report.seed is not None else "no seed"
    out.print(
        f"[bold]Metastatic spread: {report.model}[/bold], from {report.start}, {report.steps} steps, "
        f"{report.patients:,} simulated patients ({seed})"
    )
    table = Table(title="Site probabilities (exact by step; simulated after the last step)", title_justify="left")
    table.add_column("site")
    for k in range(report.steps + 1):
        table.add_column(f"step {k}", justify="right")
    table.add_column("simulated ± SE", justify="right")
    for row in report.site_probabilities:
        table.add_row(row.site, *(f"{p:.3f}" for p in row.by_step), f"{row.simulated:.3f} ± {row.standard_error:.3f}")
    out.print(table)
    out.print(f"Monte Carlo check: largest |simulated - exact| = {report.max_abs_z:.2f} standard errors.")

    out.print("\n[bold]Top pathways[/bold]")
    for label, paths in (("one step", report.pathways_one_step), ("two steps", report.pathways_two_step)):
        for path in paths:
            out.print(f"  {label:9}  {' -> '.join(path.sites):32} {path.probability:.4f}", markup=False)

    out.print(f"\n[bold]Most common orders of first visits (simulated, {report.steps} steps)[/bold]")
    for order in report.simulated_orders:
        out.print(f"  {' -> '.join(order.sites) or '(none)':40} {order.share:.4f}", markup=False)

    out.print()
    table = Table(title=f"First passage from {report.start} (in model steps)", title_justify="left")
    for column in ("site", "mean steps", "simulated ± SE", "ever reached", f"within {report.steps} steps"):
        table.add_column(column, justify="left" if column == "site" else "right")
    with_years = any(p.expected_years is not None for p in report.first_passage)
    if with_years:
        table.add_column("expected years*", justify="right")
    for p in report.first_passage:
        simulated = (
            "-"
            if p.simulated_mean_steps is None
            else f"{p.simulated_mean_steps:.2f} ± {p.simulated_standard_error or 0:.2f}"
        )
        cells = [p.site, _fmt(p.mean_steps, 2), simulated, f"{p.reach_probability:.3f}", f"{p.within_horizon:.3f}"]
        if with_years:
            cells.append(_fmt(p.expected_years, 1))
        table.add_row(*cells)
    out.print(table)
    if with_years and report.calendar:
        out.print(
            f"  * assumption: exponential steps, first median {report.calendar['first_step_median_years']} yr "
            f"(sourced), later median {report.calendar['later_step_median_years']} yr (assumption).",
            markup=False,
        )

    out.print()
    table = Table(title=f"Spreaders and sponges (among {', '.join(report.roles_among)})", title_justify="left")
    for column in ("site", "role", "out / in", "outgoing", "incoming"):
        table.add_column(column, justify="left" if column in ("site", "role") else "right")
    for r in report.roles:
        table.add_row(
            r.site, r.role, "inf" if r.ratio is None else f"{r.ratio:.2f}", f"{r.outgoing:.3f}", f"{r.incoming:.3f}"
        )
    out.print(table)

    out.print()
    table = Table(title="Transition matrix (rows = from)", title_justify="left")
    table.add_column("from \\ to")
    for site in report.sites:
        table.add_column(site, justify="right")
    for site, row in zip(report.sites, report.matrix, strict=True):
        table.add_row(site, *(f"{p:.3f}" for p in row))
    out.print(table)
    print_evidence(report)


def _list_frequencies(kind: str | None, as_json: bool) -> None:
    records = site_frequencies(kind=kind)
    if as_json:
        print_json(
            {
                "kinds": {k.value: KIND_MEANING[k] for k in FrequencyKind},
                "frequencies": [{**r.model_dump(mode="json"), "verification": r.verification.value} for r in records],
            }
        )
        return
    for k in FrequencyKind:
        chosen = [r for r in records if r.kind is k]
        if not chosen:
            continue
        out.print(f"\n[bold]{k.value}[/bold]: {KIND_MEANING[k]}")
        for r in chosen:
            out.print(f"  {r.id} [subtype {r.subtype}; {r.verification.value}] {_values_text(r)}", markup=False)
            out.print(f"      {r.population} [{', '.join(r.sources)}]", markup=False, style="dim")
    out.print("\nThe kinds answer different questions; do not compare numbers across kinds.")
    print_disclaimer()


_UNIT = {"percent_of_patients": "%", "percent_of_newly_diagnosed": "%"}


def _values_text(record: SiteFrequency) -> str:
    unit = _UNIT.get(record.measure, "")
    prefix = f"odds ratio vs {record.reference}: " if record.measure == "odds_ratio" else ""
    parts = [f"{site} {value:g}{unit}" for site, value in record.values.items()]
    for site in dict.fromkeys([*record.lower_bounds, *record.upper_bounds]):
        low, high = record.lower_bounds.get(site), record.upper_bounds.get(site)
        if low is not None and high is not None:
            parts.append(f"{site} {low:g}-{high:g}{unit}")
        elif high is not None:
            parts.append(f"{site} < {high:g}{unit}")
        else:
            parts.append(f"{site} > {low:g}{unit}")
    counts = " (counts)" if record.measure == "count" else ""
    return prefix + ", ".join(parts) + counts


def _write_figures(
    chain: MarkovChain, report: SpreadReport, plot_network: Path | None, plot_steps: Path | None, seed: int | None
) -> None:
    """Save the site network and/or the site probabilities by step (imports matplotlib only when asked)."""
    from metastasis.report.figures import save_figure
    from metastasis.simulate.spread.plot import network_figure, site_probability_figure
    from metastasis.simulate.spread.sampling import empirical_distributions

    title = f"{report.model[0].upper()}{report.model[1:]}: from {report.start}"
    if plot_network is not None:
        figure = network_figure(chain, primary=report.start, roles_among=report.roles_among, title=title)
        save_figure(figure, plot_network)
    if plot_steps is not None:
        paths = chain.simulate(start=report.start, steps=report.steps, patients=report.patients, seed=seed)
        figure = site_probability_figure(
            chain, report.start, report.steps, simulated=empirical_distributions(paths, chain.n_sites), title=title
        )
        save_figure(figure, plot_steps)


@reports_input_errors
def spread(
    subtype: str = typer.Option("all", "--subtype", help="all, hr+/her2-, hr-/her2+ or triple-negative (tnbc, her2+)."),
    start: str | None = typer.Option(None, "--from", help="Start site (default: the primary, breast)."),
    steps: int = typer.Option(5, "--steps", help="Number of model steps (>= 1)."),
    patients: int = typer.Option(100_000, "--patients", help="Simulated patients for the Monte Carlo check."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (an integer >= 0) for reproducible output."),
    top: int = typer.Option(5, "--top", help="Pathways listed per length."),
    matrix: Path | None = typer.Option(
        None, "--matrix", help="Your own chain: CSV with a header row of sites and one row per site (rows = from)."
    ),
    no_years: bool = typer.Option(False, "--no-years", help="Do not convert steps to years (an assumption)."),
    plot_network: Path | None = typer.Option(None, "--plot-network", help="Write the site network (png/svg/pdf)."),
    plot_steps: Path | None = typer.Option(
        None, "--plot-steps", help="Write site probabilities by step (png/svg/pdf)."
    ),
    frequencies: bool = typer.Option(False, "--frequencies", help="List the published site frequencies and exit."),
    kind: str | None = typer.Option(None, "--kind", help="With --frequencies: only this kind."),
    as_json: bool = _JSON,
) -> None:
    """Where and when breast cancer spreads: a Markov chain over anatomic sites (Newton et al.)."""
    if frequencies:
        _list_frequencies(kind, as_json)
        return
    from metastasis.simulate.spread.defaults import breast_model
    from metastasis.simulate.spread.report import spread_report

    chain = _read_matrix(matrix) if matrix is not None else None
    report = spread_report(
        chain, subtype=subtype, start=start, steps=steps, patients=patients, seed=seed, top=top, years=not no_years
    )
    if plot_network is not None or plot_steps is not None:
        used = chain if chain is not None else breast_model(subtype).chain()
        _write_figures(used, report, plot_network, plot_steps, seed)
    if as_json:
        print_json(report)
        return
    render_spread(report)
    for path in (plot_network, plot_steps):
        if path is not None:
            out.print(f"\nFigure written: {path}", markup=False)
    print_disclaimer()


# --- cascade ---------------------------------------------------------------------------------------------


def _parse_fractions(items: list[str]) -> dict[str, float] | None:
    if not items:
        return None
    parsed: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or number is None:
            raise InvalidInputError("fraction", item, f"STEP=VALUE with STEP one of {', '.join(STEPS)}")
        parsed[key.strip()] = number
    return parsed


_FRACTION = typer.Option(
    [], "--fraction", help=f"Override a step's survival: STEP=VALUE (repeat). Steps: {', '.join(STEPS)}."
)
_BASIS = {"measured (cumulative)": "measured", "measured (per step)": "measured", "not quantified": "-"}


def render_cascade(result: CascadeResult) -> None:
    """Print the cascade: steps with their survival and sources, the overall inefficiency, the simulation."""
    table = Table(
        title="The metastatic cascade (per-step survival; >= marks a lower bound)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for column in ("step", "survive", "left", "basis", "check"):
        table.add_column(column, justify="left" if column in ("step", "basis", "check") else "right", no_wrap=True)
    for s in result.steps:
        table.add_row(
            s.name,
            "-" if s.fraction is None else f"{s.fraction:.3g}",
            "-" if s.survivors is None else f"{s.survivors:.3g}",
            _BASIS.get(s.basis, s.basis) + (" >=" if s.bound == "lower" else ""),
            s.verification,
        )
    out.print(table)
    rows = [
        ("Cells counted from", f"{result.start_step} ({result.cells:,} cells)"),
        ("Overall fraction", f"{result.overall_fraction:.3g} (1 in {result.cells_per_metastasis:,.0f} cells)"),
        ("Metastatic inefficiency", f"{100 * result.inefficiency:.4f}% of cells never found a metastasis"),
        ("Expected metastases", f"{result.expected_metastases:.3g} (exact)"),
        (
            "P(at least one)",
            f"{result.probability_at_least_one:.3f} exact; {result.simulated_at_least_one:.3f} simulated",
        ),
        (
            "Simulated metastases",
            f"mean {result.simulated_mean:.3g}, sd {result.simulated_sd:.3g}, 5/50/95%: "
            + "/".join(f"{v:g}" for v in result.simulated_quantiles.values())
            + f" ({result.replicates:,} runs)",
        ),
        ("Cells for a 50% chance", f"{result.cells_for_even_chance:,}"),
        (
            "Simulated cells left",
            " -> ".join(f"{s.simulated_mean:,.1f}" for s in result.steps if s.simulated_mean is not None)
            + " (mean after each quantified step)",
        ),
    ]
    summary = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in rows:
        summary.add_row(f"[bold]{key}[/bold]", value)
    out.print(summary)
    out.print("\n[bold]Other published figures (not used by the model)[/bold]")
    for c in result.comparisons:
        out.print(f"  - {c.text}: {c.value:g} {c.unit} ({c.verification}) [{', '.join(c.sources)}]", markup=False)
    print_evidence(result, reasons=False)


@reports_input_errors
def cascade_command(
    cells: int = typer.Option(10_000, "--cells", help="Shed cells entering the circulation."),
    replicates: int = typer.Option(1_000, "--replicates", help="Simulated runs."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (an integer >= 0)."),
    fraction: list[str] = _FRACTION,
    as_json: bool = _JSON,
) -> None:
    """Metastatic inefficiency: per-step survival through the cascade and how many shed cells succeed."""
    result = cascade(cells=cells, replicates=replicates, seed=seed, fractions=_parse_fractions(fraction))
    if as_json:
        print_json(result)
        return
    render_cascade(result)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add ``spread`` and ``cascade`` to the CLI."""
    app.command("spread")(spread)
    app.command("cascade")(cascade_command)
