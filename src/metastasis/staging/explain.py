"""Plain-language explanation of a staging result for patients and families."""

from __future__ import annotations

from typing import TYPE_CHECKING

from metastasis.staging.tables import explanations

if TYPE_CHECKING:
    from metastasis.staging.result import StageResult


def _stage_word(stage: str) -> str:
    """'IIA' -> '2A' (patients meet Arabic numerals on most leaflets)."""
    roman = {"IV": "4", "III": "3", "II": "2", "I": "1"}
    for numeral, digit in roman.items():
        if stage.startswith(numeral):
            return digit + stage[len(numeral) :]
    return stage


def explain_stage(result: StageResult) -> str:
    """Short paragraphs at about a grade-8 reading level: T, N, M, the stage, statistics, what to do now."""
    text = explanations()
    parts = [text["intro"].strip()]
    parts.append(text["t"][result.t_group])
    parts.append(text["n"][result.n_group])
    parts.append(text["m"][result.m_group])
    stage = result.stage
    if stage is None:
        parts.append(text["no_stage"].strip())
    else:
        parts.append(f"Your stage from these details: stage {_stage_word(stage)}.")
        parts.append(text["stage"][stage].strip())
        if result.prognostic_stage is not None and result.prognostic_stage not in ("0", "IV"):
            parts.append(text["prognostic"].strip())
    parts.append(text["statistics"].strip())
    parts.append(text["next_step"].strip())
    return "\n\n".join(parts)
