"""The clinical-trial pages: the clinician's ranked matches for a case and the patient's plain-language list.

``/clinician/trials`` takes a case (paste, upload or a bundled example, as the whole-case page) and filters
(recruitment status, a point and a radius), and lists every stored study ranked by the matcher
(:func:`metastasis.trials.match_trials`): an eligibility badge, each criterion met, not met or unknown with its
reason and the text as written (folded), the study's page on ClinicalTrials.gov and what to check next. A GET
with ``?example=...`` reproduces a result, so it can be linked.

``/patient/trials`` takes the same case and shows, in plain words, the studies that may fit: what each tests, its
step (phase) explained, whether it takes patients, where it runs and how to ask the care team, with the message
that a new treatment may not help and the questions to ask. Words: ``assess/case/data/trials.yaml``.

Studies are read from the local trial store through the seam the API uses (``api/trial_routes._store``), once
per version of the store. The matching and the page run on the bounded worker pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile

from metastasis.api.errors import ErrorItem
from metastasis.api.workers import run_heavy
from metastasis.assess.case import trials as words
from metastasis.trials import OVERALL_STATUSES, TrialMatch, match_trials
from metastasis.web.clinician_case import refuse_large_body
from metastasis.web.clinician_case_input import MAX_CASE_BYTES, CaseForm
from metastasis.web.clinician_results import clinician_page
from metastasis.web.templating import page, path_for
from metastasis.web.trials_input import Filters, TrialCase, read_case, read_filters

router = APIRouter(include_in_schema=False)

#: Studies shown in full on the clinician page (the others are counted; filters narrow the list).
MAX_SHOWN = 30
#: Studies shown on the patient page.
PATIENT_SHOWN = 10
#: Places named per study.
PLACES = 3
#: The patient's choice of studies: those a patient could still join, or all.
PATIENT_CHOICES = {"open": "Only trials that take patients now or soon", "all": "All trials, also those that ended"}


@dataclass(frozen=True)
class ShownTrial:
    """One study on a page: its match and what the page says about it."""

    match: TrialMatch
    tested: list[str]
    places: list[str]
    more_places: int
    open: bool


def _store() -> Any:
    from metastasis.api.trial_routes import _store as trial_store

    return trial_store()


def stored_studies() -> tuple[Any, ...] | None:
    """The studies of the local trial store, or ``None`` when it holds none: what a page passes to
    ``assess_case(case, trials=...)`` so that the report has a "Clinical trials" section only when there is a store.
    """
    studies = _store().studies()
    return studies or None


def _shown(matches: list[TrialMatch], limit: int) -> list[ShownTrial]:
    store = _store()
    found = []
    for match in matches[:limit]:
        study = store.get(match.nct_id)
        record = study.to_record() if study is not None else {}
        where, more = words.places(record, PLACES)
        found.append(ShownTrial(match, words.interventions_of(record), where, more, words.is_open(match)))
    return found


def _examples() -> list[tuple[str, str]]:
    from metastasis.examples.cases import example_case_names, load_example_case

    return [(name, load_example_case(name).title or name) for name in example_case_names()]


async def _case_form(form: FormData) -> CaseForm:
    upload = form.get("case_file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    return CaseForm(
        text=str(form.get("case_text") or ""),
        example=str(form.get("example") or ""),
        file_name=upload.filename if has_file else None,  # type: ignore[union-attr]
        file_bytes=await upload.read(MAX_CASE_BYTES + 1) if has_file else None,  # type: ignore[union-attr]
    )


def _run(found: TrialCase, filters: Filters) -> list[TrialMatch] | None:
    if found.case is None:
        return None
    studies = _store().studies()
    return match_trials(found.case, studies, statuses=filters.statuses, near=filters.near, within_km=filters.within_km)


# --- clinician -------------------------------------------------------------------------------------------------


def _clinician(request: Request, found: TrialCase | None, filters: Filters, problems: list[ErrorItem]) -> HTMLResponse:
    problems = [*problems, *(found.problems if found else [])]
    matches = _run(found, filters) if found and not problems else None
    shown = _shown(matches, MAX_SHOWN) if matches else []
    link = None
    if found and found.example and matches is not None:
        query = urlencode([("example", found.example), *filters.query()])
        link = f"{path_for(request, 'web.clinician_trials')}?{query}"
    sources = list(dict.fromkeys(s for t in shown for s in t.match.sources))
    return clinician_page(
        request,
        "trials/clinician.html",
        status_code=422 if problems else 200,
        title="Clinical trials for a case",
        action=path_for(request, "web.clinician_trials_submit"),
        examples=_examples(),
        statuses=OVERALL_STATUSES,
        max_bytes=MAX_CASE_BYTES,
        text=found.text if found else "",
        example=found.example if found else "",
        filters=filters,
        problems=problems,
        warnings=found.warnings if found else [],
        matches=matches,
        shown=shown,
        counts={
            s: sum(1 for m in matches or () if m.status == s) for s in ("eligible", "possibly_eligible", "not_eligible")
        },
        stored=len(_store().studies()),
        link=link,
        page_sources=sources,
        phase_words=words.phase_words,
        fit_words=words.fit_words,
        no_guarantee=words.words()["no_guarantee"],
        ask=words.words()["ask"],
    )


@router.get("/clinician/trials", response_class=HTMLResponse, name="web.clinician_trials")
async def clinician_trials(request: Request, example: str = "", near: str = "", within_km: str = "") -> HTMLResponse:
    """The trial form; with ``?example=NAME`` (and ``status``, ``near``, ``within_km``) the ranked matches."""
    filters, problems = read_filters(request.query_params.getlist("status"), near, within_km)
    if not example:
        return _clinician(request, None, filters, problems)
    found = CaseForm(example=example[:200])
    return await run_heavy(request, _clinician_case, request, found, filters, problems)


def _clinician_case(request: Request, form: CaseForm, filters: Filters, problems: list[ErrorItem]) -> HTMLResponse:
    return _clinician(request, read_case(form), filters, problems)


@router.post("/clinician/trials", response_class=HTMLResponse, name="web.clinician_trials_submit")
async def clinician_trials_submit(request: Request) -> HTMLResponse:
    """Match the posted case (text, file or example) against the stored studies, with the posted filters."""
    refuse_large_body(request)
    form = await request.form()
    filters, problems = read_filters(
        [str(s) for s in form.getlist("status")], str(form.get("near") or ""), str(form.get("within_km") or "")
    )
    return await run_heavy(request, _clinician_case, request, await _case_form(form), filters, problems)


# --- patient ---------------------------------------------------------------------------------------------------


def _patient(request: Request, found: TrialCase | None, which: str) -> HTMLResponse:
    from metastasis.web import patient_content as content

    which = which if which in PATIENT_CHOICES else "open"
    filters = Filters(statuses=list(words.words()["open_statuses"]) if which == "open" else [])
    matches = _run(found, filters) if found and not found.problems else None
    fits = words.fitting(matches) if matches else []
    table = words.words()
    notes = content.Footnotes()
    return page(
        request,
        "trials/patient.html",
        status_code=422 if found and found.problems else 200,
        section="patient",
        crumb="Clinical trials",
        numbers=content.EMERGENCY_NUMBERS,
        notes=notes,
        action=path_for(request, "web.patient_trials_submit"),
        examples=_examples(),
        choices=PATIENT_CHOICES,
        which=which,
        example=found.example if found else "",
        text=found.text if found else "",
        problems=found.problems if found else [],
        matches=matches,
        shown=_shown(fits, PATIENT_SHOWN),
        fitting=len(fits),
        others=len(matches or []) - len(fits),  # those that do not fit (the fitting ones not shown are counted apart)
        stored=len(_store().studies()),
        phase_words=words.phase_words,
        recruitment_words=words.recruitment_words,
        fit_words=words.fit_words,
        text_of=words.one_line,
        table=table,
    )


@router.get("/patient/trials", response_class=HTMLResponse, name="web.patient_trials")
async def patient_trials(request: Request, example: str = "", which: str = "open") -> HTMLResponse:
    """Clinical trials in plain words: pick an example or send your case file; ``?example=NAME`` shows the list."""
    if not example:
        return _patient(request, None, which)
    return await run_heavy(request, _patient_case, request, CaseForm(example=example[:200]), which)


def _patient_case(request: Request, form: CaseForm, which: str) -> HTMLResponse:
    return _patient(request, read_case(form), which)


@router.post("/patient/trials", response_class=HTMLResponse, name="web.patient_trials_submit")
async def patient_trials_submit(request: Request) -> HTMLResponse:
    """The studies that may fit the posted case, in plain words."""
    refuse_large_body(request)
    form = await request.form()
    return await run_heavy(request, _patient_case, request, await _case_form(form), str(form.get("which") or "open"))
