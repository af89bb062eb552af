"""Plain-language explanation of a staging result for patients and families.

Two kinds of text, both data: what a stage group means (``explanations.yaml``; only what is true of every T, N
and M combination that can give that group), and what the patient's own T, N and M categories mean
(``category_explanations.yaml``; one plain sentence or two per category, with its sources). The whole-case report
and the patient stage page both build their text from :func:`explain_result`.

Example
-------
>>> e = explain_tnm("pT1c", "pN1a", "cM0", grade=1, er="+", pr="+", her2="-")
>>> e.stage, e.categories[1].label
('IA', 'pN1a')
>>> e.categories[1].text.split(".")[0]
'Cancer was found in 1 to 3 lymph nodes under the arm'
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from metastasis.staging.engine import stage_breast
from metastasis.staging.result import Stage, StageResult
from metastasis.staging.tables import STAGES, categories, category_explanations, explanations
from metastasis.staging.tnm import Axis, TNMCategory, parse_m, parse_n, parse_t

_STAGES_1_TO_3 = frozenset({"IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC"})


class CategoryExplanation(BaseModel):
    """What one T, N or M category means, in plain words."""

    model_config = ConfigDict(frozen=True)

    axis: Axis
    label: str = Field(description="The category as written, with its prefix (e.g. 'pN1a'); shown beside text.")
    text: str = Field(description="What the category means, in plain words; never contains a category code.")
    sources: tuple[str, ...]


class TNMExplanation(BaseModel):
    """The patient explanation of one staging: T, N and M one by one, then the stage and what changed it."""

    model_config = ConfigDict(frozen=True)

    intro: str
    categories: tuple[CategoryExplanation, ...] = Field(description="T, N and M, in that order.")
    prefix_note: str | None = Field(description="What a y (after treatment) or r (recurrence) prefix means.")
    stage: Stage | None
    stage_text: str = Field(description="What the stage group means, or why no stage could be given.")
    markers: str | None = Field(description="How the grade and ER, PR, HER2 (and Oncotype DX) set the stage.")
    statistics: str
    next_step: str
    sources: tuple[str, ...]

    @property
    def stage_line(self) -> str | None:
        """'Your stage from these details: stage 1A.' (``None`` when no stage could be given)."""
        return None if self.stage is None else f"Your stage from these details: stage {stage_word(self.stage)}."

    def paragraphs(self) -> list[str]:
        """The explanation as paragraphs; each category's code is a label before its sentence."""
        parts = [self.intro, *(f"{c.label}: {c.text}" for c in self.categories)]
        if self.prefix_note:
            parts.append(self.prefix_note)
        if self.stage_line:
            parts.append(self.stage_line)
        parts.append(self.stage_text)
        if self.markers:
            parts.append(self.markers)
        return [*parts, self.statistics, self.next_step]


def stage_word(stage: str) -> str:
    """'IIA' -> '2A' (patients meet Arabic numerals on most leaflets)."""
    roman = {"IV": "4", "III": "3", "II": "2", "I": "1"}
    for numeral, digit in roman.items():
        if stage.startswith(numeral):
            return digit + stage[len(numeral) :]
    return stage


def _flat(text: str) -> str:
    return " ".join(text.split())


def _context(category: TNMCategory) -> str:
    """Which meaning applies: from the microscope (p, yp, rp), from exams and scans (c, yc, r, rc), or unknown."""
    definition = categories()[category.axis][category.code]
    if category.is_pathological or definition.pathological_only:
        return "pathological"
    if category.prefix or definition.clinical_only:
        return "clinical"
    return "unspecified"


def explain_category(category: TNMCategory) -> CategoryExplanation:
    """The plain meaning of one parsed category.

    Example
    -------
    >>> explain_category(parse_n("pN2a")).text.split(".")[0]
    'Cancer was found in 4 to 9 lymph nodes under the arm'
    """
    entry = category_explanations()[category.axis][category.code]
    text = entry.get("text") or entry[_context(category)]
    return CategoryExplanation(
        axis=category.axis, label=category.label, text=_flat(text), sources=tuple(entry["sources"])
    )


def explain_categories(t: Any, n: Any, m: Any) -> tuple[CategoryExplanation, CategoryExplanation, CategoryExplanation]:
    """What T, N and M mean, one by one, in any spelling the parser accepts (``"pT1c"``, ``"N0(i+)"``, ...).

    Raises
    ------
    InvalidInputError
        When a category cannot be parsed.
    """
    return explain_category(parse_t(t)), explain_category(parse_n(n)), explain_category(parse_m(m))


def _prefix_note(cats: tuple[TNMCategory, ...]) -> tuple[str | None, tuple[str, ...]]:
    notes = category_explanations()["prefixes"]
    for letter in ("y", "r"):
        if any(cat.prefix.startswith(letter) for cat in cats):
            return _flat(notes[letter]["text"]), tuple(notes[letter]["sources"])
    return None, ()


def _markers(result: StageResult) -> str | None:
    """How the grade and the ER, PR and HER2 results (and Oncotype DX) changed, confirmed or left out the stage."""
    text = explanations()["markers"]
    rules = {reason.rule for reason in result.reasons}
    prognostic, anatomic = result.prognostic_stage, result.anatomic_stage
    if prognostic is not None and anatomic is not None and prognostic != anatomic:
        direction = "lower" if STAGES.index(prognostic) < STAGES.index(anatomic) else "higher"
        oncotype = text["oncotype"] if "prognostic.oncotype" in rules else ""
        return _flat(text["differ"]).format(anatomic=stage_word(anatomic), direction=direction, oncotype=oncotype)
    if prognostic is not None and prognostic not in ("0", "IV"):
        return _flat(text["same"])
    if "prognostic.missing" in rules:
        return _flat(text["anatomic_only"])
    return None


def explain_result(result: StageResult) -> TNMExplanation:
    """The patient explanation of a staging result: T, N and M one by one, the stage, and what set it.

    Parameters
    ----------
    result:
        A result of :func:`~metastasis.staging.stage_breast`.

    Returns
    -------
    TNMExplanation
        Texts and their sources; ``paragraphs()`` gives the whole explanation in reading order.

    Examples
    --------
    >>> e = explain_result(stage_breast("pT1c", "pN1a", "cM0", grade=1, er="+", pr="+", her2="-"))
    >>> e.markers.startswith("From T, N and M alone, the stage would be 2A.")
    True
    """
    text = explanations()
    cats = (parse_t(result.t), parse_n(result.n), parse_m(result.m))
    explained = tuple(explain_category(cat) for cat in cats)
    prefix_note, prefix_sources = _prefix_note(cats)
    stage = result.stage
    if stage is None:
        stage_text = _flat(text["no_stage"])
    else:
        stage_text = _flat(text["stage"][stage])
        if stage in _STAGES_1_TO_3:
            stage_text += " " + _flat(text["stages_1_to_3"])
    markers = _markers(result)
    cited = [*text["sources"], *(s for c in explained for s in c.sources), *prefix_sources]
    if markers:
        cited += text["markers"]["sources"]
    return TNMExplanation(
        intro=_flat(text["intro"]),
        categories=explained,
        prefix_note=prefix_note,
        stage=stage,
        stage_text=stage_text,
        markers=markers,
        statistics=_flat(text["statistics"]),
        next_step=_flat(text["next_step"]),
        sources=tuple(dict.fromkeys(cited)),
    )


def explain_tnm(t: Any, n: Any, m: Any, **staging: Any) -> TNMExplanation:
    """Stage with :func:`~metastasis.staging.stage_breast` (same keywords: grade, er, pr, her2, oncotype_rs,
    system, basis) and explain the result; see :func:`explain_result`.

    Example
    -------
    >>> explain_tnm("cT2", "cN0", "cM0").categories[0].text
    'The tumour is bigger than 2 cm but not bigger than 5 cm.'
    """
    return explain_result(stage_breast(t, n, m, **staging))


def explain_stage(result: StageResult) -> str:
    """The whole explanation as text: paragraphs separated by blank lines (about a grade-8 reading level)."""
    return "\n\n".join(explain_result(result).paragraphs())
