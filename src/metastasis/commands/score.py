"""``metastasis score``: bone-metastasis risk scores, calcium and performance status on the command line.

Choice options are plain text checked by the library, so a bad value exits with status 2 and one line naming
the allowed values, the same for every score.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.table import Table

from metastasis import assess
from metastasis.assess import performance
from metastasis.assess._tables import score_spec
from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced

score_app = typer.Typer(
    name="score",
    help="Bone-metastasis risk scores, corrected calcium, CTCAE hypercalcaemia and performance status.",
    add_completion=False,
)

# command -> (what it answers, direction); the point scores' ranges come from their data tables.
_LISTING: dict[str, tuple[str, str]] = {
    "mirels": ("Impending pathological fracture of a long bone", "higher = worse"),
    "sins": ("Spinal instability (Spinal Instability Neoplastic Score)", "higher = worse"),
    "bilsky-escc": ("Epidural spinal cord compression grade (0, 1a, 1b, 1c, 2, 3)", "higher = worse"),
    "tokuhashi-revised": ("Survival with spinal metastases (revised Tokuhashi 2005)", "higher = BETTER"),
    "tomita": ("Survival and surgical strategy, spinal metastases (Tomita 2001)", "higher = worse"),
    "bauer": ("Survival with skeletal metastases (Bauer 1995)", "higher = BETTER"),
    "bauer-modified": ("Survival with spinal metastases (modified Bauer 2008)", "higher = BETTER"),
    "katagiri-new": ("Survival with skeletal metastases (New Katagiri 2014)", "higher = worse"),
    "corrected-calcium": ("Albumin-corrected calcium (common 0.8 form or Payne 1973)", "-"),
    "hypercalcemia-grade": ("CTCAE v5 hypercalcaemia grade from a lab value", "higher = worse"),
    "ecog": ("ECOG performance status descriptor (0-5)", "higher = worse"),
    "karnofsky": ("Karnofsky performance status descriptor (0-100)", "higher = better"),
    "ecog-to-kps": ("ECOG -> KPS by one named published mapping", "-"),
    "kps-to-ecog": ("KPS -> ECOG by one named published mapping", "-"),
}
_POINT_SCORES = {
    "mirels": "mirels",
    "sins": "sins",
    "tokuhashi-revised": "tokuhashi_revised",
    "tomita": "tomita",
    "bauer": "bauer",
    "bauer-modified": "bauer_modified",
    "katagiri-new": "katagiri_new",
}
_JSON = typer.Option(False, "--json", help="Print the result as JSON.")


def _choices(score_id: str, item_id: str) -> str:
    """Help text listing an item's allowed values (read from the score's table)."""
    item = score_spec(score_id).item(item_id)
    if item.kind == "yes_no":
        return f"{item.label}: yes or no."
    if item.kind == "number":
        top = "" if item.maximum is None else f" to {item.maximum}"
        grid = "" if item.step is None else f" in steps of {item.step}"
        return f"{item.label}: a whole number from {item.minimum}{top}{grid}."
    return f"{item.label}: one of {', '.join(item.allowed())}."


def _opt(score_id: str, item_id: str) -> typer.models.OptionInfo:
    return typer.Option(..., f"--{item_id.replace('_', '-')}", help=_choices(score_id, item_id))


# --- rendering -----------------------------------------------------------------------------------------


def _pairs(rows: list[tuple[str, str]]) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in rows:
        table.add_row(f"[bold]{key}[/bold]", value)
    out.print(table)


def render_score(result: assess.ScoreResult) -> None:
    """Print a point score: total, band, interpretation, action, breakdown, outcomes, caveats, sources."""
    out.print(f"[bold]{result.name}[/bold]")
    total = f"{result.total} (range {result.minimum}-{result.maximum}; higher is {result.higher_is})"
    if isinstance(result, assess.EsccResult):
        total = f"grade {result.grade} (rank {result.rank} of 0-{result.maximum}; high grade: {result.high_grade})"
    _pairs(
        [
            ("Total", total),
            ("Band", result.band_label),
            ("Interpretation", result.interpretation),
            ("Action", result.action),
        ]
    )
    breakdown = Table(title="Breakdown", title_justify="left", box=None, padding=(0, 2))
    for column in ("Item", "Given", "Row", "Points"):
        breakdown.add_column(column)
    for row in result.breakdown:
        breakdown.add_row(row.label, str(row.given), row.choice_label, str(row.points))
    out.print(breakdown)
    if result.outcomes:
        out.print("\n[bold]Published outcomes for this band[/bold]")
        for outcome in result.outcomes:
            out.print(f"  - {outcome.measure}: {outcome.value} [{', '.join(outcome.sources)}]", markup=False)
    print_evidence(result, reasons=False)


def _render_other(rows: list[tuple[str, str]], result: Evidenced) -> None:
    _pairs(rows)
    print_evidence(result)


def _emit(result: Evidenced, as_json: bool, render: Callable[[], None]) -> None:
    if as_json:
        print_json(result)
        return
    render()
    print_disclaimer()


def _emit_score(result: assess.ScoreResult, as_json: bool) -> None:
    _emit(result, as_json, lambda: render_score(result))


# --- commands ------------------------------------------------------------------------------------------


@score_app.callback(invoke_without_command=True)
def _score(
    ctx: typer.Context,
    list_scores: bool = typer.Option(False, "--list", help="List the available scores and exit."),
) -> None:
    """Bone-metastasis risk scores, calcium and performance status (``metastasis score --list``)."""
    if list_scores:
        table = Table(box=None, padding=(0, 2))
        for column in ("Command", "What it answers", "Range", "Direction"):
            table.add_column(column)
        for command, (what, direction) in _LISTING.items():
            if command in _POINT_SCORES:
                spec = score_spec(_POINT_SCORES[command])
                span = f"{spec.minimum}-{spec.maximum}"
            else:
                span = "-"
            table.add_row(command, what, span, direction)
        out.print(table)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


@score_app.command("mirels")
@reports_input_errors
def mirels_command(
    site: str = _opt("mirels", "site"),
    pain: str = _opt("mirels", "pain"),
    lesion: str = _opt("mirels", "lesion"),
    size: str = _opt("mirels", "size"),
    as_json: bool = _JSON,
) -> None:
    """Mirels' score: risk of pathological fracture of a long bone (4-12, higher = worse)."""
    _emit_score(assess.mirels(site=site, pain=pain, lesion=lesion, size=size), as_json)  # type: ignore[arg-type]


@score_app.command("sins")
@reports_input_errors
def sins_command(
    location: str = _opt("sins", "location"),
    pain: str = _opt("sins", "pain"),
    lesion: str = _opt("sins", "lesion"),
    alignment: str = _opt("sins", "alignment"),
    collapse: str = _opt("sins", "collapse"),
    posterolateral: str = _opt("sins", "posterolateral"),
    as_json: bool = _JSON,
) -> None:
    """Spinal Instability Neoplastic Score (0-18, higher = worse)."""
    result = assess.sins(
        location=location,  # type: ignore[arg-type]
        pain=pain,  # type: ignore[arg-type]
        lesion=lesion,  # type: ignore[arg-type]
        alignment=alignment,  # type: ignore[arg-type]
        collapse=collapse,  # type: ignore[arg-type]
        posterolateral=posterolateral,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("bilsky-escc")
@reports_input_errors
def bilsky_command(
    grade: str = typer.Option(..., "--grade", help=f"ESCC grade: one of {', '.join(assess.escc_grades())}."),
    as_json: bool = _JSON,
) -> None:
    """Bilsky epidural spinal cord compression grade (0, 1a, 1b, 1c, 2, 3)."""
    _emit_score(assess.bilsky_escc(grade=grade), as_json)  # type: ignore[arg-type]


@score_app.command("tokuhashi-revised")
@reports_input_errors
def tokuhashi_command(
    kps: int = _opt("tokuhashi_revised", "kps"),
    extraspinal_bone_metastases: int = _opt("tokuhashi_revised", "extraspinal_bone_metastases"),
    vertebral_metastases: int = _opt("tokuhashi_revised", "vertebral_metastases"),
    internal_organ_metastases: str = _opt("tokuhashi_revised", "internal_organ_metastases"),
    primary: str = _opt("tokuhashi_revised", "primary"),
    palsy: str = _opt("tokuhashi_revised", "palsy"),
    as_json: bool = _JSON,
) -> None:
    """Revised Tokuhashi score for spinal metastases (0-15, HIGHER = BETTER)."""
    result = assess.tokuhashi_revised(
        kps=kps,
        extraspinal_bone_metastases=extraspinal_bone_metastases,
        vertebral_metastases=vertebral_metastases,
        internal_organ_metastases=internal_organ_metastases,  # type: ignore[arg-type]
        primary=primary,  # type: ignore[arg-type]
        palsy=palsy,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("tomita")
@reports_input_errors
def tomita_command(
    primary_growth: str = _opt("tomita", "primary_growth"),
    visceral_metastases: str = _opt("tomita", "visceral_metastases"),
    bone_metastases: str = _opt("tomita", "bone_metastases"),
    as_json: bool = _JSON,
) -> None:
    """Tomita score for spinal metastases (2-10, higher = worse)."""
    result = assess.tomita(
        primary_growth=primary_growth,  # type: ignore[arg-type]
        visceral_metastases=visceral_metastases,  # type: ignore[arg-type]
        bone_metastases=bone_metastases,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("bauer")
@reports_input_errors
def bauer_command(
    primary: str = _opt("bauer", "primary"),
    visceral_metastases: str = _opt("bauer", "visceral_metastases"),
    pathological_fracture: str = _opt("bauer", "pathological_fracture"),
    solitary_skeletal_metastasis: str = _opt("bauer", "solitary_skeletal_metastasis"),
    as_json: bool = _JSON,
) -> None:
    """Bauer score for skeletal metastases (0-5, HIGHER = BETTER)."""
    result = assess.bauer(
        primary=primary,  # type: ignore[arg-type]
        visceral_metastases=visceral_metastases,  # type: ignore[arg-type]
        pathological_fracture=pathological_fracture,  # type: ignore[arg-type]
        solitary_skeletal_metastasis=solitary_skeletal_metastasis,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("bauer-modified")
@reports_input_errors
def bauer_modified_command(
    primary: str = _opt("bauer_modified", "primary"),
    visceral_metastases: str = _opt("bauer_modified", "visceral_metastases"),
    solitary_skeletal_metastasis: str = _opt("bauer_modified", "solitary_skeletal_metastasis"),
    as_json: bool = _JSON,
) -> None:
    """Modified Bauer score for spinal metastases (0-4, HIGHER = BETTER)."""
    result = assess.bauer_modified(
        primary=primary,  # type: ignore[arg-type]
        visceral_metastases=visceral_metastases,  # type: ignore[arg-type]
        solitary_skeletal_metastasis=solitary_skeletal_metastasis,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("katagiri-new")
@reports_input_errors
def katagiri_command(
    primary_growth: str = _opt("katagiri_new", "primary_growth"),
    visceral_metastases: str = _opt("katagiri_new", "visceral_metastases"),
    laboratory: str = _opt("katagiri_new", "laboratory"),
    ecog: int = _opt("katagiri_new", "ecog"),
    previous_chemotherapy: str = _opt("katagiri_new", "previous_chemotherapy"),
    multiple_skeletal_metastases: str = _opt("katagiri_new", "multiple_skeletal_metastases"),
    as_json: bool = _JSON,
) -> None:
    """New Katagiri score (2014) for skeletal metastases (0-10, higher = worse)."""
    result = assess.katagiri_new(
        primary_growth=primary_growth,  # type: ignore[arg-type]
        visceral_metastases=visceral_metastases,  # type: ignore[arg-type]
        laboratory=laboratory,  # type: ignore[arg-type]
        ecog=ecog,
        previous_chemotherapy=previous_chemotherapy,  # type: ignore[arg-type]
        multiple_skeletal_metastases=multiple_skeletal_metastases,  # type: ignore[arg-type]
    )
    _emit_score(result, as_json)


@score_app.command("corrected-calcium")
@reports_input_errors
def corrected_calcium_command(
    calcium: float = typer.Option(..., "--calcium", help="Total calcium: mg/dL (conventional) or mmol/L (si)."),
    albumin: float = typer.Option(..., "--albumin", help="Albumin: g/dL (conventional) or g/L (si)."),
    units: str = typer.Option(..., "--units", help="conventional (mg/dL, g/dL) or si (mmol/L, g/L)."),
    method: str = typer.Option("common", "--method", help="common (0.8 form, default) or payne_original."),
    as_json: bool = _JSON,
) -> None:
    """Albumin-corrected calcium."""
    result = assess.corrected_calcium(calcium=calcium, albumin=albumin, units=units, method=method)  # type: ignore[arg-type]
    rows = [
        ("Corrected calcium", f"{result.value:g} {result.unit}"),
        ("Formula", result.formula),
        ("Method", result.method),
    ]
    _emit(result, as_json, lambda: _render_other(rows, result))


@score_app.command("hypercalcemia-grade")
@reports_input_errors
def hypercalcemia_command(
    calcium: float = typer.Option(..., "--calcium", help="Corrected total calcium (or ionised, see --measure)."),
    units: str = typer.Option(..., "--units", help="conventional (mg/dL) or si (mmol/L); --uln in the same unit."),
    uln: float = typer.Option(..., "--uln", help="The laboratory's upper limit of normal, same measure and unit."),
    measure: str = typer.Option("corrected_total", "--measure", help="corrected_total (default) or ionised."),
    as_json: bool = _JSON,
) -> None:
    """CTCAE v5 hypercalcaemia grade from a laboratory value (graded in the unit supplied)."""
    result = assess.hypercalcemia_grade(calcium=calcium, units=units, uln=uln, measure=measure)  # type: ignore[arg-type]
    rows = [
        ("CTCAE v5 grade", f"{result.grade} (laboratory criterion only)"),
        ("Criterion met", result.criterion),
        ("Clinical qualifier", result.qualifier or "-"),
        ("Severity band", result.band or "-"),
        ("Interpretation", result.interpretation),
        ("Action", result.action),
    ]
    _emit(result, as_json, lambda: _render_other(rows, result))


@score_app.command("ecog")
@reports_input_errors
def ecog_command(
    grade: int = typer.Option(..., "--grade", help="ECOG grade 0-5."),
    as_json: bool = _JSON,
) -> None:
    """ECOG performance status descriptor."""
    result = assess.ecog(grade=grade)
    _emit(result, as_json, lambda: _render_other([("ECOG", str(result.value)), ("Means", result.description)], result))


@score_app.command("karnofsky")
@reports_input_errors
def karnofsky_command(
    score: int = typer.Option(..., "--score", help="Karnofsky score 0-100 in steps of 10."),
    as_json: bool = _JSON,
) -> None:
    """Karnofsky performance status descriptor and group."""
    result = assess.karnofsky(score=score)
    rows = [("KPS", str(result.value)), ("Means", result.description), ("Group", result.band_label or "-")]
    _emit(result, as_json, lambda: _render_other(rows, result))


_MAPPING_HELP = f"Published mapping: one of {', '.join(performance.MAPPINGS)}."


def _mapping(direction: str, mapping: str) -> Callable[..., assess.MappingResult]:
    if mapping not in performance.MAPPINGS:
        raise InvalidInputError("mapping", mapping, performance.MAPPINGS)
    return getattr(performance, f"{direction}_{mapping}")


@score_app.command("ecog-to-kps")
@reports_input_errors
def ecog_to_kps_command(
    grade: int = typer.Option(..., "--grade", help="ECOG grade 0-5."),
    mapping: str = typer.Option(..., "--mapping", help=_MAPPING_HELP),
    as_json: bool = _JSON,
) -> None:
    """KPS values paired with an ECOG grade by one named published mapping (approximate)."""
    result = _mapping("ecog_to_kps", mapping)(grade=grade)
    rows = [("Mapping", result.name), (f"ECOG {result.from_value}", f"KPS {', '.join(map(str, result.to_values))}")]
    _emit(result, as_json, lambda: _render_other(rows, result))


@score_app.command("kps-to-ecog")
@reports_input_errors
def kps_to_ecog_command(
    score: int = typer.Option(..., "--score", help="Karnofsky score 0-100 in steps of 10."),
    mapping: str = typer.Option(..., "--mapping", help=_MAPPING_HELP),
    as_json: bool = _JSON,
) -> None:
    """ECOG grades paired with a KPS score by one named published mapping (approximate)."""
    result = _mapping("kps_to_ecog", mapping)(score=score)
    rows = [("Mapping", result.name), (f"KPS {result.from_value}", f"ECOG {', '.join(map(str, result.to_values))}")]
    _emit(result, as_json, lambda: _render_other(rows, result))


def register(app: typer.Typer) -> None:
    """Add the ``score`` command group to the main application."""
    app.add_typer(score_app, name="score")
