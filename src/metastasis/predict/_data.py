"""The prognosis data files (``predict/data/*.yaml``), each read and parsed once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def data_file(name: str) -> Any:
    """The parsed YAML file ``predict/data/<name>``."""
    return yaml.safe_load(resources.files("metastasis.predict").joinpath("data", name).read_text(encoding="utf-8"))
