"""Treatment options to discuss for a metastatic case (:func:`metastasis.knowledge.options.treatment_options`).

The profile is read from the case: subtype from ER, PR and HER2, the distant sites, menopausal status, the
highest Mirels and SINS totals of the bone lesions and, when every site has one, the lesion count; the HER2 IHC
score and ISH result of the tumour; the predictive tests of ``biomarkers`` (PD-L1 from the CPS when one is
recorded, 10 or more positive); and the treatment history, read from ``treatments`` as below. The history only
adds "usually after ..." notes, so a history that is incomplete never hides an option.

Reading the history (a drug is matched in the free-text ``drug`` of any treatment, in lower case):

* ``endocrine``: a treatment of kind ``endocrine``; ``cdk46_inhibitor``: kind ``cdk46_inhibitor`` or palbociclib,
  ribociclib, abemaciclib; ``aromatase_inhibitor``: letrozole, anastrozole, exemestane;
* ``trastuzumab``: any drug naming trastuzumab (trastuzumab emtansine and deruxtecan included); ``taxane``:
  paclitaxel (nab-paclitaxel included), docetaxel, or the word taxane;
* ``chemotherapy_metastatic``: a treatment of kind ``chemotherapy`` started on or after the first metastasis
  date (not counted when that date is unknown).
"""

from __future__ import annotations

from typing import Any

from metastasis.assess.case._context import Context, head, wording
from metastasis.assess.case.models import BoneScoresSection, OptionsSection, SectionStatus, Statement
from metastasis.domain import Case, TreatmentKind
from metastasis.domain.biomarkers import ReceptorStatus
from metastasis.knowledge.options import OPTIONS_NOTICE, treatment_options

_DRUGS: dict[str, tuple[str, ...]] = {
    "cdk46_inhibitor": ("palbociclib", "ribociclib", "abemaciclib"),
    "aromatase_inhibitor": ("letrozole", "anastrozole", "exemestane"),
    "trastuzumab": ("trastuzumab",),
    "taxane": ("paclitaxel", "docetaxel", "taxane"),
}
_KINDS: dict[TreatmentKind, str] = {
    TreatmentKind.ENDOCRINE: "endocrine",
    TreatmentKind.CDK46_INHIBITOR: "cdk46_inhibitor",
}


def _highest(scores: BoneScoresSection, score_id: str) -> int | None:
    totals = [lesion.scores[score_id].total for lesion in scores.lesions if score_id in lesion.scores]
    return max(totals, default=None)


def prior_treatments(case: Case) -> list[str]:
    """The treatment history of the case in the words of :func:`treatment_options` (see the module notes).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> prior_treatments(load_example_case("de-novo-bone-only"))
    ['endocrine', 'aromatase_inhibitor', 'cdk46_inhibitor']
    """
    found: set[str] = set()
    first_metastasis = case.first_metastasis_date()
    for treatment in case.treatments:
        if treatment.kind in _KINDS:
            found.add(_KINDS[treatment.kind])
        drug = (treatment.drug or "").lower()
        found |= {key for key, names in _DRUGS.items() if any(name in drug for name in names)}
        if treatment.kind is TreatmentKind.CHEMOTHERAPY and first_metastasis and treatment.start >= first_metastasis:
            found.add("chemotherapy_metastatic")
    order = ("chemotherapy_metastatic", "taxane", "trastuzumab", "endocrine", "aromatase_inhibitor", "cdk46_inhibitor")
    return [key for key in order if key in found]


def _tests(case: Case) -> dict[str, Any]:
    """The HER2 tests of the tumour and the predictive tests, as :func:`treatment_options` takes them."""
    tumour, markers = case.tumour, case.biomarkers
    statuses = {
        "her2_ish": tumour.her2_ish,
        "gbrca": markers.gbrca,
        "pdl1": markers.pdl1_status(),
        **{name: getattr(markers, name) for name in ("pik3ca", "akt1", "pten", "esr1")},
    }
    return {
        "her2_ihc": tumour.her2_ihc or "unknown",
        **{name: (status or ReceptorStatus.UNKNOWN).value for name, status in statuses.items()},
    }


def options_section(ctx: Context, scores: BoneScoresSection) -> OptionsSection:
    """Option families that apply to the case's profile, each with its purpose, evidence and caveats."""
    if not ctx.metastatic:
        note = "Options are listed for metastatic disease; PREDICT shows the benefit of adjuvant treatments."
        ctx.not_applicable("options", note)
        return OptionsSection(**head("options"), status=SectionStatus.NOT_APPLICABLE, note=note)
    subtype = ctx.subtype()
    sites = list(ctx.case.distant_sites()) or list(dict.fromkeys(lesion.site for lesion in ctx.case.bone_lesions))
    lacking = [key for key, value in (("subtype", subtype), ("sites", sites)) if not value]
    if lacking:
        ctx.not_run("options", lacking)
        return OptionsSection(**head("options"), status=SectionStatus.NOT_ASSESSED)
    assert subtype is not None
    result = treatment_options(
        subtype=subtype,
        sites=sites,
        menopausal_status=ctx.case.patient.menopausal_status or "unknown",
        mirels=_highest(scores, "mirels"),
        sins=_highest(scores, "sins"),
        lesion_count=ctx.lesion_counts().total,
        **_tests(ctx.case),
        prior_treatments=prior_treatments(ctx.case),
    )
    ctx.done("options")
    statements = [Statement(id="options.notice", text=OPTIONS_NOTICE, plain=wording("options.intro"))]
    for option in result.options:
        notes = f" Notes: {' '.join(option.notes)}" if option.notes else ""
        statements.append(
            Statement(
                id=f"options.{option.id}",
                label=option.name,
                text=f"{option.evidence}{notes}",
                plain=option.purpose,
                sources=tuple(option.sources),
            )
        )
    return OptionsSection(
        **head("options"),
        options=result,
        statements=statements,
        reasons=list(result.reasons),
        caveats=list(dict.fromkeys(result.caveats)),
    )
