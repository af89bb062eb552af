"""Lesion phenotypes: osteolytic, osteoblastic and mixed bone metastases as regimes of the Ayati 2010 model.

Each phenotype is a documented set of tumour effects on bone-cell signalling (``r11``, ``r12``, ``r22``),
labelled with the primary cancers whose metastases it typically represents (``data/lesions.yaml``). The
osteolytic regime is Ayati's published one; the osteoblastic and mixed regimes are this project's assumptions
and say so in their caveats.

Example
-------
>>> lesion("osteoblastic").assumption
True
>>> lesion("osteolytic").model().parameter_set
'tumour'
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Reason
from metastasis.evidence.registry import check_cited
from metastasis.simulate.bone._data import load_yaml
from metastasis.simulate.bone.ayati import Ayati2010

LesionName = Literal["osteolytic", "osteoblastic", "mixed"]


class PrimaryCancer(BaseModel):
    """A primary cancer whose bone metastases the phenotype typically represents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cancer: str
    sources: tuple[str, ...]

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class Lesion(BaseModel):
    """One lesion phenotype: how the tumour changes signalling, which cancers it stands for, and its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    base_set: str
    overrides: dict[str, float]
    mechanism: str
    sources: tuple[str, ...]
    assumption: bool
    primaries: tuple[PrimaryCancer, ...]
    caveats: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)

    def model(self, **overrides: Any) -> Ayati2010:
        """The Ayati 2010 model in this regime (caller overrides applied on top)."""
        return Ayati2010(self.base_set, **{**self.overrides, **overrides})  # type: ignore[arg-type]

    def reasons(self) -> list[Reason]:
        """Why the regime looks like this and which cancers it represents."""
        primaries = "; ".join(p.cancer for p in self.primaries)
        return [
            Reason(rule=f"lesion:{self.id}", text=f"{self.label}: {self.mechanism}", sources=self.sources),
            Reason(
                rule=f"lesion:{self.id}.primaries",
                text=f"Typically represents: {primaries}.",
                sources=tuple(dict.fromkeys(s for p in self.primaries for s in p.sources)),
            ),
        ]


@cache
def _lesions() -> dict[str, Lesion]:
    data = load_yaml("lesions")
    try:
        found = {
            key: Lesion.model_validate({"id": key, **value, "caveats": data.get("caveats", [])})
            for key, value in data["lesions"].items()
        }
    except (ValidationError, KeyError, TypeError) as exc:
        raise DataIntegrityError(f"simulate/bone/data/lesions.yaml: {exc}") from exc
    for item in found.values():
        item.model()  # fails loudly at first use if a regime has no steady state
    return found


def lesions() -> list[Lesion]:
    """All lesion phenotypes, in the data file's order."""
    return list(_lesions().values())


def lesion(name: str) -> Lesion:
    """The phenotype ``osteolytic``, ``osteoblastic`` or ``mixed`` (InvalidInputError otherwise)."""
    found = _lesions()
    if name not in found:
        raise InvalidInputError("lesion", name, list(found))
    return found[name]
