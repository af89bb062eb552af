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
        **context,
    )
