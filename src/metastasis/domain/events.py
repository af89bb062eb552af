"""Skeletal-related events (SREs): the endpoint of bone-metastasis trials, as a reusable type for timelines.

The usual trial definition of an SRE is a pathological fracture, spinal cord compression, radiation to bone or
surgery to bone (for example Stopeck 2010, denosumab vs zoledronic acid in breast cancer). Some trials also
counted hypercalcaemia of malignancy, usually as a separate composite ("SRE or hypercalcaemia of
malignancy"): keep it as its own kind and say per analysis whether it counts.

Example
-------
>>> event = SkeletalRelatedEvent(kind="pathological_fracture", date="2024-03-01", site="left femur")
>>> event.counts_as_sre()
True
>>> SkeletalRelatedEvent(kind="hypercalcemia_of_malignancy").counts_as_sre()
False
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from metastasis.errors import InvalidInputError

SRE_DEFINITION_SOURCES: tuple[str, ...] = ("stopeck-2010",)
"""Source ids of the SRE definition used here (see ``metastasis/evidence/sources/scores.yaml``)."""


class SkeletalEventKind(StrEnum):
    """Kinds of skeletal-related event."""

    PATHOLOGICAL_FRACTURE = "pathological_fracture"
    SPINAL_CORD_COMPRESSION = "spinal_cord_compression"
    RADIATION_TO_BONE = "radiation_to_bone"
    SURGERY_TO_BONE = "surgery_to_bone"
    HYPERCALCEMIA_OF_MALIGNANCY = "hypercalcemia_of_malignancy"
    """Counted only where a trial counted it (``include_hypercalcemia=True``)."""


CORE_SRE_KINDS: frozenset[SkeletalEventKind] = frozenset(
    {
        SkeletalEventKind.PATHOLOGICAL_FRACTURE,
        SkeletalEventKind.SPINAL_CORD_COMPRESSION,
        SkeletalEventKind.RADIATION_TO_BONE,
        SkeletalEventKind.SURGERY_TO_BONE,
    }
)
"""The four kinds every trial definition counts."""

_ALLOWED = {
    "kind": tuple(k.value for k in SkeletalEventKind),
    "date": "a date (datetime.date or 'YYYY-MM-DD') or None",
    "site": "text naming the bone, or None",
    "note": "text, or None",
}


def is_skeletal_related_event(kind: SkeletalEventKind | str, *, include_hypercalcemia: bool = False) -> bool:
    """Whether an event of this kind counts as an SRE under the chosen definition.

    Examples
    --------
    >>> is_skeletal_related_event("radiation_to_bone")
    True
    >>> is_skeletal_related_event("hypercalcemia_of_malignancy", include_hypercalcemia=True)
    True
    """
    if isinstance(kind, SkeletalEventKind):
        member = kind
    elif isinstance(kind, str) and kind in _ALLOWED["kind"]:
        member = SkeletalEventKind(kind)
    else:
        raise InvalidInputError("kind", kind, _ALLOWED["kind"])
    if not isinstance(include_hypercalcemia, bool):
        raise InvalidInputError("include_hypercalcemia", include_hypercalcemia, ("True", "False"))
    if member in CORE_SRE_KINDS:
        return True
    return include_hypercalcemia


class SkeletalRelatedEvent(BaseModel):
    """One skeletal-related event on a patient's timeline.

    Bad input raises :class:`InvalidInputError` (not a pydantic ``ValidationError``) naming the field and what
    is allowed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SkeletalEventKind = Field(
        description="pathological_fracture, spinal_cord_compression, radiation_to_bone, surgery_to_bone or "
        "hypercalcemia_of_malignancy."
    )
    date: datetime.date | None = Field(default=None, description="Date of the event, when known.")
    site: str | None = Field(default=None, description="Bone or level involved, e.g. 'left femur', 'T8'.")
    note: str | None = Field(default=None, description="Free text.")

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "event"
            allowed = _ALLOWED.get(field, ", ".join(_ALLOWED))
            raise InvalidInputError(field, first.get("input"), allowed, first["msg"]) from None

    def counts_as_sre(self, *, include_hypercalcemia: bool = False) -> bool:
        """Whether this event counts as an SRE (hypercalcaemia only when ``include_hypercalcemia``)."""
        return is_skeletal_related_event(self.kind, include_hypercalcemia=include_hypercalcemia)
