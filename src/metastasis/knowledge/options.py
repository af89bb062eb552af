"""Treatment-option families for a case profile: information to discuss with the care team, not a prescription.

The catalogue (``options.yaml``) says for each option which subtypes, sites, HER2-low status and biomarker tests
it is for, and which treatments it usually follows. Unknown test results and an incomplete history never hide an
option: they add notes. A negative test, or HER2 IHC 0 for the HER2-low option, leaves it out, and the reasons
say so. The rules themselves are in :mod:`metastasis.knowledge._option_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from metastasis.domain.biomarkers import ReceptorStatus, her2_from_tests, her2_ihc_score, her2_low, receptor_status
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.knowledge._data import load_models
from metastasis.knowledge._evidence import unverified_caveats
from metastasis.knowledge._option_rules import (
    PRIOR_TREATMENTS,
    TESTS,
    PriorTreatment,
    Verdict,
    biomarker_rule,
    her2_low_rule,
    history_notes,
)
from metastasis.knowledge.models import _Cited
from metastasis.knowledge.patterns import PatternCategory, assess_oligometastatic, classify_pattern
from metastasis.knowledge.sites import normalise_sites, organ_of

OPTIONS_NOTICE = (
    "This list is information to talk about with your care team. It is not a prescription. "
    "Your team will choose with you what fits your cancer, your health and your wishes."
)

SUBTYPES: tuple[str, ...] = ("hr+/her2-", "hr+/her2+", "hr-/her2+", "triple-negative")
_ALIASES = {"her2+": "hr-/her2+", "tnbc": "triple-negative", "hr-/her2-": "triple-negative", "luminal": "hr+/her2-"}
MENOPAUSAL: tuple[str, ...] = ("premenopausal", "postmenopausal", "unknown")
_HER2_NEGATIVE = frozenset({"hr+/her2-", "triple-negative"})

TestResult = Literal["positive", "negative", "unknown"]
Her2IhcResult = Literal["0", "1+", "2+", "3+", "unknown"]
Her2IshResult = Literal["positive", "negative", "equivocal", "unknown"]


def _known(kind: str, allowed: Iterable[str]) -> Any:
    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValueError(f"unknown {kind} {unknown}; allowed: {', '.join(allowed)}")
        return values

    return field_validator(kind, mode="after")(check)


class _Applies(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    subtypes: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    her2_low: bool = False
    biomarkers: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    _subtypes = _known("subtypes", SUBTYPES)
    _needs = _known("needs", ("bone", "brain", "oligometastatic"))
    _biomarkers = _known("biomarkers", TESTS)
    _after = _known("after", PRIOR_TREATMENTS)
    _before = _known("before", PRIOR_TREATMENTS)


class OptionFamily(_Cited):
    """One option family as catalogued in ``options.yaml``."""

    id: str
    name: str
    family: str
    applies: _Applies = Field(default_factory=_Applies)
    usually: str = ""
    if_negative: str = ""
    purpose: str
    evidence: str
    caveats: tuple[str, ...] = ()


class OptionEntry(BaseModel):
    """An option family listed for this profile, with profile-specific notes."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    family: str
    purpose: str
    evidence: str
    caveats: list[str]
    notes: list[str]
    sources: list[str]


class OptionsResult(Evidenced):
    """The option families that apply to a case profile."""

    subtype: str
    sites: list[str]
    pattern: PatternCategory
    menopausal_status: str
    her2_ihc: str = Field(default="unknown", description="HER2 IHC score given: 0, 1+, 2+, 3+ or unknown.")
    her2_ish: str = Field(default="unknown", description="HER2 ISH result given.")
    her2_low: bool | None = Field(
        default=None, description="HER2-low (IHC 1+, or 2+ with negative ISH); None when the tests do not say."
    )
    biomarkers: dict[str, str] = Field(default_factory=dict, description="The biomarker results given, by test.")
    prior_treatments: list[str] | None = Field(
        default=None, description="The treatment history given (None: no history was given)."
    )
    options: list[OptionEntry]
    left_out: list[str] = Field(
        default_factory=list, description="Ids of the options the subtype allows but a test result leaves out."
    )
    notice: str = OPTIONS_NOTICE


@cache
def option_catalogue() -> tuple[OptionFamily, ...]:
    """Every option family in catalogue order."""
    return load_models("metastasis.knowledge", "options.yaml", OptionFamily)


def _subtype(value: str) -> str:
    key = value.strip().lower().replace(" ", "") if isinstance(value, str) else value
    key = _ALIASES.get(key, key)
    if key not in SUBTYPES:
        raise InvalidInputError("subtype", value, (*SUBTYPES, *_ALIASES))
    return key


def _history(prior_treatments: Iterable[str] | None) -> frozenset[str] | None:
    if prior_treatments is None:
        return None
    if isinstance(prior_treatments, str | bytes) or not isinstance(prior_treatments, Iterable):
        raise InvalidInputError("prior_treatments", prior_treatments, "a list of " + ", ".join(PRIOR_TREATMENTS))
    found = list(prior_treatments)
    for item in found:
        if item not in PRIOR_TREATMENTS:
            raise InvalidInputError("prior_treatments", item, PRIOR_TREATMENTS)
    return frozenset(found)


def _check_her2(kind: str, ihc: str | None, ish: ReceptorStatus) -> None:
    """Refuse HER2 test results that contradict the subtype (ASCO/CAP: IHC 3+ or ISH+ positive; 0/1+ negative)."""
    call = her2_from_tests(ihc, ish)
    if call is ReceptorStatus.POSITIVE and kind in _HER2_NEGATIVE:
        if ish is ReceptorStatus.POSITIVE:
            raise InvalidInputError(
                "her2_ish", ish.value, "negative, equivocal or unknown", detail=f"ISH+ is not {kind}"
            )
        raise InvalidInputError("her2_ihc", ihc, "0, 1+, 2+ or unknown", detail=f"IHC 3+ is HER2-positive, not {kind}")
    if call is ReceptorStatus.NEGATIVE and kind not in _HER2_NEGATIVE:
        if ihc in ("0", "1+"):
            allowed = "2+, 3+ or unknown (0 or 1+ only with a positive ISH)"
            raise InvalidInputError("her2_ihc", ihc, allowed, detail=f"IHC {ihc} is HER2-negative, not {kind}")
        allowed = "positive, equivocal or unknown (negative only with IHC 3+)"
        raise InvalidInputError("her2_ish", ish.value, allowed, detail=f"a negative ISH is HER2-negative, not {kind}")


def _score(field: str, value: int | None, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError(field, value, f"a whole number from {low} to {high}")
    return value


def _score_notes(mirels: int | None, sins: int | None) -> tuple[list[str], list[Reason]]:
    notes: list[str] = []
    reasons: list[Reason] = []
    if mirels is not None:
        band = (
            "fixation favoured (9 or more)"
            if mirels >= 9
            else "clinical judgement (8)"
            if mirels == 8
            else ("radiotherapy and observation (7 or less)")
        )
        notes.append(f"Mirels {mirels}: {band}; the original paper advised fixation from 8.")
        reasons.append(Reason(rule="options.mirels_band", text=notes[-1], sources=("mirels-1989", "jawad-scully-2010")))
    if sins is not None:
        band = "unstable (13-18)" if sins >= 13 else "potentially unstable (7-12)" if sins >= 7 else "stable (0-6)"
        action = "surgical consultation advised" if sins >= 7 else "no instability by SINS"
        notes.append(f"SINS {sins}: {band}; {action}.")
        reasons.append(Reason(rule="options.sins_band", text=notes[-1], sources=("fisher-2010-sins",)))
    return notes, reasons


def treatment_options(
    *,
    subtype: str,
    sites: Iterable[str],
    menopausal_status: str = "unknown",
    mirels: int | None = None,
    sins: int | None = None,
    lesion_count: int | None = None,
    her2_ihc: Her2IhcResult = "unknown",
    her2_ish: Her2IshResult = "unknown",
    gbrca: TestResult = "unknown",
    pdl1: TestResult = "unknown",
    pik3ca: TestResult = "unknown",
    akt1: TestResult = "unknown",
    pten: TestResult = "unknown",
    esr1: TestResult = "unknown",
    prior_treatments: list[PriorTreatment] | None = None,
) -> OptionsResult:
    """List the treatment-option families that apply to a case profile, with evidence and caveats.

    Parameters
    ----------
    subtype:
        ``hr+/her2-``, ``hr+/her2+``, ``hr-/her2+`` or ``triple-negative`` (aliases ``her2+``, ``tnbc``).
    sites:
        Metastatic site codes from the catalogue (``bone``, ``spine``, ``liver``...).
    menopausal_status:
        ``premenopausal``, ``postmenopausal`` or ``unknown``.
    mirels, sins:
        Mirels (4-12) and SINS (0-18) totals when known.
    lesion_count:
        Number of metastatic lesions, to flag possible oligometastatic disease.
    her2_ihc:
        HER2 test score (IHC): 0, 1+, 2+, 3+ or unknown. It tells HER2-low (1+, or 2+ with a negative ISH) from 0.
    her2_ish:
        HER2 ISH test: positive, negative, equivocal or unknown.
    gbrca:
        Inherited BRCA1 or BRCA2 change (germline test): positive, negative or unknown.
    pdl1:
        PD-L1 test of the tumour: positive (a CPS of 10 or more with 22C3), negative or unknown.
    pik3ca, akt1, pten:
        Gene changes in the tumour or blood (PIK3CA, AKT1, PTEN): positive, negative or unknown.
    esr1:
        ESR1 gene change, often found in a blood test: positive, negative or unknown.
    prior_treatments:
        Treatments already given, when known: chemotherapy_metastatic, taxane, trastuzumab, endocrine,
        aromatase_inhibitor, cdk46_inhibitor. Leave out when not known; it only adds notes.

    Example
    -------
    >>> r = treatment_options(subtype="hr+/her2-", sites=["bone"], her2_ihc="0", pik3ca="negative")
    >>> [o.id for o in r.options][:2], r.left_out
    (['endocrine_cdk46', 'endocrine_capivasertib'], ['endocrine_alpelisib', 'tdxd_her2_low'])
    """
    kind = _subtype(subtype)
    site_list = normalise_sites(sites)
    pattern = classify_pattern([site.id for site in site_list])
    if menopausal_status not in MENOPAUSAL:
        raise InvalidInputError("menopausal_status", menopausal_status, MENOPAUSAL)
    mirels_total = _score("mirels", mirels, 4, 12)
    sins_total = _score("sins", sins, 0, 18)
    ihc = her2_ihc_score(her2_ihc)
    ish = receptor_status(her2_ish, field="her2_ish", equivocal_allowed=True)
    _check_her2(kind, ihc, ish)
    given = {"gbrca": gbrca, "pdl1": pdl1, "pik3ca": pik3ca, "akt1": akt1, "pten": pten, "esr1": esr1}
    tests = {name: receptor_status(value, field=name) for name, value in given.items()}
    history = _history(prior_treatments)
    organs = {organ_of(site).id for site in site_list}
    flags = {"bone"} & organs | {"brain"} & organs
    reasons: list[Reason] = list(pattern.reasons)
    caveats: list[str] = list(pattern.caveats)
    if lesion_count is not None:
        oligo = assess_oligometastatic(lesion_count)
        reasons += oligo.reasons
        caveats += oligo.caveats
        if oligo.oligometastatic is not False:
            flags.add("oligometastatic")

    score_notes, score_reasons = _score_notes(mirels_total, sins_total)
    reasons += score_reasons
    entries: list[OptionEntry] = []
    left_out: list[str] = []
    for option in option_catalogue():
        if option.applies.subtypes and kind not in option.applies.subtypes:
            continue
        if not set(option.applies.needs) <= flags:
            continue
        verdict = _profile_verdict(option, ihc, ish, tests, history)
        if verdict.left_out:
            left_out.append(option.id)
            text = f"{option.name} is left out: {verdict.left_out}."
            reasons.append(Reason(rule=f"options.{option.id}.left_out", text=text, sources=option.sources))
            continue
        notes = [*_profile_notes(option, menopausal_status, pattern.category, score_notes), *verdict.notes]
        entries.append(
            OptionEntry(
                id=option.id,
                name=option.name,
                family=option.family,
                purpose=option.purpose,
                evidence=option.evidence,
                caveats=list(option.caveats),
                notes=notes,
                sources=list(option.sources),
            )
        )
        reasons.append(Reason(rule=f"options.{option.id}", text=option.evidence, sources=option.sources))
    return OptionsResult(
        subtype=kind,
        sites=[site.id for site in site_list],
        pattern=pattern.category,
        menopausal_status=menopausal_status,
        her2_ihc=ihc or "unknown",
        her2_ish=ish.value,
        her2_low=her2_low(ihc, ish) if kind in _HER2_NEGATIVE else False,
        biomarkers={name: status.value for name, status in tests.items()},
        prior_treatments=None if history is None else sorted(history, key=list(PRIOR_TREATMENTS).index),
        options=entries,
        left_out=left_out,
        reasons=reasons,
        caveats=[OPTIONS_NOTICE, *caveats, *unverified_caveats(reasons)],
    )


def _profile_verdict(
    option: OptionFamily,
    ihc: str | None,
    ish: ReceptorStatus,
    tests: Mapping[str, ReceptorStatus],
    history: frozenset[str] | None,
) -> Verdict:
    """HER2-low, biomarker and history rules of one option, combined (the first exclusion wins)."""
    applies = option.applies
    verdicts = []
    if applies.her2_low:
        verdicts.append(her2_low_rule(ihc, ish))
    if applies.biomarkers:
        verdicts.append(biomarker_rule(applies.biomarkers, tests, option.if_negative))
    for verdict in verdicts:
        if verdict.left_out:
            return verdict
    notes = [note for verdict in verdicts for note in verdict.notes]
    notes += history_notes(history, after=applies.after, before=applies.before, usually=option.usually)
    return Verdict(notes=notes)


def _profile_notes(
    option: OptionFamily, menopausal_status: str, pattern: PatternCategory, score_notes: list[str]
) -> list[str]:
    notes: list[str] = []
    if option.id.startswith("endocrine") and menopausal_status != "postmenopausal":
        notes.append(
            "Menopausal status is unknown: it changes the endocrine choice."
            if menopausal_status == "unknown"
            else "Premenopausal: ovarian function suppression is needed with endocrine therapy."
        )
    if option.id == "chemotherapy" and pattern is PatternCategory.VISCERAL:
        notes.append("Visceral disease: chemotherapy may come first if organ function is threatened.")
    if option.id == "surgery_bone":
        notes += score_notes
    return notes
