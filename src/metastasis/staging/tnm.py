"""Parse T, N and M categories in the spellings people and registries use.

Accepted: an optional prefix (``c``, ``p``, ``yc``, ``yp``, ``r``, ``rc``, ``rp``; any case), the axis letter,
and a category from ``data/categories.yaml``; spaces anywhere are ignored (``pT1c``, ``t1C``, ``cN1mi``,
``pN0(i+)``, ``N0(mol+)``, ``Tis (Paget)``, ``M0(i+)``). Refused with :class:`InvalidInputError`: unknown
categories (``T5``, ``N4``), ``pM0`` (AJCC: pM0 is not a valid category), ``MX``, clinical prefixes on
pathological-only categories (``cN1a``, ``cN0(i+)``) and empty text.

Example
-------
>>> parse_t("pT1c").label, parse_t("pT1c").group
('pT1c', 'T1')
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from metastasis.errors import InvalidInputError
from metastasis.staging.tables import CategoryDef, categories, rejected_spellings

Axis = Literal["T", "N", "M"]
PREFIXES: tuple[str, ...] = ("", "c", "p", "yc", "yp", "r", "rc", "rp")
_PATHOLOGICAL_PREFIXES = frozenset({"p", "yp", "rp"})
_PATTERN = re.compile(r"^(?P<prefix>yc|yp|rc|rp|c|p|r)?(?P<axis>[tnm])(?P<body>.*)$")


class TNMCategory(BaseModel):
    """One parsed T, N or M category."""

    model_config = ConfigDict(frozen=True)

    axis: Axis
    prefix: str
    code: str
    group: str

    @property
    def label(self) -> str:
        """Prefix and code, e.g. ``pN0(i+)``."""
        return f"{self.prefix}{self.code}"

    @property
    def is_pathological(self) -> bool:
        """Whether the prefix marks a pathological classification (p, yp, rp)."""
        return self.prefix in _PATHOLOGICAL_PREFIXES

    @property
    def is_post_therapy(self) -> bool:
        """Whether the prefix marks a classification after neoadjuvant therapy (yc, yp)."""
        return self.prefix.startswith("y")

    @property
    def has_explicit_clinical_prefix(self) -> bool:
        return self.prefix in {"c", "yc", "rc", "r"}

    @property
    def definition(self) -> str:
        return categories()[self.axis][self.code].definition

    def __str__(self) -> str:
        return self.label


@cache
def _alias_index(axis: str) -> dict[str, CategoryDef]:
    return {alias: cat for cat in categories()[axis].values() for alias in cat.aliases}


@cache
def _allowed(axis: str) -> str:
    codes = ", ".join(categories()[axis])
    return f"an optional prefix ({'/'.join(p for p in PREFIXES if p)}) then one of {codes}"


def parse_category(value: Any, axis: Axis, *, field: str | None = None) -> TNMCategory:
    """Parse one category of the given axis; see the module docstring for the accepted spellings."""
    field = field or axis.lower()
    if isinstance(value, str) and len(value) <= _MAX_CACHED_TEXT:
        return _parse_text(value, axis, field)
    return _parse(value, axis, field)


_MAX_CACHED_TEXT = 32
"""Spellings up to this length are memoised (a few hundred exist; the result is immutable): the API parses the
same few categories again and again."""


@lru_cache(maxsize=1024)
def _parse_text(value: str, axis: Axis, field: str) -> TNMCategory:
    return _parse(value, axis, field)  # errors are raised, never cached


def _parse(value: Any, axis: Axis, field: str) -> TNMCategory:
    allowed = _allowed(axis)
    if isinstance(value, TNMCategory):
        if value.axis != axis:
            raise InvalidInputError(field, value.label, allowed, detail=f"this is an {value.axis} category")
        return value
    if not isinstance(value, str):
        raise InvalidInputError(field, value, allowed, detail="expected text such as " + _EXAMPLES[axis])
    compact = re.sub(r"\s+", "", value).lower()
    match = _PATTERN.match(compact)
    if not compact or match is None or match["axis"] != axis.lower():
        raise InvalidInputError(field, value, allowed)
    prefix, body = match["prefix"] or "", match["body"]
    rejected = rejected_spellings().get(axis, {}).get(body)
    if rejected:
        raise InvalidInputError(field, value, allowed, detail=rejected)
    cat = _alias_index(axis).get(body)
    if cat is None:
        raise InvalidInputError(field, value, allowed)
    parsed = TNMCategory(axis=axis, prefix=prefix, code=cat.code, group=cat.group)
    if cat.clinical_only and parsed.is_pathological:
        raise InvalidInputError(
            field, value, allowed, detail=f"p{cat.code} is not a valid category; M0 is always clinical (c{cat.code})"
        )
    if cat.pathological_only and parsed.has_explicit_clinical_prefix:
        raise InvalidInputError(
            field, value, allowed, detail=f"{cat.code} is a pathological category; write p{cat.code}"
        )
    return parsed


_EXAMPLES = {"T": "'pT1c'", "N": "'cN1mi'", "M": "'cM0'"}


def parse_t(value: Any) -> TNMCategory:
    """Parse a primary-tumour (T) category."""
    return parse_category(value, "T")


def parse_n(value: Any) -> TNMCategory:
    """Parse a regional-node (N) category."""
    return parse_category(value, "N")


def parse_m(value: Any) -> TNMCategory:
    """Parse a distant-metastasis (M) category."""
    return parse_category(value, "M")
