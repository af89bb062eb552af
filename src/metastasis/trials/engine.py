"""``match_trials(case, studies)``: every criterion of every study judged against one case, ranked.

A trial is ``not_eligible`` when a structured or inclusion criterion is ``not_met`` or an exclusion is ``met``;
else ``possibly_eligible`` when any criterion is ``unknown``; else ``eligible``. Sub-bullets decide through
their parent: "any of the following" and items joined by "or" are alternatives, other sub-bullets all apply.
The recruitment status is reported and can be filtered on, but never decides eligibility. Trials for another
disease rank below every trial for breast cancer or bone metastasis, whatever their status.

Example
-------
>>> from metastasis.examples.cases import load_example_case
>>> from metastasis.trials.models import parse_study
>>> study = parse_study({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"},
...     "conditionsModule": {"conditions": ["Metastatic Breast Cancer"]},
...     "eligibilityModule": {"sex": "MALE", "eligibilityCriteria": "Inclusion Criteria:\\n\\n* ECOG 0-1"}}})
>>> match = match_trials(load_example_case("recurrent-liver-bone"), [study])[0]
>>> match.status, [c.status for c in match.criteria]
('not_eligible', ['not_met', 'met', 'met'])
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.trials.criteria import Criterion, split_criteria
from metastasis.trials.judge import CaseFacts, judge, judge_age
from metastasis.trials.models import CriterionResult, Study, TrialMatch, age_in_years
from metastasis.trials.recognise import Recognised, recognise
from metastasis.trials.vocabulary import vocabulary

OVERALL_STATUSES: tuple[str, ...] = (
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "ENROLLING_BY_INVITATION",
    "NOT_YET_RECRUITING",
    "RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
    "AVAILABLE",
    "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE",
    "APPROVED_FOR_MARKETING",
    "WITHHELD",
    "UNKNOWN",
)
"""Recruitment statuses of the API v2 (``overallStatus``)."""
EARTH_RADIUS_KM = 6371.0  # mean Earth radius: a geometric constant for the great-circle distance
_STATUS_RANK = {"eligible": 0, "possibly_eligible": 1, "not_eligible": 2}
_ANY_PARENT = re.compile(
    r"\b(?:any|one|either)\b[^.]*\bfollowing\b|\beither\b|\bone of\b|(?:≥|>=|\bat least)\s*(?:1|one)\s+of\b",
    re.IGNORECASE,
)
_OR_END = re.compile(r"\b(?:or|OR|Or)\W*$|\bOR\b")


@dataclass(frozen=True)
class ParsedStudy:
    """A study with its criteria split and recognised: what the store caches, so matching parses nothing."""

    study: Study
    criteria: tuple[Criterion, ...]
    recognised: tuple[Recognised, ...]
    children: tuple[tuple[int, ...], ...]
    relevance: str
    min_age: float | None
    max_age: float | None


def relevance_of(study: Study) -> str:
    """The condition tier of a study for a breast-cancer case (see ``relevance`` in ``trials/data/concepts.yaml``)."""
    vocab = vocabulary()
    patterns = vocab.relevance
    terms = (*study.condition_terms, study.title)
    conditions = study.condition_terms
    if any(patterns["breast"].search(t) for t in terms):
        metastatic = vocab.settings["metastatic"].pattern
        return "breast_metastatic" if any(metastatic.search(t) for t in terms) else "breast"
    if any(patterns["bone_metastasis"].search(t) for t in terms):
        return "bone_metastasis"
    if any(patterns["basket"].search(t) and not patterns["other_cancer"].search(t) for t in conditions):
        return "basket"
    if any(patterns["other_cancer"].search(t) for t in conditions):
        return "other_disease"
    return "unrecognised"


_CACHE: dict[tuple[object, ...], ParsedStudy] = {}
_CACHE_MAX = 20_000


def _key(study: Study) -> tuple[object, ...]:
    eligibility = study.protocol.eligibility
    return (
        study.nct_id,
        study.version,
        study.criteria_text,
        eligibility.sex,
        eligibility.minimum_age,
        eligibility.maximum_age,
        eligibility.healthy_volunteers,
        study.condition_terms,
        study.title,
    )


def _parse(study: Study) -> ParsedStudy:
    criteria = split_criteria(study.criteria_text)
    children: list[list[int]] = [[] for _ in criteria]
    for index, item in enumerate(criteria):
        if item.parent is not None:
            children[item.parent].append(index)
    eligibility = study.protocol.eligibility
    return ParsedStudy(
        study=study,
        criteria=criteria,
        recognised=tuple(recognise(c.text) for c in criteria),
        children=tuple(tuple(c) for c in children),
        relevance=relevance_of(study),
        min_age=age_in_years(eligibility.minimum_age),
        max_age=age_in_years(eligibility.maximum_age),
    )


def parse(study: Study) -> ParsedStudy:
    """Split and recognise the criteria of ``study`` once (cached by what decides eligibility); the result holds
    this very ``study``, so its status, phases and sites are never those of another copy with the same criteria."""
    key = _key(study)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        found = _CACHE[key] = _parse(study)
    return found if found.study is study else replace(found, study=study)


_RESULTS: dict[tuple[object, ...], CriterionResult] = {}


def _result(**fields: object) -> CriterionResult:
    """A criterion result, shared between matches that judge the same criterion the same way (results are
    frozen; building a pydantic model costs more than judging the criterion)."""
    key = tuple(fields.values())
    found = _RESULTS.get(key)
    if found is None:
        if len(_RESULTS) >= _CACHE_MAX * 10:
            _RESULTS.clear()
        found = _RESULTS[key] = CriterionResult.model_construct(**fields)  # type: ignore[arg-type]
    return found


def _status(value: bool | None) -> str:
    return "unknown" if value is None else ("met" if value else "not_met")


def _own(
    recognised: Recognised, kind: str, facts: CaseFacts
) -> tuple[bool | None, str, tuple[str, ...], tuple[str, ...]]:
    """Whether the statement of one criterion is true of the case (ignoring its sub-bullets)."""
    concepts = tuple(dict.fromkeys(f.concept for f in recognised.findings))
    if recognised.permission and not recognised.conditional:
        if kind == "inclusion":
            return True, "it states what is allowed, not a requirement", (), concepts
        return None, "an exclusion worded as a permission: read it and check it by hand", (), concepts
    if not recognised.findings:
        return None, "not recognised: read it and check it by hand", (), concepts
    if kind == "exclusion" and recognised.denial:
        # "No subject under 18" in an exclusion list means those under 18 are excluded, but some lists use
        # "No ..." for what is required; the matcher does not guess which.
        return None, "an exclusion worded as a denial (No ...): read it and check it by hand", (), concepts
    values: list[bool | None] = []
    reasons: list[str] = []
    fields: list[str] = []
    seen: set[tuple[str, bool]] = set()
    for finding in recognised.findings:
        if (finding.concept, finding.negated) in seen:
            continue
        seen.add((finding.concept, finding.negated))
        value, reason, used = judge(finding, facts)
        if value is True and recognised.time_bound and finding.concept.startswith("prior."):
            value, reason = None, f"{reason}, but the criterion limits it in time"
        if value is not None and finding.negated:
            value = not value
        values.append(value)
        reasons.append(("not: " if finding.negated else "") + reason)
        fields.extend(used)
    covered = recognised.covered
    # "Prior radiation therapy, hormonal therapy and chemotherapy": an exclusion listing treatments applies to any
    any_of = recognised.any_of or (
        kind == "exclusion" and len(concepts) > 1 and all(c.startswith("prior.") for c in concepts)
    )
    if any_of:
        all_false = bool(values) and all(v is False for v in values)
        value = True if True in values else (False if all_false and covered else None)
    else:
        value = False if False in values else (True if all(v is True for v in values) and covered else None)
        if recognised.loose and not covered:
            value = None
    reason = "; ".join(reasons)
    if value is not None and recognised.conditional:
        value, reason = None, f"{reason}; the criterion has a condition (if, unless, except ...) to check by hand"
    elif value is None and all(v is not None for v in values) and not recognised.covered:
        reason = f"{reason}; the rest of the criterion is not recognised ({recognised.rest[:80]})"
    return value, reason, tuple(dict.fromkeys(fields)), concepts


def _structured(parsed: ParsedStudy, facts: CaseFacts) -> list[CriterionResult]:
    study = parsed.study
    eligibility = study.protocol.eligibility
    sources = vocabulary().sources["general"]
    results: list[CriterionResult] = []
    sex = (eligibility.sex or "ALL").upper()
    patient_sex = facts.case.patient.sex
    if sex == "ALL":
        value, reason = True, "the study takes all sexes"
    elif patient_sex in (None, "unknown"):
        value, reason = None, "sex is not recorded"
    else:
        value, reason = (
            patient_sex.upper() == sex,
            f"the study takes {sex.lower()} patients; the patient is {patient_sex}",
        )
    results.append(
        _result(
            kind="structured",
            text=f"Sex: {sex}",
            status=_status(value),
            reason=reason,
            case_fields=("$.patient.sex",),
            concepts=("sex",),
            sources=sources,
        )
    )
    if parsed.min_age is not None or parsed.max_age is not None:
        params: dict[str, float] = {}
        if parsed.min_age is not None:
            params["min"] = parsed.min_age
        if parsed.max_age is not None:
            params["max"] = parsed.max_age
        value, reason, fields = judge_age(params, facts)
        text = f"Age: {eligibility.minimum_age or 'no minimum'} to {eligibility.maximum_age or 'no maximum'}"
        results.append(
            _result(
                kind="structured",
                text=text,
                status=_status(value),
                reason=reason,
                case_fields=fields,
                concepts=("age",),
                sources=sources,
            )
        )
    if eligibility.healthy_volunteers is not None:
        accepts = "accepts" if eligibility.healthy_volunteers else "does not accept"
        results.append(
            _result(
                kind="structured",
                text=f"Healthy volunteers: {'yes' if eligibility.healthy_volunteers else 'no'}",
                status="met",
                reason=f"the study {accepts} healthy volunteers; the patient has a diagnosis",
                case_fields=(),
                concepts=("healthy_volunteers",),
                sources=sources,
            )
        )
    tier = parsed.relevance
    condition_text = "Conditions: " + "; ".join(study.conditions or ("none listed",))
    verdict = {
        "breast_metastatic": ("met", "the study is for breast cancer"),
        "breast": ("met", "the study is for breast cancer"),
        "bone_metastasis": ("met", "the study is for bone metastasis"),
        "basket": ("unknown", "the study covers several cancers: check that breast cancer is one"),
        "unrecognised": ("unknown", "the conditions are not recognised: check whether the study fits"),
        "other_disease": ("not_met", "the study is for another disease, not breast cancer"),
    }[tier]
    results.append(
        _result(
            kind="structured",
            text=condition_text,
            status=verdict[0],
            reason=verdict[1],
            case_fields=(),
            concepts=("condition",),
            sources=vocabulary().sources["relevance"],
        )
    )
    return results


def _criteria(parsed: ParsedStudy, facts: CaseFacts, offset: int) -> list[CriterionResult]:
    own = [_own(r, c.kind, facts) for r, c in zip(parsed.recognised, parsed.criteria, strict=True)]
    effective: list[bool | None] = [None] * len(parsed.criteria)
    reasons = [o[1] for o in own]
    for index in range(len(parsed.criteria) - 1, -1, -1):  # children come after their parent
        value = own[index][0]
        kids = parsed.children[index]
        if kids:
            kid_values = [effective[k] for k in kids]
            text = parsed.criteria[index].text
            joined = [bool(_OR_END.search(parsed.criteria[k].text)) for k in kids[:-1]]
            any_of = bool(_ANY_PARENT.search(text)) or (bool(joined) and all(joined))
            mixed = any(joined) and not any_of  # some items joined by "or", some not: the grouping is unclear
            if any_of:
                combined = True if True in kid_values else (False if all(v is False for v in kid_values) else None)
            elif mixed:
                agreed = set(kid_values)
                combined = kid_values[0] if len(agreed) == 1 else None
            else:
                combined = False if False in kid_values else (True if all(v is True for v in kid_values) else None)
            header = text.rstrip().endswith(":") and not parsed.recognised[index].findings
            if header:
                how = "any one" if any_of else ("all, grouping unclear" if mixed else "all")
                value, reasons[index] = combined, f"from its sub-items ({how} of them)"
            elif value is False or combined is False:
                value = False
                reasons[index] += "; with its sub-items"
            else:
                value = True if (value is True and combined is True) else None
                reasons[index] += "; with its sub-items"
        effective[index] = value
    results = []
    for index, item in enumerate(parsed.criteria):
        concepts = own[index][3]
        sources = _sources(concepts)
        results.append(
            _result(
                kind=item.kind,  # type: ignore[arg-type]
                text=item.text,
                status=_status(effective[index]),
                reason=reasons[index],
                case_fields=own[index][2],
                concepts=concepts,
                depth=item.depth,
                parent=None if item.parent is None else item.parent + offset,
                sources=sources,
            )
        )
    return results


_SOURCES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _sources(concepts: tuple[str, ...]) -> tuple[str, ...]:
    found = _SOURCES.get(concepts)
    if found is None:
        vocab = vocabulary()
        found = _SOURCES[concepts] = tuple(dict.fromkeys(s for c in concepts for s in vocab.sources.get(_group(c), ())))
    return found


def _group(concept: str) -> str:
    head = concept.split(".")[0]
    return {
        "receptor": "receptors",
        "site": "sites",
        "setting": "settings",
        "lab": "labs",
        "age": "demographics",
        "sex": "demographics",
        "postmenopausal": "demographics",
        "premenopausal": "demographics",
    }.get(head, {"performance.ecog": "ecog", "performance.karnofsky": "karnofsky"}.get(concept, head))


def _decide(results: Sequence[CriterionResult]) -> str:
    top = [r for r in results if r.depth == 0]
    for result in top:
        if (result.kind in ("structured", "inclusion") and result.status == "not_met") or (
            result.kind == "exclusion" and result.status == "met"
        ):
            return "not_eligible"
    return "possibly_eligible" if any(r.status == "unknown" for r in top) else "eligible"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _nearest(study: Study, near: tuple[float, float]) -> float | None:
    points = [loc.geo_point for loc in study.protocol.contacts_locations.locations if loc.geo_point is not None]
    return min((distance_km(near[0], near[1], p.lat, p.lon) for p in points), default=None)


def check_statuses(statuses: Iterable[str]) -> frozenset[str]:
    """Recruitment statuses in the API's spelling (``recruiting`` -> ``RECRUITING``); an unknown one raises."""
    wanted = set()
    for status in statuses:
        key = status.strip().upper().replace("-", "_").replace(" ", "_")
        if key not in OVERALL_STATUSES:
            raise InvalidInputError("status", status, ", ".join(s.lower() for s in OVERALL_STATUSES))
        wanted.add(key)
    return frozenset(wanted)


def match_study(parsed: ParsedStudy, facts: CaseFacts, nearest_km: float | None = None) -> TrialMatch:
    """One parsed study judged against one case."""
    structured = _structured(parsed, facts)
    results = (*structured, *_criteria(parsed, facts, len(structured)))
    status = _decide(results)
    top = [r for r in results if r.depth == 0]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("met", "not_met", "unknown")}
    score = round(100.0 * sum(1 for r in top if r.status == "met") / len(top), 1) if top else 0.0
    study = parsed.study
    sources = tuple(dict.fromkeys(("ctgov-api-v2", *(s for r in results for s in r.sources))))
    return TrialMatch.model_construct(
        nct_id=study.nct_id,
        title=study.title,
        status=status,  # type: ignore[arg-type]
        score=score,
        overall_status=study.overall_status,
        relevance=parsed.relevance,
        conditions=study.conditions,
        phases=study.phases,
        url=study.url,
        study_version=study.version,
        nearest_km=None if nearest_km is None else round(nearest_km, 1),
        counts=counts,
        criteria=results,
        sources=sources,
    )


def rank_key(match: TrialMatch) -> tuple[int, int, int, float, str]:
    """Trials for the patient's disease first, then by status, tier, score and NCT id."""
    vocab = vocabulary()
    return (
        0 if match.relevance in vocab.relevant else 1,
        _STATUS_RANK[match.status],
        vocab.tiers.index(match.relevance),
        -match.score,
        match.nct_id,
    )


def match_trials(
    case: Case,
    studies: Iterable[Study | ParsedStudy],
    *,
    statuses: Iterable[str] = (),
    near: tuple[float, float] | None = None,
    within_km: float | None = None,
) -> list[TrialMatch]:
    """Match one case against studies and rank the results.

    Parameters
    ----------
    case:
        The patient's case.
    studies:
        API v2 studies (or studies already parsed by :func:`parse`, as the store keeps them).
    statuses:
        Keep only studies with these recruitment statuses (any spelling of ``RECRUITING``); empty keeps all.
    near, within_km:
        A point (latitude, longitude) and a radius: keep studies with a site within the radius, and report the
        nearest site's distance. ``within_km`` needs ``near``.

    Returns
    -------
    list[TrialMatch]
        Ranked: trials for breast cancer or bone metastasis before any other, then eligible, possibly eligible,
        not eligible.
    """
    wanted = check_statuses(statuses)
    if within_km is not None and (near is None or not within_km > 0 or math.isinf(within_km)):
        raise InvalidInputError("within_km", within_km, "a positive number of kilometres, with a point to measure from")
    if near is not None and not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
        raise InvalidInputError("near", f"{near[0]},{near[1]}", "latitude -90..90 and longitude -180..180")
    facts = CaseFacts.of(case)
    found = []
    for item in studies:
        parsed = item if isinstance(item, ParsedStudy) else parse(item)
        if wanted and (parsed.study.overall_status or "UNKNOWN") not in wanted:
            continue
        nearest = _nearest(parsed.study, near) if near is not None else None
        if within_km is not None and (nearest is None or nearest > within_km):
            continue
        found.append(match_study(parsed, facts, nearest))
    return sorted(found, key=rank_key)
