"""Judge findings against a case: true, false or unknown, with the reason and the case fields (JSON paths) used.

:class:`CaseFacts` reads the case once per match. Data the case does not record is unknown, never a "no": an
empty treatment list has not proven that no taxane was given, and an unnamed chemotherapy may have been one.
Where a list is recorded, what is not on it counts as absent, and the reason says so.

Example
-------
>>> from metastasis.domain import Case
>>> facts = CaseFacts.of(Case(schema_version="1.1", performance_status=[{"scale": "ecog", "value": 1}]))
>>> from metastasis.trials.recognise import recognise
>>> judge(recognise("ECOG 0-1").findings[0], facts)[0]
True
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from metastasis.domain import Case
from metastasis.domain.biomarkers import ReceptorStatus, her2_low
from metastasis.domain.vocabularies import is_under
from metastasis.trials.recognise import Finding
from metastasis.trials.vocabulary import vocabulary

Verdict = tuple[bool | None, str, tuple[str, ...]]
_DAYS_PER_YEAR = 365.25  # calendar average: only to bound the current age, never to decide near a limit


@dataclass(frozen=True)
class CaseFacts:
    """What matching needs from one case, read once."""

    case: Case
    age_low: float | None
    age_high: float | None
    age_fields: tuple[str, ...]
    setting: str | None
    setting_fields: tuple[str, ...]
    sites: tuple[str, ...]
    metastasis_date: datetime.date | None
    labs: dict[str, tuple[int, Any]]  # analyte -> (index, latest result)
    performance: dict[str | None, tuple[int, Any]]  # scale (None: any) -> (index, latest assessment)
    treatments: tuple[tuple[int, str, str, datetime.date, str | None], ...]  # index, kind, drug (lower), start, drug

    @classmethod
    def of(cls, case: Case, today: datetime.date | None = None) -> CaseFacts:
        """Read the facts of ``case``; ``today`` defaults to ``case.as_of``, else the current date."""
        now = case.as_of or today or datetime.date.today()
        age = case.patient.age_at_diagnosis
        low = high = None
        fields: tuple[str, ...] = ("$.patient.age_at_diagnosis",)
        if age is not None:
            if case.dates.diagnosis is not None:
                elapsed = (now - case.dates.diagnosis).days / _DAYS_PER_YEAR
                low, high = age + elapsed - 0.01, age + 1 + elapsed + 0.01
                fields = (*fields, "$.dates.diagnosis", "$.as_of")
            else:
                low, high = float(age), None
        sites = case.distant_sites()
        m = (case.tumour.m or "").upper()
        if sites or "M1" in m:
            setting, setting_fields = "metastatic", ("$.metastatic_sites", "$.tumour.m")
        elif "M0" in m and case.dates.metastasis is None:
            setting, setting_fields = "non_metastatic", ("$.tumour.m", "$.metastatic_sites")
        else:
            setting, setting_fields = None, ("$.tumour.m", "$.metastatic_sites")
        labs: dict[str, tuple[int, Any]] = {}
        for index, lab in enumerate(case.labs):  # the latest per analyte; the last listed wins a tie, as in Case
            if lab.analyte not in labs or lab.date >= labs[lab.analyte][1].date:
                labs[lab.analyte] = (index, lab)
        performance: dict[str | None, tuple[int, Any]] = {}
        undated = datetime.date.min
        for index, item in enumerate(case.performance_status):
            for scale in (item.scale, None):
                if scale not in performance or (item.date or undated) >= (performance[scale][1].date or undated):
                    performance[scale] = (index, item)
        treatments = tuple(
            (i, t.kind.value, (t.drug or "").lower(), t.start, t.drug) for i, t in enumerate(case.treatments)
        )
        return cls(
            case,
            low,
            high,
            fields,
            setting,
            setting_fields,
            sites,
            case.first_metastasis_date(),
            labs,
            performance,
            treatments,
        )


def _tristate(value: bool | None, yes: str, no: str, unknown: str, fields: tuple[str, ...]) -> Verdict:
    if value is None:
        return None, unknown, fields
    return value, (yes if value else no), fields


def _receptor(name: str, facts: CaseFacts) -> Verdict:
    tumour = facts.case.tumour

    def status(value: ReceptorStatus | None) -> bool | None:
        if value in (ReceptorStatus.POSITIVE,):
            return True
        if value in (ReceptorStatus.NEGATIVE,):
            return False
        return None

    er, pr, her2 = status(tumour.er), status(tumour.pr), status(tumour.her2)
    her2_fields = ("$.tumour.her2", "$.tumour.her2_ihc", "$.tumour.her2_ish")
    if name == "her2_low":
        value = her2_low(tumour.her2_ihc, tumour.her2_ish)
        return _tristate(
            value,
            "HER2-low (IHC 1+, or 2+ with negative ISH) by the recorded HER2 tests",
            "not HER2-low by the recorded HER2 tests",
            "the HER2 IHC score (and ISH at 2+) is not recorded",
            her2_fields,
        )
    if name in ("her2_positive", "her2_negative"):
        value = her2 if name == "her2_positive" else (None if her2 is None else not her2)
        if tumour.her2 is ReceptorStatus.EQUIVOCAL:
            return None, "HER2 is recorded as equivocal", her2_fields
        label = "HER2-positive" if name == "her2_positive" else "HER2-negative"
        return _tristate(
            value, f"the tumour is {label}", f"the tumour is not {label}", "HER2 is not recorded", her2_fields
        )
    if name in ("er_positive", "er_negative", "pr_positive", "pr_negative"):
        marker, want = name.split("_")
        value = er if marker == "er" else pr
        if value is not None and want == "negative":
            value = not value
        label = f"{marker.upper()}-{want}"
        return _tristate(
            value,
            f"the tumour is {label}",
            f"the tumour is not {label}",
            f"{marker.upper()} is not recorded",
            (f"$.tumour.{marker}",),
        )
    hr_fields = ("$.tumour.er", "$.tumour.pr")
    if name == "hr_positive":
        value = True if (er or pr) else (False if er is False and pr is False else None)
        return _tristate(
            value,
            "hormone receptor-positive (ER or PR positive)",
            "ER and PR are both negative",
            "ER/PR are not fully recorded",
            hr_fields,
        )
    if name == "hr_negative":
        value = True if (er is False and pr is False) else (False if (er or pr) else None)
        return _tristate(
            value, "ER and PR are both negative", "hormone receptor-positive", "ER/PR are not fully recorded", hr_fields
        )
    if name == "triple_negative":
        parts = (er, pr, her2)
        value = False if True in parts else (True if parts == (False, False, False) else None)
        return _tristate(
            value,
            "ER, PR and HER2 are all negative",
            "at least one of ER, PR, HER2 is positive",
            "ER, PR or HER2 is not recorded",
            (*hr_fields, "$.tumour.her2"),
        )
    return None, f"receptor concept {name} is not judged", ()


def _site(name: str, qualified: bool, facts: CaseFacts) -> Verdict:
    concept = vocabulary().sites[name]
    fields = ("$.metastatic_sites", "$.tumour.m")
    if name == "spinal_cord_compression":
        events = [i for i, e in enumerate(facts.case.events) if e.kind.value == "spinal_cord_compression"]
        if events:
            return True, "a spinal cord compression is recorded", (f"$.events[{events[0]}].kind",)
        if facts.setting == "non_metastatic":
            return False, "no distant metastasis is recorded", fields
        return None, "the case does not record whether the spinal cord is compressed now", ("$.events",)
    if facts.setting == "non_metastatic":
        return False, "no distant metastasis is recorded (M0, no metastatic sites)", fields
    if not facts.sites:
        return None, "the metastatic sites are not recorded", fields
    if name == "bone_only":
        value = all(is_under(site, "bone") for site in facts.sites)
        listed = ", ".join(facts.sites)
        return (
            value,
            (
                f"every recorded distant site is bone ({listed})"
                if value
                else f"sites beyond bone are recorded ({listed})"
            ),
            fields,
        )
    present = [s for s in facts.sites if any(is_under(s, target) for target in concept.case_sites)]
    label = name.replace("_", " ")
    if present:
        if qualified:
            return (
                None,
                f"{label} metastases are recorded; the case does not say whether they meet the wording "
                "(treated, stable, active ...)",
                fields,
            )
        return True, f"{label} metastases are recorded ({', '.join(present)})", fields
    return False, f"the recorded distant sites ({', '.join(facts.sites)}) do not include {label}", fields


def _performance(scale: str, allowed: tuple[int, ...], facts: CaseFacts) -> Verdict:
    label = "ECOG" if scale == "ecog" else "Karnofsky"
    if scale not in facts.performance:
        note = " (only another scale is recorded; scales are not converted)" if None in facts.performance else ""
        return None, f"no {label} performance status is recorded{note}", ("$.performance_status",)
    index, latest = facts.performance[scale]
    path = f"$.performance_status[{index}].value"
    shown = ", ".join(map(str, allowed)) if scale == "ecog" else f"{min(allowed)}-{max(allowed)}"
    value = latest.value in allowed
    verb = "is within" if value else "is outside"
    return value, f"the latest {label} is {latest.value}, which {verb} {shown}", (path,)


def judge_age(params: dict[str, Any], facts: CaseFacts) -> Verdict:
    """Whether the patient's age now is within an age limit (``min``/``max`` in whole years, or exclusive)."""
    low, high = facts.age_low, facts.age_high
    if low is None:
        return None, "the age is not recorded", facts.age_fields
    if params.get("at_diagnosis"):
        age = facts.case.patient.age_at_diagnosis
        low, high = float(age), float(age) + 1 - 1e-9  # type: ignore[arg-type]
    checks: list[bool | None] = []
    if "min" in params or "min_exclusive" in params:
        limit = params.get("min", params.get("min_exclusive"))
        checks.append(True if low >= limit else (False if high is not None and high <= limit else None))
    if "max" in params or "max_exclusive" in params:
        limit = params["max"] + 1 if "max" in params else params["max_exclusive"]
        checks.append(False if low >= limit else (True if high is not None and high <= limit else None))
    value = False if False in checks else (True if checks and all(checks) else None)
    now = f"{int(low)}" if high is None else f"{int(low)}-{int(high)}"
    if params.get("at_diagnosis"):
        now = f"{int(low)} at diagnosis"
    return _tristate(
        value,
        f"the age now ({now} years) is within the limits",
        f"the age now ({now} years) is outside the limits",
        f"the age now ({now} years, from the age at diagnosis) may be on either side of a limit",
        facts.age_fields,
    )


def _treatments_of(name: str, facts: CaseFacts, metastatic: bool) -> Verdict:
    if not facts.treatments:
        return None, "no treatments are recorded (that is not proof that none were given)", ("$.treatments",)
    if metastatic and facts.metastasis_date is None:
        return None, "the date of the first metastasis is not recorded", ("$.dates.metastasis",)
    cls = vocabulary().prior_classes[name]
    setting = " for metastatic disease" if metastatic else ""
    label = name.replace("_", " ").replace("cdk46", "CDK4/6")
    unsure: list[tuple[int, str]] = []
    for index, kind, drug, start, written in facts.treatments:
        if metastatic and facts.metastasis_date and start < facts.metastasis_date:
            continue
        if kind in cls.kinds or any(n in drug for n in cls.names):
            return True, f"recorded{setting}: {written or kind} ({label})", (f"$.treatments[{index}]",)
        if kind in cls.could_be and not drug:
            unsure.append((index, kind))
    if unsure:
        return (
            None,
            f"a recorded {unsure[0][1]} treatment names no drug",
            tuple(f"$.treatments[{i}].drug" for i, _ in unsure),
        )
    count = len(facts.treatments)
    return False, f"no {label} among the {count} recorded treatments{setting}", ("$.treatments",)


def _lines(params: dict[str, Any], facts: CaseFacts) -> Verdict:
    treatments = facts.case.treatments
    if not treatments:
        return None, "no treatments are recorded (that is not proof that none were given)", ("$.treatments",)
    if facts.metastasis_date is None:
        return None, "the date of the first metastasis is not recorded", ("$.dates.metastasis",)
    vocab = vocabulary()
    kinds = (params["kind"],) if params.get("kind") else vocab.systemic_kinds
    starts = {t.start for t in treatments if t.kind.value in kinds and t.start >= facts.metastasis_date}
    if any(t.kind.value == "other" and t.start >= facts.metastasis_date for t in treatments):
        return None, "an 'other' treatment after the metastasis may or may not be a line", ("$.treatments",)
    count = len(starts)
    low, high = params.get("min"), params.get("max")
    value = (low is None or count >= low) and (high is None or count <= high)
    what = f"{params['kind']} " if params.get("kind") else "systemic "
    parts = [f"at least {low:g}"] if low is not None else []
    parts += [f"at most {high:g}"] if high is not None else []
    limits = " and ".join(parts)
    return (
        value,
        f"{count} line(s) of {what}treatment since the first metastasis (counted by start date); "
        f"the criterion asks {limits}",
        ("$.treatments", "$.dates.metastasis"),
    )


def _convert(value: float, unit: str, wanted: str) -> float | None:
    if unit == wanted:
        return value
    for source, target, factor in vocabulary().identities:
        if (unit, wanted) == (source, target):
            return value * factor
        if (unit, wanted) == (target, source):
            return value / factor
    return None


def _lab(name: str, params: dict[str, Any], facts: CaseFacts) -> Verdict:
    concept = vocabulary().labs[name]
    if not concept.analytes:
        return None, f"a case cannot record {name.upper() if len(name) <= 3 else name}", ()
    verdicts: list[bool | None] = []
    reasons: list[str] = []
    fields: list[str] = []
    for analyte in concept.analytes:
        if analyte not in facts.labs:
            verdicts.append(None)
            reasons.append(f"no {analyte} result is recorded")
            fields.append("$.labs")
            continue
        index, lab = facts.labs[analyte]
        path = f"$.labs[{index}]"
        fields.append(path)
        if params.get("uln"):
            if lab.uln is None:
                verdicts.append(None)
                reasons.append(f"{analyte} {lab.value:g} {lab.unit} has no upper limit of normal recorded")
                continue
            limit, shown = (
                params["value"] * lab.uln,
                f"{params['value']:g} x ULN ({params['value'] * lab.uln:g} {lab.unit})",
            )
            value = lab.value
        else:
            unit = params.get("unit")
            converted = _convert(params["value"], unit, lab.unit) if unit else None
            if converted is None:
                verdicts.append(None)
                reasons.append(
                    f"{analyte} is recorded in {lab.unit}, the criterion in {unit or 'no unit'}; not converted"
                )
                continue
            limit, shown, value = converted, f"{converted:g} {lab.unit}", lab.value
        op = params["op"]
        ok = {"<=": value <= limit, "<": value < limit, ">=": value >= limit, ">": value > limit, "=": value == limit}[
            op
        ]
        verdicts.append(ok)
        reasons.append(
            f"{analyte} {lab.value:g} {lab.unit} on {lab.date.isoformat()} is "
            f"{'within' if ok else 'outside'} {op} {shown}"
        )
    value = False if False in verdicts else (True if all(v is True for v in verdicts) else None)
    return value, "; ".join(reasons), tuple(fields)


def judge(finding: Finding, facts: CaseFacts) -> Verdict:
    """Whether the statement of one finding (before its negation) is true of the case.

    Parameters
    ----------
    finding:
        A finding of :func:`metastasis.trials.recognise.recognise`.
    facts:
        The case, read by :meth:`CaseFacts.of`.

    Returns
    -------
    tuple
        ``(True | False | None, reason, case fields as JSON paths)``; ``None`` is unknown.
    """
    group, _, name = finding.concept.partition(".")
    params = finding.params
    if group == "receptor":
        return _receptor(name, facts)
    if group == "site":
        return _site(name, bool(params.get("qualified")), facts)
    if group == "performance":
        return _performance(name, tuple(params["allowed"]), facts)
    if group == "age":
        return judge_age(params, facts)
    if group == "sex":
        sex = facts.case.patient.sex
        if sex in (None, "unknown"):
            return None, "sex is not recorded", ("$.patient.sex",)
        return sex == name, f"the patient is {sex}", ("$.patient.sex",)
    if group in ("postmenopausal", "premenopausal"):
        status = facts.case.patient.menopausal_status
        if status in (None, "unknown"):
            return None, "menopausal status is not recorded", ("$.patient.menopausal_status",)
        return status == group, f"the patient is {status}", ("$.patient.menopausal_status",)
    if group == "setting":
        if facts.setting is None:
            return None, "whether the disease is metastatic is not recorded", facts.setting_fields
        accepts = set(params["accepts"])
        if facts.setting in accepts:
            return True, f"the disease is {facts.setting.replace('_', '-')}", facts.setting_fields
        if params.get("undecided"):
            names = ", ".join(n.replace("_", " ") for n in params["names"])
            return None, f"the case does not say whether the disease is {names}", facts.setting_fields
        return False, f"the disease is {facts.setting.replace('_', '-')}", facts.setting_fields
    if group == "prior" and name == "lines":
        return _lines(params, facts)
    if group == "prior":
        return _treatments_of(name, facts, bool(params.get("metastatic")))
    if group == "lab":
        return _lab(name, params, facts)
    if group == "measurable":
        return None, "the case does not record whether disease is measurable by RECIST", ("$.metastatic_sites",)
    if group == "life_expectancy":
        return None, "the case does not record a life expectancy; the care team judges it", ()
    return None, f"{finding.concept} is not judged", ()
