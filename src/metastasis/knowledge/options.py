"""Treatment-option families for a case profile: information to discuss with the care team, not a prescription."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.knowledge._data import load_models
from metastasis.knowledge._evidence import unverified_caveats
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


class _Applies(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    subtypes: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


class OptionFamily(_Cited):
    """One option family as catalogued in ``options.yaml``."""

    id: str
    name: str
    family: str
    applies: _Applies = Field(default_factory=_Applies)
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
    options: list[OptionEntry]
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

    Example
    -------
    >>> r = treatment_options(subtype="hr+/her2-", sites=["bone"])
    >>> [o.id for o in r.options][:2]
    ['endocrine_cdk46', 'chemotherapy']
    """
    kind = _subtype(subtype)
    site_list = normalise_sites(sites)
    pattern = classify_pattern([site.id for site in site_list])
    if menopausal_status not in MENOPAUSAL:
        raise InvalidInputError("menopausal_status", menopausal_status, MENOPAUSAL)
    mirels_total = _score("mirels", mirels, 4, 12)
    sins_total = _score("sins", sins, 0, 18)
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
    for option in option_catalogue():
        if option.applies.subtypes and kind not in option.applies.subtypes:
            continue
        if not set(option.applies.needs) <= flags:
            continue
        notes: list[str] = []
        if option.id.startswith("endocrine") and menopausal_status != "postmenopausal":
            notes.append(
                "Menopausal status is unknown: it changes the endocrine choice."
                if menopausal_status == "unknown"
                else "Premenopausal: ovarian function suppression is needed with endocrine therapy."
            )
        if option.id == "chemotherapy" and pattern.category is PatternCategory.VISCERAL:
            notes.append("Visceral disease: chemotherapy may come first if organ function is threatened.")
        if option.id == "surgery_bone":
            notes += score_notes
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
        options=entries,
        reasons=reasons,
        caveats=[OPTIONS_NOTICE, *caveats, *unverified_caveats(reasons)],
    )
