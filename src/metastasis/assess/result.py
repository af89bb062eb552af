"""Result models shared by every assessment in :mod:`metastasis.assess`.

Every result subclasses :class:`metastasis.evidence.Evidenced`, so it carries ``reasons`` (which item, row or
threshold produced what), ``caveats`` and the computed ``sources``. Point scores share one shape,
:class:`ScoreResult`: total, band, interpretation, recommended action, per-item breakdown, published outcomes
for the band and the direction of the scale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from metastasis.evidence import Evidenced
from metastasis.evidence.registry import check_cited


class ItemPoints(BaseModel):
    """One item of a point score: what was given, which row it fell in and the points it earned."""

    model_config = ConfigDict(frozen=True)

    item: str = Field(description="Keyword of the item, as in the function call (e.g. 'site').")
    label: str = Field(description="The item as the score names it.")
    given: str | int = Field(description="The value as given (normalised: yes/no answers as 'yes'/'no').")
    choice: str = Field(description="Id of the row of the item's table that the value fell in.")
    choice_label: str = Field(description="That row, in words.")
    points: int


class Outcome(BaseModel):
    """A published outcome for a band (for example a median survival), with its source."""

    model_config = ConfigDict(frozen=True)

    measure: str = Field(description="What was measured, and in which cohort.")
    value: str = Field(description="The published figure, as text (with its unit).")
    sources: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class ScoreResult(Evidenced):
    """Result of a point score (Mirels, SINS, Tokuhashi, Tomita, Bauer, Katagiri) or of a graded scale (ESCC).

    Examples
    --------
    >>> from metastasis.assess import mirels
    >>> r = mirels(site="lower_limb", pain="functional", lesion="lytic", size="lt_one_third")
    >>> (r.total, r.band, r.higher_is)
    (9, 'high', 'worse')
    """

    score: str = Field(description="Id of the score, e.g. 'mirels'.")
    name: str
    total: int
    minimum: int = Field(description="Lowest possible total.")
    maximum: int = Field(description="Highest possible total.")
    higher_is: Literal["better", "worse"] = Field(description="Whether a higher total means a better outlook.")
    band: str = Field(description="Id of the band the total falls in.")
    band_label: str
    interpretation: str
    action: str = Field(description="The recommended action the score's authors or reviews attach to the band.")
    breakdown: list[ItemPoints] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list, description="Published outcomes for the band.")


class EsccResult(ScoreResult):
    """Bilsky epidural spinal cord compression grade: a label, its ordinal rank and low/high grade.

    ``total`` equals ``rank`` (0 for grade 0 ... 5 for grade 3); the grade itself is a label, never a number.
    """

    grade: str = Field(description="One of 0, 1a, 1b, 1c, 2, 3 (as text).")
    rank: int = Field(description="Ordinal position 0-5 (0, 1a, 1b, 1c, 2, 3).")
    high_grade: bool = Field(description="True for grades 2 and 3.")
