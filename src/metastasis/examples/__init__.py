"""Bundled example cases, used by ``metastasis example``, the docs and end-to-end tests.

Until the full case schema exists, an example holds a short description and the staging inputs.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from metastasis.errors import InvalidInputError


@cache
def example_names() -> tuple[str, ...]:
    """Names of the bundled examples."""
    folder = resources.files("metastasis.examples").joinpath("data")
    return tuple(sorted(e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")))


def load_example(name: str) -> dict[str, Any]:
    """The example with this name, as a dict with ``title``, ``description`` and ``staging`` keys."""
    if name not in example_names():
        raise InvalidInputError("example", name, example_names())
    text = resources.files("metastasis.examples").joinpath("data").joinpath(f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)
