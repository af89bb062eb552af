"""Metastatic sites and bone lesions, with the inputs the bone scores need (Mirels, SINS, Bilsky ESCC).

Site ids are those of the knowledge catalogue (:func:`metastasis.knowledge.site_ids`); the choices of the
Mirels, SINS, Bilsky and Tokuhashi items are those of :mod:`metastasis.assess`, so a lesion's fields can be
passed to the scores as they are.

Example
-------
>>> lesion = BoneLesion(site="spine_thoracic", lesion_type="osteolytic",
...                     spine={"level": "T8", "location": "semi_rigid", "escc_grade": "2"})
>>> lesion.score_lesion, lesion.is_spinal
('lytic', True)
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from metastasis.domain._types import CaseDate, CaseModel, Vocabulary
from metastasis.domain.problems import Issue, raise_errors, rules_skipped
from metastasis.domain.vocabularies import (
    bone_site_ids,
    escc_grades,
    is_under,
    lesion_types,
    metastatic_site_ids,
    mirels_choices,
    palsy_choices,
    sins_choices,
)

REGIONAL_NODES = "nodes_regional"
"""The one catalogue site that is not distant spread (it is part of N staging)."""

_LEVEL = r"(?:C[1-7]|T(?:1[0-2]|[1-9])|L[1-5]|S[1-5])"
_LEVEL_RE = re.compile(rf"^({_LEVEL})(?:-({_LEVEL}))?$")
_REGION_OFFSET = {"C": 0, "T": 7, "L": 19, "S": 24}
_REGION_SITE = {"C": "spine_cervical", "T": "spine_thoracic", "L": "spine_lumbar", "S": "spine_sacral"}
# Score vocabularies name lesion types briefly (lytic/blastic); the case uses the knowledge names.
_SCORE_LESION = {"osteolytic": "lytic", "osteoblastic": "blastic", "mixed": "mixed"}


def _ordinal(level: str) -> int:
    """Position of a vertebra from C1 (1) to S5 (29)."""
    return _REGION_OFFSET[level[0]] + int(level[1:])


def _level(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from metastasis.domain._types import not_allowed

    text = value.strip().upper().replace(" ", "")
    match = _LEVEL_RE.match(text)
    allowed = "a vertebra C1-C7, T1-T12, L1-L5, S1-S5, or a range from top to bottom such as 'T7-T9'"
    if match is None:
        raise not_allowed(value, allowed)
    if match[2] is not None and _ordinal(match[2]) <= _ordinal(match[1]):
        raise not_allowed(value, allowed, "a range is written from the upper to the lower vertebra")
    return text


def _sins(item: str) -> Any:
    return Vocabulary(f"SINS {item} choice", lambda: sins_choices(item))


def _mirels(item: str) -> Any:
    return Vocabulary(f"Mirels {item} choice", lambda: mirels_choices(item))


class MetastaticSite(CaseModel):
    """One organ or bone region with distant metastasis (regional nodes may be listed; they are not distant)."""

    site: Annotated[str, Vocabulary("site id", metastatic_site_ids)] = Field(
        description="Catalogue site id (`metastasis sites`): bone, spine_thoracic, liver, lung, brain..."
    )
    date: CaseDate | None = Field(default=None, description="Date metastasis at this site was diagnosed.")
    biopsy_confirmed: bool | None = Field(default=None, description="Whether a biopsy of this site confirmed it.")
    lesion_count: Annotated[int, Field(strict=True, ge=1)] | None = Field(
        default=None, description="Number of lesions at this site, when counted (oligometastatic assessment)."
    )
    note: str | None = Field(default=None, description="Free text.")

    @property
    def distant(self) -> bool:
        """False for regional lymph nodes, which are part of N staging, not distant spread."""
        return self.site != REGIONAL_NODES


class SpinalDetails(CaseModel):
    """A spinal lesion's level and the inputs of SINS, the Bilsky ESCC grade and neurological status."""

    level: Annotated[str | None, BeforeValidator(_level)] = Field(
        default=None, description="Vertebra or range, top to bottom: 'T8', 'T7-T9', 'C7-T1'."
    )
    location: Annotated[str, _sins("location")] | None = Field(
        default=None, description="SINS location: junctional, mobile, semi_rigid or rigid."
    )
    pain: Annotated[str, _sins("pain")] | None = Field(
        default=None, description="SINS pain: mechanical, occasional (not mechanical) or none."
    )
    alignment: Annotated[str, _sins("alignment")] | None = Field(
        default=None, description="SINS radiographic alignment: subluxation, de_novo_deformity or normal."
    )
    collapse: Annotated[str, _sins("collapse")] | None = Field(
        default=None, description="SINS vertebral body collapse: gt_50, lt_50, no_collapse_gt_50_involved or none."
    )
    posterolateral: Annotated[str, _sins("posterolateral")] | None = Field(
        default=None, description="SINS posterolateral involvement: bilateral, unilateral or none."
    )
    escc_grade: Annotated[str, Vocabulary("Bilsky ESCC grade", escc_grades)] | None = Field(
        default=None, description="Bilsky epidural spinal cord compression grade on MRI: 0, 1a, 1b, 1c, 2 or 3."
    )
    palsy: Annotated[str, Vocabulary("palsy choice", palsy_choices)] | None = Field(
        default=None, description="Neurological deficit (Frankel, as Tokuhashi grades it): complete, incomplete, none."
    )

    def regions(self) -> set[str]:
        """Spinal regions the level spans: subsets of spine_cervical, spine_thoracic, spine_lumbar, spine_sacral."""
        if self.level is None:
            return set()
        ends = self.level.split("-")
        first, last = _ordinal(ends[0]), _ordinal(ends[-1])
        return {site for letter, site in _REGION_SITE.items() if _overlaps(first, last, letter)}


def _overlaps(first: int, last: int, letter: str) -> bool:
    size = {"C": 7, "T": 12, "L": 5, "S": 5}[letter]
    low = _REGION_OFFSET[letter] + 1
    return first <= low + size - 1 and last >= low


class BoneLesion(CaseModel):
    """One bone metastasis, described so that Mirels (long bones) or SINS and ESCC (spine) can be scored."""

    site: Annotated[str, Vocabulary("bone site id", bone_site_ids)] = Field(
        description="Catalogue id of a bone site (bone or a subsite): spine_thoracic, pelvis, long_bones, ribs..."
    )
    subsite: str | None = Field(default=None, description="Free text: the bone and part, e.g. 'left femur, neck'.")
    lesion_type: Annotated[str, Vocabulary("lesion type", lesion_types)] | None = Field(
        default=None, description="Radiographic type: osteolytic, osteoblastic or mixed."
    )
    size_fraction: Annotated[str, _mirels("size")] | None = Field(
        default=None,
        description="Fraction of the bone's diameter involved (Mirels): lt_one_third, one_third_to_two_thirds, "
        "gt_two_thirds.",
    )
    pain: Annotated[str, _mirels("pain")] | None = Field(
        default=None, description="Pain from a limb lesion (Mirels): mild, moderate or functional (worse with use)."
    )
    limb: Annotated[str, _mirels("site")] | None = Field(
        default=None, description="Long bones only (Mirels site): upper_limb, lower_limb or peritrochanteric."
    )
    spine: SpinalDetails | None = Field(default=None, description="Spinal lesions only: level, SINS, ESCC, palsy.")
    date: CaseDate | None = Field(default=None, description="Date the lesion was found.")
    note: str | None = Field(default=None, description="Free text.")

    @property
    def is_spinal(self) -> bool:
        return is_under(self.site, "spine")

    @property
    def is_long_bone(self) -> bool:
        return is_under(self.site, "long_bones")

    @property
    def score_lesion(self) -> str | None:
        """The lesion type as the Mirels and SINS items name it (lytic, blastic, mixed)."""
        return None if self.lesion_type is None else _SCORE_LESION[self.lesion_type]

    def issues(self) -> list[Issue]:
        """Contradictions inside the lesion record (relative locations)."""
        issues: list[Issue] = []
        spinal = self.is_spinal
        if self.spine is not None and not spinal:
            issues.append(
                Issue(
                    loc=("spine",),
                    message=f"spinal details on a lesion of a non-spinal site ({self.site})",
                    value=self.site,
                    allowed="spine, spine_cervical, spine_thoracic, spine_lumbar or spine_sacral",
                    rule="lesion.spine_details_not_spinal",
                )
            )
        if self.limb is not None and not self.is_long_bone:
            issues.append(
                Issue(
                    loc=("limb",),
                    message=f"a Mirels limb site on a lesion that is not in a long bone ({self.site})",
                    value=self.limb,
                    allowed="a limb only when site is long_bones",
                    rule="lesion.limb_not_long_bone",
                )
            )
        if spinal and self.spine is not None and self.site in _REGION_SITE.values():
            regions = self.spine.regions()
            if regions and self.site not in regions:
                issues.append(
                    Issue(
                        loc=("spine", "level"),
                        message=f"level {self.spine.level} is not in the {self.site.removeprefix('spine_')} spine",
                        value=self.spine.level,
                        allowed=f"a level in {self.site}",
                        rule="lesion.level_outside_site",
                    )
                )
        return issues

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> BoneLesion:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
