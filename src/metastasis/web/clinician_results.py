"""How a library result is shown on a clinician page: its partial template and the figures that go with it.

Each result type has a partial ``clinician/results/<TypeName>.html`` (looked up along the class hierarchy, so an
``EsccResult`` can reuse the ``ScoreResult`` one), falling back to ``_generic.html``, which lists the model's
fields. Figures (:mod:`metastasis.web.clinician_figures`) are the library's own, inlined as SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from metastasis.web.clinician_figures import InlineFigure, predict_figures
from metastasis.web.forms import label_of
from metastasis.web.templating import page, templates

RESULTS_DIR = "clinician/results"
GENERIC = f"{RESULTS_DIR}/_generic.html"


@cache
def _available() -> frozenset[str]:
    return frozenset(templates.env.list_templates())


def result_template(result: Any) -> str:
    """The partial for a result: the first of its classes with a template, else the generic one."""
    for cls in type(result).__mro__:
        name = f"{RESULTS_DIR}/{cls.__name__}.html"
        if name in _available():
            return name
    return GENERIC


#: Figures drawn for a result type (by class name), from the library's plot functions.
FIGURES: dict[str, Callable[[Any], list[InlineFigure]]] = {"PredictResult": predict_figures}


def figures_for(result: Any) -> list[InlineFigure]:
    """The figures that go with a calculator's result (none for most)."""
    draw = FIGURES.get(type(result).__name__)
    return draw(result) if draw else []


def plain_fields(result: Any) -> dict[str, Any]:
    """A result's own fields as JSON-ready data, without the evidence (shown by the ``evidence`` macro)."""
    data = result.model_dump(mode="json")
    for key in ("reasons", "caveats", "sources"):
        data.pop(key, None)
    return data


def percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction as a percentage for display (``0.853`` -> ``85.3%``); a dash when there is none."""
    return "-" if fraction is None else f"{100 * fraction:.{digits}f}%"


def _pct(fraction: float, digits: int = 1) -> str:
    return f"{100 * fraction:.{digits}f}%"


def _g(value: float) -> str:
    return f"{value:g}"


def _predict_headline(r: Any) -> str:
    ten = r.arms[-1].overall_survival[r.years.index(10)]
    given = "with the treatments chosen" if r.treatments else "with surgery only"
    return f"PREDICT v{r.inputs.version}: {_pct(ten)} alive at 10 years {given}"


def _triage_headline(r: Any) -> str:
    return f"Urgency: {r.urgency.value.replace('_', ' ')}"


def _stage_headline(r: Any) -> str:
    text = f"Anatomic stage {r.anatomic_stage or 'not assigned'}"
    return f"{text}; prognostic stage {r.prognostic_stage}" if r.prognostic_stage else text


def _mapping_headline(r: Any) -> str:
    names = {"ecog": "ECOG", "karnofsky": "Karnofsky"}
    to = " or ".join(str(v) for v in r.to_values)
    return f"{names[r.from_scale]} {r.from_value} → {names[r.to_scale]} {to}"


def _pattern_headline(r: Any) -> str:
    count = len(r.organs)
    return f"{r.category.replace('_', ' ').capitalize()} disease ({count} organ{'' if count == 1 else 's'})"


#: The one-line answer of each result type (by class name), shown first on the page and in the notes.
HEADLINES: dict[str, Callable[[Any], str]] = {
    "ScoreResult": lambda r: f"Total {r.total} — {r.band_label}",
    "EsccResult": lambda r: f"Grade {r.grade} — {r.band_label}",
    "StageResult": _stage_headline,
    "CorrectedCalciumResult": lambda r: f"Corrected calcium {_g(r.value)} {r.unit}",
    "HypercalcemiaResult": lambda r: f"CTCAE grade {r.grade}" + (f" ({r.band})" if r.band else ""),
    "KatagiriLaboratoryResult": lambda r: f"Laboratory tier: {r.tier} ({r.points} point{'' if r.points == 1 else 's'})",
    "PerformanceResult": lambda r: f"{'ECOG' if r.scale == 'ecog' else 'Karnofsky'} {r.value}: {r.description}",
    "MappingResult": _mapping_headline,
    "PredictResult": _predict_headline,
    "NPIResult": lambda r: f"NPI {r.score:.2f} — {r.band}",
    "CTS5Result": lambda r: f"CTS5 {r.score:.2f} — {r.risk_group} risk",
    "LateRecurrenceResult": lambda r: f"{_pct(r.risk_years_5_to_20, 0)} risk of distant recurrence, years 5 to 20",
    "TriageResult": _triage_headline,
    "OptionsResult": lambda r: f"{len(r.options)} option famil{'y' if len(r.options) == 1 else 'ies'} to discuss",
    "ReferenceStatistics": lambda r: f"{len(r.statistics)} reference statistic{'' if len(r.statistics) == 1 else 's'}",
    "DiseasePattern": _pattern_headline,
    "PresentationResult": lambda r: f"{r.presentation.replace('_', ' ').capitalize()} metastatic disease",
    "OligometastaticResult": lambda r: (
        f"{'Possible' if r.oligometastatic else 'Not'} oligometastatic disease ({r.lesion_count} lesions; "
        f"up to {r.max_lesions} count)"
    ),
}


def headline_of(result: Any) -> str:
    """The one-line answer of a result (``Total 11 — High risk (9 or more)``)."""
    for cls in type(result).__mro__:
        found = HEADLINES.get(cls.__name__)
        if found is not None:
            return found(result)
    return type(result).__name__


def _shown_value(f: Any) -> str | None:
    """What a control holds, in the page's words (the choice's text, not its code)."""
    value = f.value
    if value is None or value == "" or value == []:
        return None
    texts = {str(v): t for v, t in f.choices}
    if isinstance(value, list):
        return ", ".join(texts.get(str(v), str(v)) for v in value)
    if f.kind == "checkbox":
        return "yes" if value in (True, "true", "on") else None
    text = texts.get(str(value), str(value))
    if getattr(f, "widget", None) == "tnm":
        text = f"{f.prefix}{value}"
    points = getattr(f, "points", {}).get(str(value))
    return text if points is None else f"{text} ({points})"


def notes_text(title: str, controls: list[Any], result: Any, link: str) -> str:
    """A plain-text summary for the clinical notes: the tool, the answer, what it rests on, the inputs, a link.

    Example: ``Mirels' score: Total 11 — High risk (9 or more)`` then the interpretation, the action and
    ``Site: Lower limb (2)`` lines.
    """
    lines = [f"{title}: {headline_of(result)}"]
    for word, attr in (("Interpretation", "interpretation"), ("Action", "action")):
        value = getattr(result, attr, None)
        if isinstance(value, str) and value:
            lines.append(f"{word}: {value}")
    inputs = [f"{f.label}: {shown}" for f in controls if (shown := _shown_value(f)) is not None]
    if inputs:
        lines += ["Inputs:", *(f"- {line}" for line in inputs)]
    lines.append(f"Calculated with metastasis (decision support, not medical advice): {link}")
    return "\n".join(lines)


def clinician_page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A clinician page in the site layout, with the helpers the result partials use."""
    return page(
        request,
        name,
        status_code=status_code,
        section="clinician",
        label=label_of,
        plain=plain_fields,
        percent=percent,
        result_template=result_template,
        headline=headline_of,
        **context,
    )
