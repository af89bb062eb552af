"""Laboratory results: analyte, value, unit and date, with the units checked against a list per analyte.

A value never travels without its unit; the accepted units per analyte are data (``domain/data/labs.yaml``).
Calcium and albumin are also checked against the plausible ranges of :mod:`metastasis.assess.calcium`, where a
value outside the range for the unit named is most often a unit mix-up.

Example
-------
>>> lab = LabResult(analyte="calcium", value=2.9, unit="mmol/l", date="2024-05-02")
>>> lab.unit, lab.unit_system
('mmol/L', 'si')
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from metastasis.domain._types import CaseDate, CaseModel, NonNegativeNumber, PositiveNumber, Vocabulary, not_allowed
from metastasis.domain.problems import Issue, raise_errors, rules_skipped
from metastasis.domain.vocabularies import lab_analytes, lab_unit_aliases, lab_units
from metastasis.errors import InvalidInputError

# analyte -> (measure in assess/data/calcium.yaml "plausible", key of the analyte there)
_CALCIUM_PLAUSIBLE = {
    "calcium": ("calcium", "corrected_total"),
    "ionised_calcium": ("calcium", "ionised"),
    "albumin": ("albumin", None),
}


def _unit_schema(schema: dict[str, Any]) -> None:
    """Add, per analyte, the units allowed (``if analyte == X then unit in [...]``) to the JSON Schema."""
    schema["allOf"] = [
        {
            "if": {"properties": {"analyte": {"const": analyte}}, "required": ["analyte"]},
            "then": {"properties": {"unit": {"enum": list(units)}}},
        }
        for analyte, units in lab_units().items()
    ]


def canonical_unit(analyte: str, unit: str) -> str | None:
    """The accepted spelling of ``unit`` for ``analyte``, or ``None`` when it is not accepted.

    Example
    -------
    >>> canonical_unit("bilirubin", "umol/L")
    'µmol/L'
    """
    units = lab_units().get(analyte, {})
    folded = {u.lower(): u for u in units}
    key = unit.strip().lower()
    if key in folded:
        return folded[key]
    aliases = {alias.lower(): target for alias, target in lab_unit_aliases().items()}
    target = aliases.get(key)
    return target if target in units else None


class LabResult(CaseModel):
    """One laboratory value with its unit and date (and the laboratory's upper limit of normal when known)."""

    model_config = ConfigDict(json_schema_extra=_unit_schema)

    analyte: Annotated[str, Vocabulary("analyte", lab_analytes)] = Field(
        description="calcium (total), ionised_calcium, albumin, alp, alt, ast, bilirubin, ldh, crp, platelets, "
        "creatinine."
    )
    value: NonNegativeNumber = Field(description="The measured value, in `unit`.")
    unit: str = Field(description="Unit of `value` (and of `uln`); the units allowed depend on the analyte.")
    date: CaseDate = Field(description="Date the sample was taken.")
    uln: PositiveNumber | None = Field(
        default=None, description="The laboratory's upper limit of normal, in the same unit, when known."
    )
    note: str | None = Field(default=None, description="Free text.")

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str, info: ValidationInfo) -> str:
        analyte = info.data.get("analyte")
        if analyte is None:  # the analyte itself is wrong; that is reported on its own
            return unit
        found = canonical_unit(analyte, unit)
        if found is None:
            raise not_allowed(unit, tuple(lab_units()[analyte]), f"not a unit of {analyte}")
        return found

    @property
    def unit_system(self) -> str:
        """``conventional`` or ``si``, as :mod:`metastasis.assess.calcium` names unit systems."""
        return lab_units()[self.analyte][self.unit]

    def issues(self) -> list[Issue]:
        """A value outside the plausible range for its unit (calcium and albumin only)."""
        if self.analyte not in _CALCIUM_PLAUSIBLE:
            return []
        from metastasis.assess import _inputs
        from metastasis.assess._tables import load_yaml

        group, measure = _CALCIUM_PLAUSIBLE[self.analyte]
        table = load_yaml("calcium")["plausible"][group]
        limits = (table[measure] if measure else table).get(self.unit_system)
        if limits is None:
            return []
        try:
            _inputs.number("value", self.value, limits["low"], limits["high"], self.unit, limits.get("hint"))
        except InvalidInputError as exc:
            return [
                Issue(
                    loc=("value",),
                    message=f"{self.value:g} {self.unit} is {exc.detail}",
                    value=self.value,
                    allowed=exc.allowed,
                    rule="labs.implausible_for_unit",
                )
            ]
        return []

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> LabResult:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
