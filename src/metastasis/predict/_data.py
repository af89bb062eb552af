"""The prognosis data files (``predict/data/*.yaml``), each read and parsed once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from metastasis._yaml import load_data


@cache
def data_file(name: str) -> Any:
    """The parsed YAML file ``predict/data/<name>``."""
    return load_data(resources.files("metastasis.predict").joinpath("data", name).read_text(encoding="utf-8"))
