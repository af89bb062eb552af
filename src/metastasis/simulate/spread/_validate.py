"""Boundary checks shared by the spread modules: every bad value raises :class:`InvalidInputError`."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from metastasis.errors import InvalidInputError

ROW_SUM_ATOL = 1e-8
"""How far a row of a transition matrix may sum from 1 (floating-point slack, not a modelling choice)."""


def site_names(sites: object) -> tuple[str, ...]:
    """A tuple of unique, non-empty site names."""
    if isinstance(sites, str) or not isinstance(sites, Sequence) or len(sites) == 0:
        raise InvalidInputError("sites", sites, "a non-empty list of site names")
    names: list[str] = []
    for name in sites:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputError("sites", name, "non-empty text for every site name")
        if name in names:
            raise InvalidInputError("sites", name, "unique site names", detail="the name appears twice")
        names.append(name)
    return tuple(names)


def stochastic_matrix(matrix: object, sites: tuple[str, ...], field: str = "matrix") -> np.ndarray:
    """A float copy of ``matrix`` after checking shape, finiteness, signs and row sums."""
    n = len(sites)
    try:
        array = np.array(matrix, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInputError(field, _short(matrix), f"a {n} x {n} array of numbers") from None
    if array.shape != (n, n):
        raise InvalidInputError(
            field, f"shape {array.shape}", f"shape ({n}, {n}): one row and one column per site (rows = from)"
        )
    if not np.all(np.isfinite(array)):
        i, j = np.argwhere(~np.isfinite(array))[0]
        raise InvalidInputError(field, float(array[i, j]), "finite numbers", detail=f"entry {sites[i]} -> {sites[j]}")
    if np.any(array < 0):
        i, j = np.argwhere(array < 0)[0]
        raise InvalidInputError(
            field, float(array[i, j]), "probabilities >= 0", detail=f"entry {sites[i]} -> {sites[j]}"
        )
    sums = array.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_ATOL)
    if bad.size:
        i = int(bad[0])
        raise InvalidInputError(
            field,
            float(sums[i]),
            f"rows that sum to 1 (within {ROW_SUM_ATOL:g})",
            detail=f"row {sites[i]!r} (transitions from {sites[i]}) sums to {sums[i]:.6g}",
        )
    return array


def site_index(sites: tuple[str, ...], name: object, field: str) -> int:
    """The position of ``name`` among ``sites``."""
    if isinstance(name, str) and name in sites:
        return sites.index(name)
    raise InvalidInputError(field, name, sites)


def count(field: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """A whole number in ``[minimum, maximum]`` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInputError(field, value, _range_text(minimum, maximum))
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        raise InvalidInputError(field, number, _range_text(minimum, maximum))
    return number


def probability(field: str, value: object, *, open_low: bool = False, open_high: bool = False) -> float:
    """A real number in [0, 1] (the ends excluded where asked)."""
    low, high = "(0" if open_low else "[0", "1)" if open_high else "1]"
    allowed = f"a number in {low}, {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(field, value, allowed)
    number = float(value)
    if not np.isfinite(number) or number < 0 or number > 1:
        raise InvalidInputError(field, value, allowed)
    if (open_low and number == 0) or (open_high and number == 1):
        raise InvalidInputError(field, value, allowed)
    return number


def positive(field: str, value: object, *, allow_zero: bool = False) -> float:
    """A finite real number > 0 (or >= 0)."""
    allowed = "a finite number >= 0" if allow_zero else "a finite number > 0"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise InvalidInputError(field, value, allowed)
    number = float(value)
    if number < 0 or (number == 0 and not allow_zero):
        raise InvalidInputError(field, value, allowed)
    return number


def rng(seed: object) -> np.random.Generator:
    """A numpy Generator from an int seed >= 0, an existing Generator, or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(count("seed", seed, 0))


def _range_text(minimum: int, maximum: int | None) -> str:
    return f"a whole number >= {minimum}" if maximum is None else f"a whole number from {minimum} to {maximum}"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
