"""The patient forms: controls built from the library operations' request models, with choices taken from the
library's data and labels in plain words, and input problems reworded for patients.

Stage, symptoms and treatments run through the same operations as the API (:mod:`metastasis.api.catalogue`);
the quiz calls :func:`~metastasis.knowledge.quiz.score_quiz` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from metastasis.api.catalogue import operation
from metastasis.api.errors import ErrorItem, items_from_invalid_input
from metastasis.errors import InvalidInputError
from metastasis.knowledge import all_sites
from metastasis.knowledge.options import MENOPAUSAL, SUBTYPES
from metastasis.knowledge.quiz import QuizScore, quiz_items, score_quiz
from metastasis.staging import explain_category, parse_m, parse_n, parse_t
from metastasis.staging.tables import N_GROUPS, T_GROUPS
from metastasis.web.forms import Choices, FormField, form_fields

STAGE = operation("staging_breast")
TRIAGE = operation("triage")
OPTIONS = operation("treatment_options")

NOT_SURE = "Not sure"
_RECEPTOR: Choices = (("unknown", NOT_SURE), ("positive", "Positive"), ("negative", "Negative"))
_GRADE: Choices = (("unknown", NOT_SURE), ("1", "Grade 1"), ("2", "Grade 2"), ("3", "Grade 3"))
STAGE_DEFAULTS = {"er": "unknown", "pr": "unknown", "her2": "unknown", "grade": "unknown"}
_STAGE_ORDER = ("t", "n", "m", "er", "pr", "her2", "grade")
_STAGE_LABELS = {
    "t": "T: the main tumour",
    "n": "N: the lymph nodes",
    "m": "M: spread to other parts of the body",
    "er": "ER (oestrogen receptor) result",
    "pr": "PR (progesterone receptor) result",
    "her2": "HER2 result",
    "grade": "Grade",
}
_STAGE_HINTS = {
    "t": "Your report may write this as T1, T2 and so on.",
    "n": "Your report may write this as N0, N1 and so on.",
    "m": "Your report may write this as M0 or M1.",
    "er": "Hormone receptor test. Leave as not sure if you do not know.",
    "pr": "Hormone receptor test. Leave as not sure if you do not know.",
    "her2": "A test for a protein on the cancer cells.",
    "grade": "How different the cancer cells look from normal cells.",
}

_SUBTYPE_NAMES = {
    "hr+/her2-": "Hormone receptor positive, HER2 negative (HR+/HER2-)",
    "hr+/her2+": "Hormone receptor positive, HER2 positive (HR+/HER2+)",
    "hr-/her2+": "Hormone receptor negative, HER2 positive (HR-/HER2+)",
    "triple-negative": "Triple negative (HR-/HER2-)",
}
_MENOPAUSAL_NAMES = {"premenopausal": "Before menopause", "postmenopausal": "After menopause", "unknown": NOT_SURE}
OPTIONS_DEFAULTS = {"menopausal_status": "unknown"}


_PARSE = {"T": parse_t, "N": parse_n, "M": parse_m}


def _axis_choices(axis: str, codes: tuple[str, ...]) -> Choices:
    """T, N or M groups with the library's plain meaning of the category written without a prefix
    ('T2 — The tumour is bigger than 2 cm ...'); the X group (cannot be assessed) is offered as 'Not sure', last."""
    known, unknown = [], []
    for code in codes:
        if code.endswith("X"):
            unknown.append((code, f"{NOT_SURE} ({code})"))
            continue
        known.append((code, f"{code} — {explain_category(_PARSE[axis](code)).text}"))
    return (*known, *unknown)


def stage_fields(values: Mapping[str, Any]) -> list[FormField]:
    """The stage form: T, N and M groups with their plain meaning, receptor results and grade."""
    choices = {
        "t": _axis_choices("T", T_GROUPS),
        "n": _axis_choices("N", N_GROUPS),
        "m": _axis_choices("M", ("M0", "M1")),
        "er": _RECEPTOR,
        "pr": _RECEPTOR,
        "her2": _RECEPTOR,
        "grade": _GRADE,
    }
    fields = form_fields(
        STAGE.request_model,
        values,
        choices=choices,
        labels=_STAGE_LABELS,
        hints=_STAGE_HINTS,
        hide=("oncotype_rs", "system", "basis"),
    )
    return sorted(fields, key=lambda f: _STAGE_ORDER.index(f.name))


def options_fields(values: Mapping[str, Any]) -> list[FormField]:
    """The treatment-options form: subtype, the places the cancer has spread to and menopausal status."""
    sites = tuple(
        (site.id, site.plain_name[:1].upper() + site.plain_name[1:]) for site in all_sites() if not site.parent
    )
    return form_fields(
        OPTIONS.request_model,
        values,
        choices={
            "subtype": tuple((key, _SUBTYPE_NAMES[key]) for key in SUBTYPES),
            "sites": sites,
            "menopausal_status": tuple((key, _MENOPAUSAL_NAMES[key]) for key in MENOPAUSAL),
        },
        labels={
            "subtype": "Type of breast cancer",
            "sites": "Where the cancer has spread",
            "menopausal_status": "Menopause",
        },
        hints={
            "subtype": "Your care team can tell you which type you have. It comes from the ER, PR and HER2 tests.",
            "sites": "Tick every place that applies.",
            "menopausal_status": "This can change which hormone treatment fits.",
        },
        hide=(
            "mirels",
            "sins",
            "lesion_count",
            "her2_ihc",
            "her2_ish",
            "gbrca",
            "pdl1",
            "pik3ca",
            "akt1",
            "pten",
            "esr1",
            "prior_treatments",
        ),
    )


MISSING = "Please choose an answer here."


def plain_problem(item: ErrorItem, missing: str = MISSING) -> str:
    """A problem with an answer, in plain words."""
    if item.value in (None, "", [], "[]"):
        return missing
    return f"We did not recognise the answer “{item.value}”. Please pick one from the list."


@dataclass
class Problems:
    """Input problems as the page shows them: next to each control, and in a summary that links to them."""

    by_field: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str | None, str, str]] = field(default_factory=list)  # (control or None, label, message)

    def get(self, name: str) -> str | None:
        return self.by_field.get(name)


def plain_problems(
    items: list[ErrorItem] | None,
    labels: Mapping[str, str],
    *,
    missing: str = MISSING,
    aliases: Mapping[str, str] | None = None,
) -> Problems:
    """The problems of a posted form, per control (``labels`` names the form's controls; ``aliases`` maps the
    library's field names to them). A problem with no control keeps the library's own message."""
    found = Problems()
    for item in items or []:
        name = item.field.removeprefix("answer to ").split(".")[0]
        name = (aliases or {}).get(name, name)
        if name not in labels:
            found.summary.append((None, item.field, item.message))
            continue
        if name not in found.by_field:
            found.by_field[name] = plain_problem(item, missing)
            found.summary.append((name, labels[name], found.by_field[name]))
    return found


@dataclass
class QuizSubmission:
    """A posted quiz: the answers given per question id, and the score or the problems."""

    values: dict[str, str]
    result: QuizScore | None = None
    problems: list[ErrorItem] | None = None


def score(form: FormData) -> QuizSubmission:
    """Score a posted quiz; unanswered questions and unknown answers come back as problems per question."""
    items = quiz_items()
    values = {item.id: str(form.get(item.id, "")).strip() for item in items}
    missing = [
        ErrorItem(field=item.id, value=None, allowed=", ".join(item.choices), message="no answer given")
        for item in items
        if not values[item.id]
    ]
    if missing:
        return QuizSubmission(values, problems=missing)
    try:
        return QuizSubmission(values, result=score_quiz([values[item.id] for item in items]))
    except InvalidInputError as exc:
        return QuizSubmission(values, problems=items_from_invalid_input(exc))
