"""Plain-language explainers for patients and families (what metastasis is, systemic disease, bone lesions,
survival statistics, where breast cancer spreads)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from pydantic import Field

from metastasis.errors import InvalidInputError
from metastasis.knowledge._data import load_models
from metastasis.knowledge.models import _Cited


class Explainer(_Cited):
    """One explainer: a title and short paragraphs, with the sources its facts rest on."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = Field(min_length=1)

    @property
    def text(self) -> str:
        """The explainer as one block of text (paragraphs separated by blank lines)."""
        return "\n\n".join(self.paragraphs)


@cache
def _explainers() -> Mapping[str, Explainer]:
    return MappingProxyType({e.id: e for e in load_models("metastasis.knowledge", "explainers.yaml", Explainer)})


def topics() -> dict[str, str]:
    """Explainer ids with their titles.

    Example
    -------
    >>> "what_is_metastasis" in topics()
    True
    """
    return {key: explainer.title for key, explainer in _explainers().items()}


def explain(topic: str) -> Explainer:
    """The explainer for a topic id (``-`` and ``_`` are interchangeable); unknown ids list the valid ones.

    Example
    -------
    >>> explain("bone-lesions").title
    'Osteolytic and osteoblastic bone lesions'
    """
    key = topic.strip().lower().replace("-", "_") if isinstance(topic, str) else topic
    try:
        return _explainers()[key]
    except (KeyError, TypeError):
        raise InvalidInputError("topic", topic, tuple(_explainers())) from None
