"""The report's "Clinical trials" section, and the words of a study that the trial pages share with it.

The section is built only when studies are given (``assess_case(case, trials=store.studies())``): the core stays
pure, and a report without a trial store has no trials section. It lists the best matches for breast cancer or
bone metastasis that no criterion excludes, each with its status, recruitment, phase and what to check next, then
the message that a new treatment may not help and who decides. Words and their sources: ``data/trials.yaml``.

Example
-------
>>> from metastasis.examples.cases import load_example_case
>>> section = trials_section(load_example_case("hypercalcaemia"), [])
>>> section.id, section.statements[0].id
('trials', 'trials.summary')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from metastasis.assess.case._context import data
from metastasis.assess.case.models import Section, SectionStatus, Statement
from metastasis.domain import Case
from metastasis.errors import InvalidInputError

#: Longest criterion text quoted in "check next" (the whole text is on the trial page).
CHECK_CHARS = 90
#: How many unknown criteria the report names per study.
CHECK_ITEMS = 3


def words() -> dict[str, Any]:
    """The parsed ``data/trials.yaml`` (texts, phases, recruitment statuses, questions; sources checked)."""
    return data("trials")


def one_line(text: str) -> str:
    """Text on one line: runs of white space (line breaks of YAML or of a record) become one space."""
    return " ".join(str(text).split())


def phase_words(phases: Sequence[str], audience: str = "clinician") -> str:
    """The phases of a study in words: ``("PHASE1", "PHASE2")`` -> ``phase 1/phase 2`` for a clinician, or the
    plain sentences for a patient (each step explained).

    Example
    -------
    >>> phase_words(("PHASE1", "PHASE2"))
    'phase 1/phase 2'
    """
    table = words()["phases"]
    if audience == "clinician":
        return "/".join(table["clinician"].get(p, p.lower()) for p in phases) or "phase not given"
    plain = table["plain"]
    return " ".join(one_line(plain.get(p, plain["none"])) for p in phases) or one_line(plain["none"])


def recruitment_words(overall_status: str | None) -> str:
    """The recruitment status of a study in plain words (``RECRUITING`` -> ``It is taking new patients now.``)."""
    plain = words()["recruitment"]["plain"]
    return one_line(plain.get(overall_status or "UNKNOWN", plain["other"]))


def fit_words(status: str, audience: str = "clinician") -> str:
    """How a match reads: ``possibly_eligible`` -> ``possibly eligible`` (clinician) or a plain sentence."""
    return one_line(words()["fit"][audience][status])


def interventions_of(record: dict[str, Any], limit: int = 4) -> list[str]:
    """What a study tests: the names of its interventions (API v2 ``armsInterventionsModule``), without repeats.

    Example
    -------
    >>> interventions_of({"protocolSection": {"armsInterventionsModule": {"interventions": [{"name": "Letrozole"}]}}})
    ['Letrozole']
    """
    module = (record.get("protocolSection") or {}).get("armsInterventionsModule") or {}
    names = [str(i.get("name")).strip() for i in module.get("interventions") or () if isinstance(i, dict)]
    return list(dict.fromkeys(n for n in names if n and n != "None"))[:limit]


def places(record: dict[str, Any], limit: int = 3) -> tuple[list[str], int]:
    """Where a study runs: up to ``limit`` distinct "city, country" and how many more places there are."""
    module = (record.get("protocolSection") or {}).get("contactsLocationsModule") or {}
    found: dict[str, None] = {}
    for loc in module.get("locations") or ():
        if isinstance(loc, dict):
            parts = [str(loc[k]) for k in ("city", "country") if loc.get(k)]
            if parts:
                found[", ".join(parts)] = None
    names = list(found)
    return names[:limit], max(0, len(names) - limit)


def is_open(match: Any) -> bool:
    """Whether a patient could still join the study (recruiting, soon, or by invitation)."""
    return match.overall_status in words()["open_statuses"]


def fitting(matches: Iterable[Any]) -> list[Any]:
    """The matches worth showing: for breast cancer or bone metastasis and not excluded, those open to recruitment
    first (each group in the matcher's ranked order)."""
    from metastasis.trials.vocabulary import vocabulary

    relevant = vocabulary().relevant
    found = [m for m in matches if m.relevance in relevant and m.status != "not_eligible"]
    return sorted(found, key=lambda m: not is_open(m))


def check_next_text(match: Any, items: int = CHECK_ITEMS) -> str:
    """The first unknown top-level criteria of a match, shortened (the clinician's "what to check next")."""
    texts = []
    for criterion in match.check_next[:items]:
        text = one_line(criterion.text)
        texts.append(text if len(text) <= CHECK_CHARS else text[: CHECK_CHARS - 1].rstrip() + "…")
    return "; ".join(texts)


def _match_statement(match: Any) -> Statement:
    table = words()
    counts = match.counts
    check = check_next_text(match)
    text = table["report"]["match"].format(
        fit=fit_words(match.status),
        recruitment=(match.overall_status or "UNKNOWN").lower().replace("_", " "),
        phases=phase_words(match.phases),
        score=match.score,
        counts=f"criteria {counts.get('met', 0)} met, {counts.get('not_met', 0)} not met, "
        f"{counts.get('unknown', 0)} unknown",
        check=table["report"]["check_next"].format(items=check) if check else "",
        url=match.url,
    )
    plain = " ".join(
        (phase_words(match.phases, "plain"), recruitment_words(match.overall_status), fit_words(match.status, "plain"))
    )
    sources = (
        *table["fit"]["sources"],
        *table["phases"]["sources"],
        *table["recruitment"]["sources"],
        *match.sources,
    )
    return Statement(
        id=f"trials.match.{match.nct_id}",
        label=one_line(match.title),
        text=one_line(text),
        plain=plain,
        sources=tuple(dict.fromkeys(sources)),
    )


def trials_section(case: Case, studies: Iterable[Any], *, limit: int | None = None) -> Section:
    """The "Clinical trials" section of one case against the given studies.

    Parameters
    ----------
    case:
        The patient's case.
    studies:
        ClinicalTrials.gov studies (:class:`metastasis.trials.Study`) or parsed ones, as a trial store holds them.
    limit:
        How many matches to list (default ``report_limit`` of ``data/trials.yaml``).

    Returns
    -------
    Section
        ``trials.summary``, one ``trials.match.<NCT id>`` per listed study (best first), ``trials.no_guarantee``
        and ``trials.ask``.

    Raises
    ------
    InvalidInputError
        When ``limit`` is not a positive whole number.
    """
    from metastasis.trials import match_trials

    table = words()
    limit = table["report_limit"] if limit is None else limit
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInputError("limit", limit, "a whole number of at least 1")
    matches = match_trials(case, studies)
    report = table["report"]
    base = ("ctgov-api-v2", "trials-matching-rules")
    statements: list[Statement] = []
    if not matches:
        statements.append(
            Statement(
                id="trials.summary", text=one_line(report["empty"]), plain=one_line(report["empty_plain"]), sources=base
            )
        )
    else:
        fits = fitting(matches)
        shown = fits[:limit]
        by_status = {
            s: sum(1 for m in matches if m.status == s) for s in ("eligible", "possibly_eligible", "not_eligible")
        }
        text = report["summary"].format(
            count=len(matches),
            eligible=by_status["eligible"],
            possibly=by_status["possibly_eligible"],
            not_eligible=by_status["not_eligible"],
            shown=len(shown),
            open=sum(1 for m in fits if is_open(m)),
            fitting=len(fits),
        )
        plain_key = "summary_plain" if fits else "none_fit_plain"
        plain = report[plain_key].format(count=len(matches), fitting=len(fits), open=sum(1 for m in fits if is_open(m)))
        statements.append(Statement(id="trials.summary", text=one_line(text), plain=one_line(plain), sources=base))
        statements.extend(_match_statement(m) for m in shown)
    for key in ("no_guarantee", "ask"):
        entry = table[key]
        plain = entry.get("report_plain", entry["plain"])
        statements.append(
            Statement(
                id=f"trials.{key}", text=one_line(entry["text"]), plain=one_line(plain), sources=tuple(entry["sources"])
            )
        )
    return Section(
        id="trials",
        title=table["section"]["title"],
        plain_title=table["section"]["plain"],
        status=SectionStatus.ASSESSED,
        statements=statements,
    )


def trial_questions(section: Section | None) -> list[str]:
    """The questions the report adds when its trials section lists a study (none otherwise)."""
    if section is None or not any(s.id.startswith("trials.match.") for s in section.statements):
        return []
    return [one_line(q) for q in words()["report_questions"]]
