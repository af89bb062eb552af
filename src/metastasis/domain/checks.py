"""Case-level consistency rules: dates in order, M category against the recorded sites, events dated, Mirels pain.

Each rule returns :class:`~metastasis.domain.problems.Issue` objects with absolute locations. Rules are written
to run on a complete :class:`~metastasis.domain.case.Case` or on the valid parts of a broken one (records that
failed validation hold only their valid fields there, so every attribute is read with a default), and
:func:`~metastasis.domain.validate_case` reports them alongside the structural errors. The checks of single
records (a lesion, a treatment, the tumour) live on those models' ``issues()``.

The de novo window used to judge M0 against later metastases is the knowledge package's
(:func:`metastasis.knowledge.classify_presentation`, 4 months; source ``ajcc-staging-time-frame``, unverified).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from metastasis.domain.problems import Issue, Loc, Severity

if TYPE_CHECKING:
    from metastasis.domain.case import Case


def _items(case: Any, field: str) -> Iterator[tuple[int, Any]]:
    """Index and item of a list field (on a broken case, items hold only their valid parts)."""
    for index, item in enumerate(getattr(case, field, ()) or ()):
        if item is not None:
            yield index, item


def _dated(case: Any) -> Iterator[tuple[Loc, datetime.date, str]]:
    """Every date recorded in the case with its location and what it is."""
    dates = case.dates
    for name in ("diagnosis", "surgery", "metastasis"):
        value = getattr(dates, name, None)
        if value is not None:
            yield ("dates", name), value, f"the {name} date"
    for field, attr, what in (
        ("metastatic_sites", "date", "a metastatic site's date"),
        ("bone_lesions", "date", "a bone lesion's date"),
        ("labs", "date", "a lab date"),
        ("symptoms", "onset", "a symptom's onset"),
        ("performance_status", "date", "a performance-status date"),
        ("treatments", "start", "a treatment's start"),
        ("treatments", "end", "a treatment's end"),
        ("events", "date", "an event's date"),
        ("reviews", "date", "a review's date"),
    ):
        for index, item in _items(case, field):
            value = getattr(item, attr, None)
            if value is not None:
                yield (field, index, attr), value, what


def _after_as_of(case: Any) -> list[Issue]:
    as_of = case.as_of
    if as_of is None:
        return []
    return [
        Issue(
            loc=loc,
            message=f"{what} ({day.isoformat()}) is after the case date as_of ({as_of.isoformat()})",
            value=day.isoformat(),
            allowed=f"a date on or before {as_of.isoformat()}",
            rule="dates.after_as_of",
        )
        for loc, day, what in _dated(case)
        if day > as_of
    ]


def _before(loc: Loc, day: datetime.date, limit: datetime.date, what: str, limit_name: str, rule: str) -> Issue:
    return Issue(
        loc=loc,
        message=f"{what} ({day.isoformat()}) is before {limit_name} ({limit.isoformat()})",
        value=day.isoformat(),
        allowed=f"a date on or after {limit.isoformat()}",
        rule=rule,
    )


def _date_order(case: Any) -> list[Issue]:
    issues: list[Issue] = []
    diagnosis, metastasis = case.dates.diagnosis, case.dates.metastasis
    if diagnosis is not None:
        for name in ("surgery", "metastasis"):
            day = getattr(case.dates, name)
            if day is not None and day < diagnosis:
                what = "surgery" if name == "surgery" else "the first metastasis"
                issues.append(
                    _before(("dates", name), day, diagnosis, what, "the diagnosis", f"dates.{name}_before_diagnosis")
                )
    for field, what in (("metastatic_sites", "this site's metastasis"), ("bone_lesions", "this lesion")):
        for index, item in _items(case, field):
            day = getattr(item, "date", None)
            if day is None:
                continue
            if diagnosis is not None and day < diagnosis:
                issues.append(
                    _before((field, index, "date"), day, diagnosis, what, "the diagnosis", f"{field}.before_diagnosis")
                )
            elif metastasis is not None and day < metastasis:
                issues.append(
                    _before(
                        (field, index, "date"),
                        day,
                        metastasis,
                        what,
                        "the first metastasis date (dates.metastasis)",
                        f"{field}.before_first_metastasis",
                    )
                )
    for index, event in _items(case, "events"):
        day = getattr(event, "date", None)
        if day is None:
            issues.append(
                Issue(
                    loc=("events", index, "date"),
                    message="an event needs its date",
                    allowed="a date written YYYY-MM-DD",
                    rule="events.date_missing",
                )
            )
        elif diagnosis is not None and day < diagnosis:
            what = f"the {_kind(event)}"
            issues.append(
                _before(("events", index, "date"), day, diagnosis, what, "the diagnosis", "events.before_diagnosis")
            )
    if diagnosis is not None:
        for index, treatment in _items(case, "treatments"):
            start = getattr(treatment, "start", None)
            if start is not None and start < diagnosis:
                what = f"this {_kind(treatment)} treatment"
                issues.append(
                    _before(
                        ("treatments", index, "start"),
                        start,
                        diagnosis,
                        what,
                        "the diagnosis",
                        "treatments.before_diagnosis",
                    )
                )
    return issues


def _kind(record: Any) -> str:
    kind = getattr(record, "kind", None)
    return "event" if kind is None else str(kind.value).replace("_", " ")


def _first_metastasis(case: Any) -> datetime.date | None:
    if case.dates.metastasis is not None:
        return case.dates.metastasis
    found = [
        day
        for field in ("metastatic_sites", "bone_lesions")
        for _, item in _items(case, field)
        if (day := getattr(item, "date", None)) is not None
    ]
    return min(found, default=None)


def _m_category(case: Any) -> list[Issue]:
    m = getattr(case.tumour, "m", None)
    if m is None:
        return []
    from metastasis.staging.tnm import parse_m

    category = parse_m(m)
    distant = [item.site for _, item in _items(case, "metastatic_sites") if getattr(item, "distant", False)]
    lesions = [lesion for _, lesion in _items(case, "bone_lesions")]
    recorded = bool(distant or lesions)
    diagnosis, first = case.dates.diagnosis, _first_metastasis(case)
    loc: Loc = ("tumour", "m")
    if category.group == "M1":
        if not recorded:
            return [
                Issue(
                    loc=loc,
                    message=f"{m} but no metastatic site or bone lesion is recorded",
                    value=m,
                    severity=Severity.WARNING,
                    rule="m.m1_without_sites",
                )
            ]
        if category.prefix.startswith("r") or diagnosis is None or first is None or first < diagnosis:
            return []
        presentation = _presentation(diagnosis, first)
        if presentation.presentation.value == "recurrent":
            return [
                Issue(
                    loc=loc,
                    message=f"{m} at diagnosis, but the first metastasis is dated {presentation.interval_days} days "
                    f"after the diagnosis (later than the {presentation.window_months}-month staging window); "
                    "if the stage describes the recurrence, use an r prefix (rcM1)",
                    value=m,
                    severity=Severity.WARNING,
                    rule="m.m1_metastasis_later",
                    sources=_sources(presentation),
                )
            ]
        return []
    if not recorded:
        return []
    sites = ", ".join(dict.fromkeys(distant)) or "bone lesions"
    if category.prefix.startswith("r"):
        why = "the recurrence is classified M0"
    elif diagnosis is None or first is None:
        why = (
            "record dates.diagnosis and dates.metastasis if the metastases were found later (recurrence), or "
            "correct the M category"
        )
    elif first < diagnosis:
        return []  # the date rule reports this
    else:
        presentation = _presentation(diagnosis, first)
        if presentation.presentation.value == "recurrent":
            return []  # later metastases do not change the stage at diagnosis
        return [
            Issue(
                loc=loc,
                message=f"{m} but distant metastasis ({sites}) was found {presentation.interval_days} days after "
                f"diagnosis, within the {presentation.window_months}-month staging window: that is M1 (de novo)",
                value=m,
                allowed="cM1 or pM1",
                rule="m.m0_with_distant_sites",
                sources=_sources(presentation),
            )
        ]
    return [
        Issue(
            loc=loc,
            message=f"{m} but distant metastatic sites are recorded ({sites}); {why}",
            value=m,
            allowed="cM1 or pM1 with distant sites",
            rule="m.m0_with_distant_sites",
        )
    ]


def _presentation(diagnosis: datetime.date, first: datetime.date) -> Any:
    from metastasis.knowledge.patterns import classify_presentation

    return classify_presentation(diagnosis, first)


def _sources(result: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for reason in result.reasons for s in reason.sources))


def _site_list(case: Any) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for index, item in _items(case, "metastatic_sites"):
        site = getattr(item, "site", None)
        if site is None:
            continue
        if site in seen:
            issues.append(
                Issue(
                    loc=("metastatic_sites", index, "site"),
                    message=f"{site} is listed twice (first at metastatic_sites[{seen[site]}])",
                    value=site,
                    severity=Severity.WARNING,
                    rule="sites.duplicate",
                )
            )
        seen.setdefault(site, index)
    lesions = list(_items(case, "bone_lesions"))
    if lesions and not any(_is_bone(site) for site in seen):
        issues.append(
            Issue(
                loc=("metastatic_sites",),
                message="bone lesions are recorded but metastatic_sites lists no bone site",
                value=list(seen),
                allowed="a bone site (bone, spine_..., pelvis, long_bones ...) among the metastatic sites",
                severity=Severity.WARNING,
                rule="sites.bone_lesions_without_bone_site",
            )
        )
    distant = [site for site in seen if site != "nodes_regional"]
    if case.dates.metastasis is not None and not distant and not lesions:
        issues.append(
            Issue(
                loc=("dates", "metastasis"),
                message="a metastasis date is recorded but no distant metastatic site or bone lesion",
                value=case.dates.metastasis.isoformat(),
                severity=Severity.WARNING,
                rule="sites.metastasis_date_without_sites",
            )
        )
    return issues


def _mirels_pain(case: Any) -> list[Issue]:
    """Pain on movement or weight-bearing is recorded, but a long-bone lesion's Mirels pain says otherwise.

    Mirels scores pain that comes with use of the limb as "functional" (3 points); "mild" and "moderate" are
    pain at rest. The symptom is not tied to one lesion, so this is a warning to check, not an error.
    """
    symptoms = {getattr(item, "id", None) for _, item in _items(case, "symptoms")}
    if "bone_pain_activity" not in symptoms:
        return []
    return [
        Issue(
            loc=("bone_lesions", index, "pain"),
            message=(
                f"Mirels pain is {lesion.pain!r} but bone pain on movement or weight-bearing is recorded: Mirels "
                "scores pain with use as 'functional'"
            ),
            value=lesion.pain,
            allowed="functional, if this lesion is the one that hurts on use",
            severity=Severity.WARNING,
            rule="lesion.mirels_pain_vs_symptom",
        )
        for index, lesion in _items(case, "bone_lesions")
        if getattr(lesion, "pain", None) in ("mild", "moderate")
    ]


def _is_bone(site_id: str) -> bool:
    from metastasis.domain.vocabularies import bone_site_ids

    return site_id in bone_site_ids()


def record_issues(case: Any) -> list[Issue]:
    """The issues of each single record (patient, tumour, list items), located in the case.

    On a valid case these are warnings only (the errors were raised when the records were built). Records
    missing a required part (the valid parts of a broken case) are checked as far as their parts allow.
    """
    found: list[Issue] = []
    records: list[tuple[Loc, Any]] = [(("patient",), getattr(case, "patient", None))]
    records.append((("tumour",), getattr(case, "tumour", None)))
    records.append((("biomarkers",), getattr(case, "biomarkers", None)))
    for field in ("bone_lesions", "labs", "performance_status", "treatments"):
        records += [((field, index), item) for index, item in _items(case, field)]
    for loc, record in records:
        if record is None:
            continue
        try:
            issues = record.issues()
        except (AttributeError, TypeError, KeyError):  # a required part is missing: nothing more to say
            continue
        found += [issue.at(loc) for issue in issues]
    return found


def case_rules(case: Case | Any) -> list[Issue]:
    """The case-level rules only (dates in order, M category against the sites, the site list)."""
    return [*_after_as_of(case), *_date_order(case), *_m_category(case), *_site_list(case), *_mirels_pain(case)]


def case_issues(case: Case | Any) -> list[Issue]:
    """Every problem of a built case: the warnings of its records, then the case-level rules."""
    return [*record_issues(case), *case_rules(case)]
