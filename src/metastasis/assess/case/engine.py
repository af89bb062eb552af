"""``assess_case``: every assessment the data of one case support, in one evidence-cited :class:`Report`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from metastasis import DISCLAIMER, __version__
from metastasis.assess.case._context import Context
from metastasis.assess.case.actions import questions_to_ask, what_to_do_now
from metastasis.assess.case.alerts import all_alerts
from metastasis.assess.case.bone_scores import bone_scores_section
from metastasis.assess.case.bone_simulation import bone_simulation_section
from metastasis.assess.case.calcium import calcium_section
from metastasis.assess.case.models import Report
from metastasis.assess.case.options import options_section
from metastasis.assess.case.performance import performance_section
from metastasis.assess.case.prognosis import prognosis_section
from metastasis.assess.case.spread import spread_section
from metastasis.assess.case.staging import pattern_section, presentation, staging_section
from metastasis.assess.case.symptoms import followed_symptoms, run_triage, triage_section
from metastasis.domain import Case
from metastasis.errors import InvalidInputError


def assess_case(case: Case, *, today: datetime.date | None = None, trials: Iterable[Any] | None = None) -> Report:
    """Run every assessment the case's data support and gather them in one report.

    Parameters
    ----------
    case:
        A validated :class:`metastasis.domain.Case` (``load_case``, ``Case.from_data`` or an example case).
    today:
        The date treated as today; default: the case's ``as_of``, else the date of the run (flagged).
    trials:
        ClinicalTrials.gov studies to match the case against (``TrialStore().studies()``); when given, the report
        has a "Clinical trials" section (:mod:`metastasis.assess.case.trials`), else none.

    Returns
    -------
    Report
        Staging, disease pattern, triage, bone scores, calcium, performance status, prognosis, spread
        simulation, treatment options and the bone simulation, each with its statements (clinician and patient
        wording, sources, numbers with provenance), reasons and caveats; the timeline alerts; what to do now;
        questions to ask; and every assessment tried, with the data missing for those that could not run
        (``report.missing_data``).

    Raises
    ------
    InvalidInputError
        When ``case`` is not a :class:`Case` or ``today`` is not a date on or after every date of the case.

    Examples
    --------
    >>> from metastasis.examples.cases import load_example_case
    >>> report = assess_case(load_example_case("de-novo-bone-only"))
    >>> report.staging.stage.stage, report.pattern.pattern.category.value
    ('IV', 'bone_only')
    """
    if not isinstance(case, Case):
        raise InvalidInputError("case", type(case).__name__, "a metastasis.domain.Case (see load_case)")
    if today is not None and (not isinstance(today, datetime.date) or isinstance(today, datetime.datetime)):
        raise InvalidInputError("today", today, "a datetime.date")
    when = today or case.as_of or datetime.date.today()
    if case.as_of is not None and when < case.as_of:
        raise InvalidInputError("today", when.isoformat(), f"a date on or after the case's as_of ({case.as_of})")
    ctx = Context(case=case, today=when)

    shown = presentation(ctx)
    staging = staging_section(ctx, shown)
    pattern = pattern_section(ctx, shown)
    scores = bone_scores_section(ctx)
    followed = followed_symptoms(ctx, scores)
    triage_result, triage_caveats = run_triage(ctx, followed)
    triage = triage_section(ctx, triage_result, triage_caveats, followed)
    calcium = calcium_section(ctx)
    performance = performance_section(ctx)
    category = pattern.pattern.category.value if pattern.pattern else None
    prognosis = prognosis_section(ctx, category, shown.presentation.value if shown else None)
    spread = spread_section(ctx)
    options = options_section(ctx, scores)
    bone_simulation = bone_simulation_section(ctx)
    alerts = all_alerts(ctx, triage, scores, calcium)
    trials_found = None
    if trials is not None:
        from metastasis.assess.case.trials import trials_section

        trials_found = trials_section(case, trials)

    caveats = []
    if today is None and case.as_of is None:
        caveats.append(f"The case has no as_of date: the report treats {when.isoformat()} (the run date) as today.")
    caveats.append("Items marked unverified rest on at least one source that could not be checked; see the references.")
    report = Report(
        generator=f"metastasis {__version__}",
        case_id=case.id,
        title=case.title,
        description=case.description,
        as_of=when,
        as_of_is_default=today is None and case.as_of is None,
        case=case,
        staging=staging,
        pattern=pattern,
        triage=triage,
        bone_scores=scores,
        calcium=calcium,
        performance=performance,
        prognosis=prognosis,
        spread=spread,
        options=options,
        bone_simulation=bone_simulation,
        trials=trials_found,
        alerts=alerts,
        actions=[],
        questions=questions_to_ask(alerts, metastatic=ctx.metastatic, bone=ctx.has_bone())
        + _trial_questions(trials_found),
        assessments=ctx.assessments,
        caveats=caveats,
        disclaimer=DISCLAIMER,
    )
    return report.model_copy(update={"actions": what_to_do_now(triage, alerts, report.missing_data)})


def _trial_questions(section: Any) -> list[str]:
    if section is None:
        return []
    from metastasis.assess.case.trials import trial_questions

    return trial_questions(section)
