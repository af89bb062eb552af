"""Bundled example cases in the case schema (:class:`metastasis.domain.Case`), for the docs, the report and tests.

The files live in the ``cases/`` folder next to this module, one YAML file per case. They are fictional.

Example
-------
>>> example_case_names()
('de-novo-bone-only', 'early-hr-positive', 'hypercalcaemia', 'recurrent-liver-bone', 'spinal-cord-compression')
>>> load_example_case("spinal-cord-compression").bone_lesions[0].spine.escc_grade
'2'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from metastasis.domain import Case
from metastasis.domain.io import loads_case
from metastasis.errors import InvalidInputError

_FOLDER = "cases"


def _folder() -> Traversable:
    return resources.files("metastasis.examples").joinpath(_FOLDER)


@cache
def example_case_names() -> tuple[str, ...]:
    """Names of the bundled example cases, sorted."""
    return tuple(sorted(e.name.removesuffix(".yaml") for e in _folder().iterdir() if e.name.endswith(".yaml")))


def example_case_text(name: str) -> str:
    """The YAML text of a bundled example case."""
    if name not in example_case_names():
        raise InvalidInputError("example", name, example_case_names())
    return _folder().joinpath(f"{name}.yaml").read_text("utf-8")


@cache
def load_example_case(name: str) -> Case:
    """The bundled example case with this name, validated.

    Parameters
    ----------
    name:
        One of :func:`example_case_names`.

    Returns
    -------
    Case
        The case (immutable, so the cached object is safe to share).

    Raises
    ------
    InvalidInputError
        For an unknown name, listing the names.
    """
    return loads_case(example_case_text(name), fmt="yaml", source=f"example {name}")
