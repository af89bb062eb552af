"""Pages for patients and families: phone first, plain language, what to do now, sources on every page.

Routes stay thin: forms run through the library operations (:mod:`metastasis.web.patient_forms`), static
content is read from the library's data (:mod:`metastasis.web.patient_content`), and every page is rendered in
full, so that forms work without JavaScript while htmx swaps only the result region. Each page numbers the
sources it cites (:class:`~metastasis.web.patient_content.Footnotes`) and lists them once, at its end, for the
care team.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from metastasis.errors import InvalidInputError
from metastasis.knowledge.education import HELP_NOW_DEFAULT, explain, search_topics
from metastasis.knowledge.guides import organisations, question_lists
from metastasis.knowledge.quiz import quiz_items
from metastasis.predict.statistics import reference_statistics
from metastasis.staging import StageResult, explain_result
from metastasis.web import patient_content as content
from metastasis.web.forms import Submission, submit
from metastasis.web.patient_forms import (
    OPTIONS,
    OPTIONS_DEFAULTS,
    STAGE,
    STAGE_DEFAULTS,
    TRIAGE,
    QuizSubmission,
    options_fields,
    plain_problems,
    score,
    stage_fields,
)
from metastasis.web.templating import page

router = APIRouter(prefix="/patient", include_in_schema=False)


def _page(request: Request, name: str, crumb: str | None, issues: Any = None, **context: Any) -> HTMLResponse:
    """A patient page; 422 when the posted form had problems (``issues``: the page is re-rendered with the values
    kept and each problem next to its control)."""
    status = 422 if issues else 200
    context.setdefault("notes", content.Footnotes())
    return page(
        request,
        f"patient/{name}",
        status_code=status,
        section="patient",
        crumb=crumb,
        items=issues,
        numbers=content.EMERGENCY_NUMBERS,
        **context,
    )


@router.get("", response_class=HTMLResponse, name="web.patient_home")
def patient_home(request: Request) -> HTMLResponse:
    """The patient entrance: when to get help now, and the pages below."""
    return _page(request, "home.html", None, flags=content.red_flags(), action=content.emergency_action())


def _stage(request: Request, sub: Submission) -> HTMLResponse:
    result: StageResult | None = sub.result
    explanation = explain_result(result) if result else None
    fields = stage_fields(sub.values)
    return _page(
        request,
        "stage.html",
        "Understand a stage",
        sub.problems,
        fields=fields,
        problems=plain_problems(sub.problems, {f.name: f.label for f in fields}),
        result=result,
        explanation=explanation,
        result_sources=content.refs(result.sources, explanation.sources) if result and explanation else [],
    )


@router.get("/stage", response_class=HTMLResponse, name="web.patient_stage")
def stage(request: Request) -> HTMLResponse:
    """Understand a stage: pick T, N, M, receptor results and grade."""
    return _stage(request, Submission(values=dict(STAGE_DEFAULTS)))


@router.post("/stage", response_class=HTMLResponse, name="web.patient_stage_submit")
async def stage_submit(request: Request) -> HTMLResponse:
    """The stage with its plain-language explanation and sources."""
    return _stage(request, submit(STAGE, await request.form()))


@router.get("/spread", response_class=HTMLResponse, name="web.patient_spread")
def spread(request: Request) -> HTMLResponse:
    """What metastasis is and where breast cancer spreads."""
    return _page(
        request,
        "spread.html",
        "What metastasis is",
        explainers=content.explainers(content.SPREAD_TOPICS),
        tables=content.frequency_tables(),
    )


def _symptoms(request: Request, sub: Submission) -> HTMLResponse:
    flags = content.red_flags()
    # The red-flag list is not swapped with the result, so its sources keep the first numbers on every answer.
    notes = content.Footnotes()
    for rule in flags:
        notes.cite(rule.sources)
    return _page(
        request,
        "symptoms.html",
        "Symptoms to watch",
        sub.problems,
        groups=content.symptom_groups(),
        checked=sub.values.get("symptoms") or [],
        problems=plain_problems(
            sub.problems,
            {"symptoms": "Your symptoms"},
            missing="Please tick at least one symptom.",
            aliases={"symptom": "symptoms"},
        ),
        result=sub.result,
        titles=content.URGENCY_TITLES,
        flags=flags,
        notice=content.triage_notice(),
        notes=notes,
    )


@router.get("/symptoms", response_class=HTMLResponse, name="web.patient_symptoms")
def symptoms(request: Request) -> HTMLResponse:
    """Symptoms to watch and when to get help now."""
    return _symptoms(request, Submission(values={}))


@router.post("/symptoms", response_class=HTMLResponse, name="web.patient_symptoms_submit")
async def symptoms_submit(request: Request) -> HTMLResponse:
    """How soon to get help for the ticked symptoms, what to do now first."""
    return _symptoms(request, submit(TRIAGE, await request.form()))


@router.get("/statistics", response_class=HTMLResponse, name="web.patient_statistics")
def statistics(request: Request) -> HTMLResponse:
    """What the survival statistics mean."""
    return _page(
        request,
        "statistics.html",
        "The numbers",
        sections=content.statistics_sections(reference_statistics()),
        topic=content.STATISTICS_TOPIC,
        caveat=content.statistics_caveat(),
    )


def _treatments(request: Request, sub: Submission) -> HTMLResponse:
    fields = options_fields(sub.values)
    return _page(
        request,
        "treatments.html",
        "Treatments to ask about",
        sub.problems,
        fields=fields,
        problems=plain_problems(sub.problems, {f.name: f.label for f in fields}),
        result=sub.result,
        questions=content.questions(sub.result.sites) if sub.result else [],
    )


@router.get("/treatments", response_class=HTMLResponse, name="web.patient_treatments")
def treatments(request: Request) -> HTMLResponse:
    """Treatment options to discuss: choose the type of cancer and where it has spread."""
    return _treatments(request, Submission(values=dict(OPTIONS_DEFAULTS)))


@router.post("/treatments", response_class=HTMLResponse, name="web.patient_treatments_submit")
async def treatments_submit(request: Request) -> HTMLResponse:
    """The option families to discuss, with the questions to ask and sources."""
    return _treatments(request, submit(OPTIONS, await request.form()))


@router.get("/learn", response_class=HTMLResponse, name="web.patient_learn")
def learn(request: Request, q: str = "") -> HTMLResponse:
    """Every explainer by group, with a search box (``?q=`` keeps only the topics that use every word)."""
    query = q.strip()[:100]
    return _page(
        request,
        "learn.html",
        "Learn more",
        groups=content.topic_index(),
        query=query,
        found=search_topics(query) if query else None,
    )


@router.get("/learn/{topic}", response_class=HTMLResponse, name="web.patient_learn_topic")
def learn_topic(request: Request, topic: str) -> HTMLResponse:
    """One explainer as a printable leaflet; 404 for a topic the library does not have."""
    try:
        explainer = explain(topic)
    except InvalidInputError:
        raise HTTPException(status_code=404, detail="There is no page on this topic.") from None
    return _page(
        request,
        "topic.html",
        explainer.title,
        explainer=explainer,
        linked=content.Linker(),
        help_default=HELP_NOW_DEFAULT,
        related=content.explainers(explainer.related),
        next_step=explain(explainer.next_step) if explainer.next_step else None,
        check=content.topic_quiz(explainer.id),
    )


@router.get("/glossary", response_class=HTMLResponse, name="web.patient_glossary")
def glossary_page(request: Request) -> HTMLResponse:
    """The words the patient pages use, in plain words."""
    return _page(request, "glossary.html", "Words explained", entries=content.glossary_entries())


@router.get("/help", response_class=HTMLResponse, name="web.patient_help")
def help_page(request: Request) -> HTMLResponse:
    """Finding help: organisations and what they do, and questions to ask the care team."""
    return _page(
        request,
        "help.html",
        "Finding help",
        organisations=organisations(),
        question_lists=question_lists(),
        titles=content.all_topics(),
    )


def _quiz(request: Request, sub: QuizSubmission) -> HTMLResponse:
    items = quiz_items()
    result = sub.result
    return _page(
        request,
        "quiz.html",
        "Quiz",
        sub.problems,
        quiz=items,
        values=sub.values,
        problems=plain_problems(sub.problems, {item.id: f"Question {n}" for n, item in enumerate(items, start=1)}),
        result=result,
        answers=list(zip(items, result.answers, strict=True)) if result else [],
    )


@router.get("/quiz", response_class=HTMLResponse, name="web.patient_quiz")
def quiz(request: Request) -> HTMLResponse:
    """The quiz on metastasis."""
    return _quiz(request, QuizSubmission(values={}))


@router.post("/quiz", response_class=HTMLResponse, name="web.patient_quiz_submit")
async def quiz_submit(request: Request) -> HTMLResponse:
    """The score, with each answer's explanation and sources."""
    return _quiz(request, score(await request.form()))
