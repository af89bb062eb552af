"""Parameter sets and tables of the bone models (YAML in ``simulate/bone/data``), loaded once and checked.

A model file names the model's parameters (meaning, unit, what is allowed) and its published parameter sets;
each set lists its values, initial conditions, the sources they come from and the caveats that travel with it.
Every number the models use lives in these files; the loader checks that each cited source is registered and
that each set gives every parameter, so a broken file fails at first use rather than producing a run.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import Field, ValidationError

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence.records import CitedRecord, DataRecord

_DATA_PACKAGE = "metastasis.simulate.bone"
_DATA_DIR = "data"


_Spec = DataRecord
_Cited = CitedRecord


class ParameterSpec(_Spec):
    """One model parameter: what it means, its unit and which values are allowed."""

    meaning: str
    unit: str = "-"
    allowed: Literal["positive", "non_negative", "real"] = "real"


class ParameterSet(_Cited):
    """One published (or documented) parameter set with its initial conditions."""

    label: str
    values: dict[str, float]
    initial: dict[str, float] = Field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = Field(default=(), description="Parameters that are modelling assumptions.")


class ModelSpec(_Cited):
    """A model file: parameters, parameter sets and model-level caveats."""

    model: str
    name: str
    parameters: dict[str, ParameterSpec]
    parameter_sets: dict[str, ParameterSet]
    caveats: tuple[str, ...] = ()


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>.yaml`` once."""
    path = resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR, f"{name}.yaml")
    try:
        return load_data(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataIntegrityError(f"missing data file simulate/bone/data/{name}.yaml") from None


@cache
def model_spec(name: str) -> ModelSpec:
    """The checked model file ``data/<name>.yaml``."""
    try:
        spec = ModelSpec.model_validate(load_yaml(name))
    except ValidationError as exc:
        raise DataIntegrityError(f"simulate/bone/data/{name}.yaml: {exc}") from exc
    for set_id, pset in spec.parameter_sets.items():
        missing = set(spec.parameters) - set(pset.values)
        extra = set(pset.values) - set(spec.parameters)
        if missing or extra:
            raise DataIntegrityError(f"{name}.yaml set {set_id!r}: missing {sorted(missing)}, unknown {sorted(extra)}")
    return spec


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_value(field: str, value: object, allowed: str) -> float:
    """Check one number against ``positive``/``non_negative``/``real`` and return it as a float."""
    words = {"positive": "a finite number > 0", "non_negative": "a finite number >= 0", "real": "a finite number"}
    if not _is_number(value):
        raise InvalidInputError(field, value, words[allowed])
    number = float(value)  # type: ignore[arg-type]
    if (allowed == "positive" and number <= 0) or (allowed == "non_negative" and number < 0):
        raise InvalidInputError(field, value, words[allowed])
    return number


def resolve_parameters(
    name: str, parameter_set: str, overrides: dict[str, Any]
) -> tuple[ParameterSet, dict[str, float]]:
    """The named set's values with the caller's overrides applied, each checked (raises InvalidInputError)."""
    spec = model_spec(name)
    if parameter_set not in spec.parameter_sets:
        raise InvalidInputError("parameter_set", parameter_set, list(spec.parameter_sets))
    pset = spec.parameter_sets[parameter_set]
    values = dict(pset.values)
    for key, value in overrides.items():
        if key not in spec.parameters:
            raise InvalidInputError(key, value, [f"a parameter of {spec.name}: {', '.join(spec.parameters)}"])
        values[key] = value
    checked = {key: check_value(key, values[key], spec.parameters[key].allowed) for key in spec.parameters}
    return pset, checked


def check_positive(field: str, value: object) -> float:
    return check_value(field, value, "positive")


def check_non_negative(field: str, value: object) -> float:
    return check_value(field, value, "non_negative")
