"""Vectorised Monte Carlo of patient trajectories on a Markov chain (Walker/Vose alias sampling).

Each step draws one uniform number per patient and turns it into the next site in O(1) with an alias table:
the integer part of ``u * n`` picks a column, the fractional part decides between that column and its alias.
All patients advance together with numpy, so the cost per transition is a handful of array operations.

References
----------
Walker AJ. An efficient method for generating discrete random variables with general distributions.
ACM Trans Math Softw. 1977;3(3):253-256.
Vose MD. A linear algorithm for generating random numbers with a given distribution. IEEE Trans Softw Eng.
1991;17(9):972-975.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AliasTable:
    """Alias tables of every row of a transition matrix, flattened row-major (``row * n + column``)."""

    n: int
    threshold: np.ndarray
    alias: np.ndarray

    @classmethod
    def from_matrix(cls, matrix: np.ndarray) -> AliasTable:
        n = matrix.shape[0]
        threshold = np.empty((n, n))
        alias = np.empty((n, n), dtype=np.intp)
        for i in range(n):
            threshold[i], alias[i] = _vose(matrix[i])
        threshold.setflags(write=False)
        alias.setflags(write=False)
        return cls(n=n, threshold=threshold.ravel(), alias=alias.ravel())

    def step(self, current: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The next site of every patient, given their current sites."""
        scaled = rng.random(current.shape[0]) * self.n
        column = np.minimum(scaled.astype(np.intp), self.n - 1)
        flat = current * self.n + column
        return np.where(scaled - column < self.threshold[flat], column, self.alias[flat])


def _vose(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vose's alias table for one probability vector (zero-probability columns are never returned)."""
    n = row.size
    scaled = row / row.sum() * n
    threshold = np.zeros(n)
    alias = np.full(n, int(np.argmax(row)), dtype=np.intp)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        low, high = small.pop(), large.pop()
        threshold[low] = scaled[low]
        alias[low] = high
        scaled[high] -= 1.0 - scaled[low]
        (small if scaled[high] < 1.0 else large).append(high)
    for i in small + large:  # leftovers differ from 1 only by rounding
        threshold[i] = 1.0 if row[i] > 0 else 0.0
    return threshold, alias


def index_dtype(n_sites: int) -> np.dtype:
    """The smallest signed integer type that holds site indices 0 .. n_sites - 1 (memory bound: 1 byte per
    entry for up to 127 sites, so a million patients over 20 steps take 21 MB rather than 168 MB)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_sites - 1 <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def sample_paths(table: AliasTable, start: int, steps: int, patients: int, rng: np.random.Generator) -> np.ndarray:
    """Site indices of ``patients`` walkers over ``steps`` steps from ``start``: shape (patients, steps + 1)."""
    paths = np.empty((patients, steps + 1), dtype=index_dtype(table.n))
    paths[:, 0] = start
    current = np.full(patients, start, dtype=np.intp)
    for t in range(1, steps + 1):
        current = table.step(current, rng)
        paths[:, t] = current
    return paths


def sample_first_passage(
    table: AliasTable, start: int, target: int, patients: int, max_steps: int, rng: np.random.Generator
) -> np.ndarray:
    """Steps each walker needs to first reach ``target`` (at least one step); -1 when not reached in time.

    Only walkers still on their way are advanced, so the cost falls as walkers arrive.
    """
    result = np.full(patients, -1, dtype=np.int64)
    active = np.arange(patients)
    current = np.full(patients, start, dtype=np.intp)
    for t in range(1, max_steps + 1):
        current = table.step(current, rng)
        arrived = current == target
        result[active[arrived]] = t
        keep = ~arrived
        active, current = active[keep], current[keep]
        if active.size == 0:
            break
    return result


def empirical_distributions(paths: np.ndarray, n_sites: int) -> np.ndarray:
    """Share of walkers at each site after each step: shape (steps + 1, n_sites)."""
    steps = paths.shape[1]
    offsets = paths + n_sites * np.arange(steps)[None, :]
    counts = np.bincount(offsets.ravel(), minlength=steps * n_sites).reshape(steps, n_sites)
    return counts / paths.shape[0]


def first_visit_steps(paths: np.ndarray, n_sites: int) -> np.ndarray:
    """For every walker and site, the first step index (>= 1) at which it was there; -1 if never.

    Step 0 (the start) does not count as a visit, so the start site gets the step of its first return.
    """
    patients, width = paths.shape
    result = np.full((patients, n_sites), -1, dtype=np.int64)
    for t in range(width - 1, 0, -1):  # backwards, so earlier steps overwrite later ones
        result[np.arange(patients), paths[:, t]] = t
    return result


def _unique_rows(codes: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, axis=0, return_counts=True)`` for rows of digits below ``base``.

    Each row is read as one integer (first column most significant, so the integers sort as the rows do) when
    that fits in int64: sorting integers is fast and releases the GIL, where sorting rows holds it for a long
    time (which stalled the server's event loop).
    """
    width = codes.shape[1]
    if width == 0 or base**width >= 2**63:
        return np.unique(codes, axis=0, return_counts=True)
    weights = base ** np.arange(width - 1, -1, -1, dtype=np.int64)
    keys = codes.astype(np.int64) @ weights
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    return codes[first], counts


def site_orders(
    paths: np.ndarray, sites: tuple[str, ...] | list[str], top: int | None = None
) -> list[tuple[tuple[str, ...], float]]:
    """Orders in which walkers first reached sites (after the start), with the share of walkers per order.

    Ranked by share; ties keep the order of the site indices. The first site of each order is the walker's
    first metastatic site when the walk starts at the primary.
    """
    n_sites = len(sites)
    visits = first_visit_steps(paths, n_sites)
    never = paths.shape[1]  # later than any step
    ranked = np.argsort(np.where(visits < 0, never, visits), axis=1, kind="stable")
    reached = np.sort(np.where(visits < 0, never, visits), axis=1) < never
    codes = np.where(reached, ranked, n_sites)  # n_sites pads the unvisited tail
    unique, counts = _unique_rows(codes, n_sites + 1)
    order = np.argsort(-counts, kind="stable")
    if top is not None:
        order = order[:top]
    return [(tuple(sites[int(k)] for k in unique[i] if k < n_sites), float(counts[i] / paths.shape[0])) for i in order]
