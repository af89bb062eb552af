"""Bone risk scores of a case: Mirels per long-bone lesion, SINS and Bilsky ESCC per spinal lesion, and the
patient-level survival scores (revised Tokuhashi, Tomita, Bauer, modified Bauer, New Katagiri) when the data
allow.

Scores are computed by :mod:`metastasis.assess`; this module only reads their inputs from the case. Where an
input is a range (Karnofsky from ECOG by the ECOG-ACRIN comparison), the score is computed for every value
of the range and both totals are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from metastasis.assess import (
    bauer,
    bauer_modified,
    bilsky_escc,
    convert_albumin,
    convert_calcium,
    ecog_to_kps_ecog_acrin,
    katagiri_laboratory,
    katagiri_new,
    kps_to_ecog_ecog_acrin,
    mirels,
    sins,
    tokuhashi_revised,
    tomita,
)
from metastasis.assess.case._context import Context, LesionCounts, calculated, data, head, wording
from metastasis.assess.case.models import BoneScoresSection, LesionScores, SectionStatus, Statement
from metastasis.assess.result import ScoreResult
from metastasis.domain import BoneLesion
from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.knowledge import get_site

_PALSY_ORDER = ("none", "incomplete", "complete")


def lesion_label(lesion: BoneLesion) -> str:
    """The lesion in words: subsite (or level) and site id."""
    where = lesion.subsite or (lesion.spine.level if lesion.spine and lesion.spine.level else None)
    return f"{where} ({lesion.site})" if where else lesion.site


def _level(lesion: BoneLesion) -> str:
    if lesion.spine is not None and lesion.spine.level:
        return lesion.spine.level
    return lesion.subsite or get_site(lesion.site).plain_name


def _lesion_scores(ctx: Context, index: int, lesion: BoneLesion) -> tuple[LesionScores, list[Statement]]:
    path = f"$.bone_lesions[{index}]"
    label = lesion_label(lesion)
    scores: dict[str, ScoreResult] = {}
    statements: list[Statement] = []
    if lesion.is_long_bone:
        given = {
            "limb": lesion.limb,
            "pain": lesion.pain,
            "lesion_type": lesion.score_lesion,
            "size_fraction": lesion.size_fraction,
        }
        lacking = [key for key, value in given.items() if value is None]
        if lacking:
            ctx.not_run("mirels", lacking, index=index, subject=path)
        else:
            scores["mirels"] = mirels(
                site=lesion.limb, pain=lesion.pain, lesion=lesion.score_lesion, size=lesion.size_fraction
            )
            ctx.done("mirels", subject=path)
    if lesion.is_spinal:
        spine = lesion.spine
        given = {
            key: getattr(spine, key, None) if spine else None
            for key in ("location", "pain", "alignment", "collapse", "posterolateral")
        }
        given["lesion_type"] = lesion.score_lesion
        order = ("location", "pain", "lesion_type", "alignment", "collapse", "posterolateral")
        lacking = [key for key in order if given[key] is None]
        if lacking:
            ctx.not_run("sins", lacking, index=index, subject=path)
        else:
            scores["sins"] = sins(
                location=given["location"],
                pain=given["pain"],
                lesion=given["lesion_type"],
                alignment=given["alignment"],
                collapse=given["collapse"],
                posterolateral=given["posterolateral"],
            )
            ctx.done("sins", subject=path)
        if spine is None or spine.escc_grade is None:
            ctx.not_run("bilsky_escc", ["escc_grade"], index=index, subject=path)
        else:
            scores["bilsky_escc"] = bilsky_escc(grade=spine.escc_grade)
            ctx.done("bilsky_escc", subject=path)
    for score_id, result in scores.items():
        plain_key = result.band
        if score_id == "bilsky_escc":
            plain_key = "high_grade" if result.band == "high_grade" else "low_grade"
        plain = wording(
            f"bone_scores.{score_id}.{plain_key}",
            site=lesion.subsite or get_site(lesion.site).plain_name,
            level=_level(lesion),
        )
        grade = f"grade {result.grade}" if score_id == "bilsky_escc" else f"{result.total}"  # type: ignore[attr-defined]
        statements.append(
            Statement(
                id=f"bone_scores.{score_id}.{index}",
                text=f"{label}: {result.name} {grade} ({result.band_label}). {result.action}",
                plain=plain,
                sources=tuple(result.sources),
                values=(
                    calculated(
                        result.name,
                        result.total if score_id != "bilsky_escc" else result.grade,  # type: ignore[attr-defined]
                        "",
                        "; ".join(f"{b.label}: {b.choice_label} ({b.points})" for b in result.breakdown),
                        result.sources,
                        path,
                    ),
                ),
            )
        )
    return LesionScores(index=index, label=label, site=lesion.site, path=path, scores=scores), statements


def _fracture_reason(fractures: list[tuple[str, str]]) -> Reason:
    """Why the Bauer fracture item reads as it does: the fractures found, or that none is recorded."""
    rule = data("inputs")["pathological_fracture"]
    if fractures:
        text = "Pathological fracture present: " + "; ".join(f"{what} ({path})" for path, what in fractures) + "."
    else:
        text = (
            "No pathological fracture recorded: no fracture event and no collapsed vertebral body "
            "(none recorded counts as none)."
        )
    return Reason(rule="case.pathological_fracture", text=text, sources=tuple(rule["sources"]))


def _kps_values(ctx: Context) -> tuple[list[int], str | None, str | None]:
    """Karnofsky values to score with: recorded, or the ECOG-ACRIN range for the latest ECOG."""
    kps = ctx.case.latest_performance("karnofsky")
    if kps is not None:
        return [kps.value], None, ctx.performance_path(kps)
    grade = ctx.case.latest_performance("ecog")
    if grade is None:
        return [], None, None
    try:
        mapped = ecog_to_kps_ecog_acrin(grade=grade.value)
    except InvalidInputError:
        return [], None, None
    values = [v for v in mapped.to_values if v >= 10]
    note = (
        f"Karnofsky not recorded: {'/'.join(map(str, values))} from ECOG {grade.value} by the ECOG-ACRIN "
        "comparison (approximate); the score is shown for each."
    )
    return values, note, ctx.performance_path(grade)


def _ecog_values(ctx: Context) -> tuple[list[int], str | None]:
    grade = ctx.case.latest_performance("ecog")
    if grade is not None:
        return [grade.value], None
    kps = ctx.case.latest_performance("karnofsky")
    if kps is None:
        return [], None
    mapped = kps_to_ecog_ecog_acrin(score=kps.value)
    values = [v for v in mapped.to_values if v <= 4]
    note = f"ECOG not recorded: {'/'.join(map(str, values))} from Karnofsky {kps.value} (ECOG-ACRIN comparison)."
    return values, note


def _katagiri_labs(ctx: Context) -> tuple[dict[str, float], list[str]]:
    """The latest value of each Katagiri analyte in the unit the score takes (albumin and calcium converted)."""
    found: dict[str, float] = {}
    left_out: list[str] = []
    for keyword, spec in data("inputs")["katagiri_laboratory"].items():
        lab = ctx.case.latest_lab(spec["analyte"])
        if lab is None:
            continue
        if lab.unit == spec["unit"]:
            found[keyword] = lab.value
        elif spec["analyte"] == "albumin":
            found[keyword] = convert_albumin(value=lab.value, from_units=lab.unit_system, to_units="conventional")
        elif spec["analyte"] == "calcium":
            found[keyword] = convert_calcium(value=lab.value, from_units=lab.unit_system, to_units="conventional")
        else:
            left_out.append(f"{spec['analyte']} ({lab.unit}; the score takes {spec['unit']}, not converted)")
    return found, left_out


def _all_values(fn: Callable[..., ScoreResult], key: str, values: list[Any], **kwargs: Any) -> list[ScoreResult]:
    return [fn(**{key: value}, **kwargs) for value in values]


def _survival_scores(ctx: Context, counts: LesionCounts) -> tuple[dict[str, list[ScoreResult]], list[str]]:
    case = ctx.case
    primary = data("inputs")["breast_primary"]
    visceral = ctx.visceral_sites()
    fractures = ctx.pathological_fractures()
    spinal = any(lesion.is_spinal for lesion in case.bone_lesions) or counts.vertebral > 0
    results: dict[str, list[ScoreResult]] = {}
    notes: list[str] = []

    common = {
        "primary": primary["bauer_primary"]["value"],
        "visceral_metastases": bool(visceral),
        "solitary_skeletal_metastasis": counts.solitary,
    }
    if counts.solitary is None:
        ctx.not_run("bauer", ["bone_count"])
    else:
        result = bauer(**common, pathological_fracture=bool(fractures))
        result.reasons.append(_fracture_reason(fractures))
        results["bauer"] = [result]
        ctx.done("bauer")

    if not spinal:
        note = "No spinal metastasis is recorded: the spinal survival scores do not apply."
        for score_id in ("bauer_modified", "tokuhashi_revised", "tomita"):
            ctx.not_applicable(score_id, note)
    else:
        if counts.solitary is None:
            ctx.not_run("bauer_modified", ["bone_count"])
        else:
            results["bauer_modified"] = [bauer_modified(**common)]
            ctx.done("bauer_modified")
        kps, kps_note, _ = _kps_values(ctx)
        palsies = [b.spine.palsy for b in case.bone_lesions if b.is_spinal and b.spine and b.spine.palsy]
        lacking = []
        if not kps:
            lacking.append("performance")
        if not palsies:
            lacking.append("palsy")
        if visceral:
            lacking.append("organs_removable")
        if lacking:
            ctx.not_run("tokuhashi_revised", lacking)
        else:
            worst = max(palsies, key=_PALSY_ORDER.index)
            results["tokuhashi_revised"] = _all_values(
                tokuhashi_revised,
                "kps",
                kps,
                extraspinal_bone_metastases=counts.extraspinal,
                vertebral_metastases=max(1, counts.vertebral),
                internal_organ_metastases="none",
                primary=primary["tokuhashi_primary"]["value"],
                palsy=worst,
            )
            ctx.done("tokuhashi_revised")
            if kps_note:
                notes.append(kps_note)
        lacking = []
        if visceral:
            lacking.append("visceral_treatable")
        if counts.solitary is None:
            lacking.append("bone_count")
        if lacking:
            ctx.not_run("tomita", lacking)
        else:
            results["tomita"] = [
                tomita(
                    primary_growth=primary["tomita_primary_growth"]["value"],
                    visceral_metastases="none",
                    bone_metastases="solitary" if counts.solitary else "multiple",
                )
            ]
            ctx.done("tomita")

    dependent = ctx.hormone_dependent()
    ecog_values, ecog_note = _ecog_values(ctx)
    labs, left_out = _katagiri_labs(ctx)
    lacking = []
    if dependent is None:
        lacking.append("receptors")
    if not ecog_values:
        lacking.append("ecog")
    if not labs:
        lacking.append("laboratory")
    if counts.solitary is None:
        lacking.append("bone_count")
    if lacking:
        ctx.not_run("katagiri_new", lacking)
    else:
        growth = primary["katagiri_primary_growth"]["hormone_dependent" if dependent else "hormone_independent"]
        disseminated = set(data("inputs")["katagiri_visceral"]["disseminated_sites"])
        viscera = "none" if not visceral else "disseminated" if disseminated & set(visceral) else "nodular"
        laboratory = katagiri_laboratory(**labs)
        chemo = any(t.start <= ctx.today for t in case.treatments_of("chemotherapy"))
        results["katagiri_new"] = _all_values(
            katagiri_new,
            "ecog",
            ecog_values,
            primary_growth=growth,
            visceral_metastases=viscera,
            laboratory=laboratory.tier,
            previous_chemotherapy=chemo,
            multiple_skeletal_metastases=not counts.solitary,
        )
        for result in results["katagiri_new"]:
            result.reasons.extend(laboratory.reasons)
            result.caveats.extend(laboratory.caveats)
            if left_out:
                result.caveats.append(f"Laboratory values not used: {', '.join(left_out)}.")
        notes.append(
            "New Katagiri: previous chemotherapy is read from the treatments recorded (none recorded counts as none)."
        )
        if ecog_note:
            notes.append(ecog_note)
        ctx.done("katagiri_new")
    return results, notes


def _survival_statement(score_id: str, results: list[ScoreResult]) -> Statement:
    first = results[0]
    totals = sorted({r.total for r in results})
    bands = list(dict.fromkeys(r.band_label for r in results))
    total = str(totals[0]) if len(totals) == 1 else f"{totals[0]}-{totals[-1]}"
    outcomes = "; ".join(f"{o.measure}: {o.value}" for o in first.outcomes) if len(bands) == 1 else ""
    direction = "higher is better" if first.higher_is == "better" else "higher is worse"
    text = f"{first.name}: {total} of {first.maximum} ({direction}); {' / '.join(bands)}."
    if outcomes:
        text += f" Published: {outcomes}."
    sources = tuple(dict.fromkeys(s for r in results for s in r.sources))
    return Statement(
        id=f"bone_scores.{score_id}",
        text=text,
        sources=sources,
        values=tuple(
            calculated(
                first.name,
                result.total,
                "",
                "; ".join(f"{b.label}: {b.choice_label} ({b.points})" for b in result.breakdown),
                result.sources,
            )
            for result in results
        ),
    )


def bone_scores_section(ctx: Context) -> BoneScoresSection:
    """Per-lesion and patient-level bone scores; what could not be scored is in the assessment log."""
    case = ctx.case
    if not ctx.has_bone():
        note = "No bone metastasis is recorded."
        for assessment in (
            "mirels",
            "sins",
            "bilsky_escc",
            "tokuhashi_revised",
            "tomita",
            "bauer",
            "bauer_modified",
            "katagiri_new",
        ):
            ctx.not_applicable(assessment, note)
        return BoneScoresSection(**head("bone_scores"), status=SectionStatus.NOT_APPLICABLE, note=note)
    lesions: list[LesionScores] = []
    statements: list[Statement] = []
    reasons: list[Reason] = []
    caveats: list[str] = []
    for index, lesion in enumerate(case.bone_lesions):
        scored, said = _lesion_scores(ctx, index, lesion)
        lesions.append(scored)
        statements += said
        for result in scored.scores.values():
            reasons += result.reasons
            caveats += result.caveats
    counts = ctx.lesion_counts()
    patient_scores, notes = _survival_scores(ctx, counts)
    for score_id, results in patient_scores.items():
        statements.append(_survival_statement(score_id, results))
        for result in results:
            reasons += result.reasons
            caveats += result.caveats
    if patient_scores:
        statements.append(
            Statement(
                id="bone_scores.survival_note",
                text=" ".join(notes) or "Survival scores for planning bone treatment.",
                plain=wording("bone_scores.survival_scores"),
            )
        )
        reasons.append(
            Reason(
                rule="case.lesion_counts",
                text=(
                    f"Bone metastases counted from the case: {counts.vertebral} vertebral, {counts.extraspinal} other"
                    f"{'' if counts.exact else ' (at least)'}; breast is a slow-growing, favourable primary in the "
                    "Tokuhashi, Tomita, Bauer and Katagiri tables."
                ),
                sources=("issue-8-brief", "tokuhashi-2005", "tomita-2001", "bauer-wedin-1995", "katagiri-2014"),
            )
        )
        if counts.caveat():
            caveats.append(counts.caveat())  # type: ignore[arg-type]
    done = [a for a in ctx.assessments if a.section == "bone_scores" and a.status.value == "done"]
    status = SectionStatus.ASSESSED if done else SectionStatus.NOT_ASSESSED
    if done and any(a.section == "bone_scores" and a.status.value == "not_run" for a in ctx.assessments):
        status = SectionStatus.PARTIAL
    return BoneScoresSection(
        **head("bone_scores"),
        status=status,
        lesions=lesions,
        patient_scores=patient_scores,
        statements=statements,
        reasons=reasons,
        caveats=list(dict.fromkeys(caveats)),
    )
