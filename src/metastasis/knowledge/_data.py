"""Read the package's YAML knowledge files once, and validate them into pydantic models."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError

M = TypeVar("M", bound=BaseModel)


@cache
def read_yaml(package: str, name: str) -> Any:
    """The parsed content of ``data/<name>`` inside ``package`` (cached; do not mutate it).

    Example
    -------
    >>> read_yaml("metastasis.knowledge", "patterns.yaml")["oligometastatic"]["max_lesions"]
    5
    """
    path = resources.files(package).joinpath("data").joinpath(name)
    try:
        return load_data(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataIntegrityError(f"{package}/data/{name}: cannot read: {exc}") from exc


def load_models(package: str, name: str, model: type[M]) -> tuple[M, ...]:
    """Validate a YAML list of records into ``model`` instances; bad data raises :class:`DataIntegrityError`."""
    try:
        return tuple(TypeAdapter(list[model]).validate_python(read_yaml(package, name)))  # type: ignore[valid-type]
    except ValidationError as exc:
        raise DataIntegrityError(f"{package}/data/{name}: {exc}") from exc


def load_model(package: str, name: str, model: type[M]) -> M:
    """Validate a YAML mapping into one ``model`` instance."""
    try:
        return model.model_validate(read_yaml(package, name))
    except ValidationError as exc:
        raise DataIntegrityError(f"{package}/data/{name}: {exc}") from exc
