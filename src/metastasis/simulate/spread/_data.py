"""Read and validate the spread package's YAML data files once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError

M = TypeVar("M", bound=BaseModel)

_PACKAGE = "metastasis.simulate.spread"


@cache
def read_yaml(name: str) -> Any:
    """The parsed content of ``data/<name>`` (cached; do not mutate it)."""
    path = resources.files(_PACKAGE).joinpath("data").joinpath(name)
    try:
        return load_data(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataIntegrityError(f"simulate/spread/data/{name}: cannot read: {exc}") from exc


def load_models(name: str, model: type[M]) -> tuple[M, ...]:
    """Validate a YAML list of records into ``model`` instances."""
    try:
        return tuple(TypeAdapter(list[model]).validate_python(read_yaml(name)))  # type: ignore[valid-type]
    except ValidationError as exc:
        raise DataIntegrityError(f"simulate/spread/data/{name}: {exc}") from exc


def load_model(name: str, model: type[M]) -> M:
    """Validate a YAML mapping into one ``model`` instance."""
    try:
        return model.model_validate(read_yaml(name))
    except ValidationError as exc:
        raise DataIntegrityError(f"simulate/spread/data/{name}: {exc}") from exc
