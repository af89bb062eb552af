"""A discrete-time Markov chain over named anatomic sites, with exact analytic results and fast simulation.

The chain is the random-walk model of metastatic progression of Newton et al.: the walker starts at the
primary, and each step moves the disease to the next site with the probabilities in the row of its current
site. Time is counted in model steps, not in years (see :mod:`metastasis.simulate.spread.calendar` for an
explicit, assumption-flagged mapping to years).

Every analytic quantity is computed with linear algebra, never by sampling:

* stationary distribution: solve ``pi P = pi, sum(pi) = 1`` on the single closed class;
* k-step distribution: ``e_start P^k`` by repeated vector-matrix products;
* mean first-passage time to ``j``: solve ``(I - P_SS) m_S = 1`` on the states ``S`` that reach ``j`` with
  probability 1 (other starts get ``inf``);
* pathway probabilities: products of transition probabilities along the path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import _validate
from metastasis.simulate.spread.sampling import AliasTable, sample_first_passage, sample_paths

MAX_PATHWAYS = 2_000_000
"""Largest number of candidate paths :meth:`MarkovChain.pathways` enumerates (sites ** length)."""

Role = Literal["spreader", "sponge", "neutral"]


@dataclass(frozen=True)
class Pathway:
    """A sequence of sites and the probability that a walker follows it from its first site."""

    sites: tuple[str, ...]
    probability: float

    def __str__(self) -> str:
        return f"{' -> '.join(self.sites)}: {self.probability:.4f}"


@dataclass(frozen=True)
class SiteRole:
    """Spreader/sponge classification of one site (see :meth:`MarkovChain.spreader_sponge`)."""

    site: str
    outgoing: float
    incoming: float
    ratio: float
    role: Role


class MarkovChain:
    """A discrete-time Markov chain over named sites; rows of ``matrix`` are "from", columns are "to".

    Parameters
    ----------
    sites:
        Unique site names, e.g. ``["breast", "bone", "lung", "liver", "brain"]``.
    matrix:
        Square array of transition probabilities (one row and one column per site, in the order of
        ``sites``). Entries must be finite and >= 0 and every row must sum to 1 within 1e-8.

    Raises
    ------
    InvalidInputError
        When the names are not unique and non-empty, or the matrix is not a valid row-stochastic matrix.

    References
    ----------
    Newton PK, Mason J, Bethel K, et al. A stochastic Markov chain model to describe lung cancer growth and
    metastasis. PLoS One. 2012;7(4):e34637.
    Kemeny JG, Snell JL. Finite Markov Chains. Van Nostrand; 1960 (first-passage times).

    Example
    -------
    >>> chain = MarkovChain(sites=["a", "b"], matrix=[[0.5, 0.5], [0.2, 0.8]])
    >>> {k: round(v, 4) for k, v in chain.stationary().items()}
    {'a': 0.2857, 'b': 0.7143}
    >>> chain.mean_first_passage("a", "b")
    2.0
    """

    def __init__(self, sites: Sequence[str], matrix: object) -> None:
        self._sites = _validate.site_names(sites)
        array = _validate.stochastic_matrix(matrix, self._sites)
        array /= array.sum(axis=1, keepdims=True)  # remove the tolerated rounding slack
        array.setflags(write=False)
        self._matrix = array
        self._passage: dict[int, np.ndarray] = {}

    # --- construction and views ---------------------------------------------------------------------------

    @classmethod
    def from_dataframe(cls, frame: pd.DataFrame) -> MarkovChain:
        """A chain from a square DataFrame whose index (from) and columns (to) are the same site names."""
        if list(frame.index) != list(frame.columns):
            raise InvalidInputError(
                "matrix", f"rows {list(frame.index)} / columns {list(frame.columns)}", "the same sites, in order"
            )
        return cls(sites=[str(s) for s in frame.columns], matrix=frame.to_numpy(dtype=float))

    def to_dataframe(self) -> pd.DataFrame:
        """The transition matrix as a DataFrame (index = from, columns = to)."""
        return pd.DataFrame(self._matrix, index=list(self._sites), columns=list(self._sites))

    @property
    def sites(self) -> tuple[str, ...]:
        return self._sites

    @property
    def matrix(self) -> np.ndarray:
        """The transition matrix (read-only)."""
        return self._matrix

    @property
    def n_sites(self) -> int:
        return len(self._sites)

    def index(self, site: str, field: str = "site") -> int:
        """Position of ``site`` in :attr:`sites`; :class:`InvalidInputError` naming ``field`` otherwise."""
        return _validate.site_index(self._sites, site, field)

    def probability(self, source: str, target: str) -> float:
        """One-step transition probability from ``source`` to ``target``."""
        return float(self._matrix[self.index(source, "source"), self.index(target, "target")])

    def __repr__(self) -> str:
        return f"MarkovChain(sites={list(self._sites)!r})"

    # --- structure ----------------------------------------------------------------------------------------

    @cached_property
    def _components(self) -> tuple[np.ndarray, list[bool]]:
        graph = csr_matrix(self._matrix > 0)
        n_classes, labels = connected_components(graph, directed=True, connection="strong")
        closed = []
        for c in range(n_classes):
            members = labels == c
            closed.append(bool(np.all(self._matrix[np.ix_(members, ~members)] == 0)))
        return labels, closed

    def classes(self) -> list[tuple[tuple[str, ...], bool]]:
        """Communicating classes as ``(sites, closed)``; a closed class is recurrent, the others transient."""
        labels, closed = self._components
        return [
            (tuple(s for s, lab in zip(self._sites, labels, strict=True) if lab == c), closed[c])
            for c in range(len(closed))
        ]

    # --- analytic results ---------------------------------------------------------------------------------

    @cached_property
    def _stationary(self) -> np.ndarray:
        labels, closed = self._components
        closed_ids = [c for c, is_closed in enumerate(closed) if is_closed]
        if len(closed_ids) != 1:
            names = [s for s, _ in self.classes() if _]
            raise InvalidInputError(
                "matrix",
                f"{len(closed_ids)} closed classes {names}",
                "a chain with exactly one closed (recurrent) class",
                detail="the stationary distribution is not unique",
            )
        members = np.flatnonzero(labels == closed_ids[0])
        block = self._matrix[np.ix_(members, members)]
        pi = np.zeros(self.n_sites)
        pi[members] = stationary_of(block)
        pi.setflags(write=False)
        return pi

    def stationary_array(self) -> np.ndarray:
        """The stationary distribution as an array in site order (see :meth:`stationary`)."""
        return self._stationary

    def stationary(self) -> dict[str, float]:
        """The unique stationary distribution ``pi`` (``pi P = pi``), as ``{site: probability}``.

        Transient sites (for example a primary the walker never returns to) get probability 0.

        Raises
        ------
        InvalidInputError
            When the chain has more than one closed class, so that the distribution is not unique.
        """
        return self._as_dict(self._stationary)

    def _initial(self, start: str | Mapping[str, float]) -> np.ndarray:
        if isinstance(start, str):
            vector = np.zeros(self.n_sites)
            vector[self.index(start, "start")] = 1.0
            return vector
        if not isinstance(start, Mapping):
            raise InvalidInputError("start", start, [*self._sites, "or a {site: probability} mapping"])
        vector = np.zeros(self.n_sites)
        for site, weight in start.items():
            vector[self.index(site, "start")] = _validate.probability("start", weight)
        if abs(vector.sum() - 1.0) > _validate.ROW_SUM_ATOL:
            raise InvalidInputError("start", dict(start), "probabilities that sum to 1")
        return vector

    def distributions(self, start: str | Mapping[str, float], steps: int) -> np.ndarray:
        """Site distributions after 0, 1, ..., ``steps`` steps: array of shape (steps + 1, n_sites)."""
        steps = _validate.count("steps", steps, 0)
        out = np.empty((steps + 1, self.n_sites))
        out[0] = self._initial(start)
        for k in range(1, steps + 1):
            out[k] = out[k - 1] @ self._matrix
        return out

    def distribution(self, start: str | Mapping[str, float], steps: int) -> dict[str, float]:
        """Probability of being at each site after ``steps`` steps from ``start`` (a site or a distribution).

        Example
        -------
        >>> chain = MarkovChain(sites=["a", "b"], matrix=[[0.5, 0.5], [0.2, 0.8]])
        >>> chain.distribution(start="a", steps=1)
        {'a': 0.5, 'b': 0.5}
        """
        return self._as_dict(self.distributions(start, steps)[-1])

    def _can_reach(self, target: int) -> np.ndarray:
        """Sites from which ``target`` can be reached in one or more steps (``target`` itself included)."""
        positive = self._matrix > 0
        reaches = np.zeros(self.n_sites, dtype=bool)
        reaches[target] = True
        frontier = [target]
        while frontier:
            new = positive[:, frontier].any(axis=1) & ~reaches
            reaches |= new
            frontier = list(np.flatnonzero(new))
        return reaches

    def _passage_to(self, target: int) -> np.ndarray:
        """Mean steps to first reach ``target`` from every site (at least one step; inf if not certain)."""
        if target in self._passage:
            return self._passage[target]
        positive = self._matrix > 0
        others = np.arange(self.n_sites) != target
        # A walk can get stuck if, before arriving, it can enter a site from which the target is unreachable.
        stuck = ~self._can_reach(target)
        frontier = list(np.flatnonzero(stuck))
        while frontier:
            new = positive[:, frontier].any(axis=1) & ~stuck & others
            stuck |= new
            frontier = list(np.flatnonzero(new))
        times = np.full(self.n_sites, np.inf)
        idx = np.flatnonzero(others & ~stuck)
        if idx.size:
            block = np.eye(idx.size) - self._matrix[np.ix_(idx, idx)]
            times[idx] = np.linalg.solve(block, np.ones(idx.size))
        successors = np.flatnonzero(positive[target] & others)
        if np.all(np.isfinite(times[successors])):
            times[target] = 1.0 + float(self._matrix[target, successors] @ times[successors])
        times.setflags(write=False)
        self._passage[target] = times
        return times

    def mean_first_passage(self, source: str, target: str) -> float:
        """Expected number of steps for a walker starting at ``source`` to first reach ``target``.

        The count starts at 1 (a walker must move at least once), so ``mean_first_passage(a, a)`` is the mean
        return time to ``a``. The result is ``inf`` when the walker reaches ``target`` with probability < 1.

        Example
        -------
        >>> chain = MarkovChain(sites=["a", "b"], matrix=[[0.75, 0.25], [0.5, 0.5]])
        >>> chain.mean_first_passage("a", "b")
        4.0
        """
        i = self.index(source, "source")
        j = self.index(target, "target")
        return float(self._passage_to(j)[i])

    def mean_first_passage_matrix(self) -> np.ndarray:
        """All mean first-passage times: entry (i, j) = expected steps from site i to first reach site j."""
        return np.column_stack([self._passage_to(j) for j in range(self.n_sites)])

    def reach_probability(self, source: str, target: str) -> float:
        """Probability that a walker from ``source`` ever reaches ``target`` (in one or more steps)."""
        i = self.index(source, "source")
        j = self.index(target, "target")
        idx = np.flatnonzero(self._can_reach(j) & (np.arange(self.n_sites) != j))
        h = np.zeros(self.n_sites)
        if idx.size:
            block = np.eye(idx.size) - self._matrix[np.ix_(idx, idx)]
            h[idx] = np.linalg.solve(block, self._matrix[idx, j])
        h[j] = self._matrix[j, j] + self._matrix[j, idx] @ h[idx]
        return float(np.clip(h[i], 0.0, 1.0))

    def pathways(self, start: str, length: int = 2, top: int | None = 10) -> list[Pathway]:
        """The most likely paths of ``length`` steps from ``start``, ranked by probability.

        A path's probability is the product of its transition probabilities (for two steps
        ``P[start, i] * P[i, j]``); paths of probability 0 are left out. Ties keep site order.
        """
        origin = self.index(start, "start")
        length = _validate.count("length", length, 1)
        if self.n_sites**length > MAX_PATHWAYS:
            raise InvalidInputError(
                "length", length, f"at most {int(np.log(MAX_PATHWAYS) // np.log(self.n_sites))} for this chain"
            )
        if top is not None:
            top = _validate.count("top", top, 1)
        probs = self._matrix[origin]
        for _ in range(length - 1):
            probs = (probs[:, None] * self._matrix).ravel()
        order = np.argsort(-probs, kind="stable")
        order = order[probs[order] > 0]
        if top is not None:
            order = order[:top]
        result = []
        for flat in order:
            idx = np.unravel_index(int(flat), (self.n_sites,) * length)
            sites = (self._sites[origin], *(self._sites[int(k)] for k in idx))
            result.append(Pathway(sites=sites, probability=float(probs[flat])))
        return result

    def spreader_sponge(self, among: Sequence[str] | None = None) -> dict[str, SiteRole]:
        """Classify each site as a spreader or a sponge from its transition probabilities.

        Parameters
        ----------
        among:
            Sites whose mutual transitions are counted (default: all). Passing the metastatic sites only
            leaves out the primary, whose outflow would otherwise count as inflow to every site it seeds.

        Definition used here (Newton et al. 2013 describe the idea; their exact operational definition was
        not checked and this is a reconstruction): ``outgoing`` is the total probability of leaving the site,
        ``sum_{j != i} P[i, j]``; ``incoming`` is the total probability of arriving from other sites,
        ``sum_{j != i} P[j, i]``. A site whose ratio outgoing / incoming exceeds 1 sends more than it receives
        (a *spreader*); below 1 it absorbs more than it sends (a *sponge*); exactly 1 is *neutral*. A site
        that nothing enters (a primary that is never re-seeded) has ratio ``inf`` and is a spreader.

        Self-transitions are excluded on both sides. Weighting by the stationary distribution would make the
        two totals equal for every site (flow balance), which is why the unweighted sums are used.
        """
        if among is None:
            keep = np.arange(self.n_sites)
        else:
            if isinstance(among, str) or not isinstance(among, Sequence) or len(among) < 2:
                raise InvalidInputError("among", among, "a list of at least two site names")
            keep = np.array(sorted({self.index(site, "among") for site in among}))
        matrix = self._matrix[np.ix_(keep, keep)]
        off = matrix - np.diag(np.diag(matrix))
        outgoing = off.sum(axis=1)
        incoming = off.sum(axis=0)
        roles: dict[str, SiteRole] = {}
        for i, site in enumerate(self._sites[k] for k in keep):
            out_i, in_i = float(outgoing[i]), float(incoming[i])
            ratio = out_i / in_i if in_i > 0 else np.inf if out_i > 0 else 1.0
            role: Role = (
                "neutral" if np.isclose(ratio, 1.0, rtol=1e-9, atol=0) else "spreader" if ratio > 1 else "sponge"
            )
            roles[site] = SiteRole(site=site, outgoing=out_i, incoming=in_i, ratio=float(ratio), role=role)
        return roles

    # --- simulation ---------------------------------------------------------------------------------------

    @cached_property
    def _alias(self) -> AliasTable:
        return AliasTable.from_matrix(self._matrix)

    def simulate(
        self, start: str, steps: int, patients: int, seed: int | np.random.Generator | None = None
    ) -> np.ndarray:
        """Monte Carlo trajectories of ``patients`` walkers for ``steps`` steps from ``start``.

        Parameters
        ----------
        start:
            Site every walker starts from (usually the primary).
        steps:
            Number of transitions per walker (>= 0).
        patients:
            Number of walkers (>= 1).
        seed:
            An int >= 0 for reproducible results, a :class:`numpy.random.Generator`, or None.

        Returns
        -------
        numpy.ndarray
            Integer array of shape (patients, steps + 1): column 0 is ``start``, column k the site index
            after k steps (indices into :attr:`sites`). The dtype is the smallest signed integer that holds
            the indices (``int8`` up to 127 sites), which keeps large simulations memory-bound; cast with
            ``.astype(int)`` before arithmetic that could overflow.

        Example
        -------
        >>> chain = MarkovChain(sites=["a", "b"], matrix=[[0.0, 1.0], [1.0, 0.0]])
        >>> chain.simulate(start="a", steps=3, patients=2, seed=1).tolist()
        [[0, 1, 0, 1], [0, 1, 0, 1]]
        """
        origin = self.index(start, "start")
        steps = _validate.count("steps", steps, 0)
        patients = _validate.count("patients", patients, 1)
        return sample_paths(self._alias, origin, steps, patients, _validate.rng(seed))

    def simulate_first_passage(
        self,
        source: str,
        target: str,
        patients: int,
        seed: int | np.random.Generator | None = None,
        max_steps: int = 10_000,
    ) -> np.ndarray:
        """Simulated steps to first reach ``target`` from ``source`` per walker (-1: not within ``max_steps``)."""
        i = self.index(source, "source")
        j = self.index(target, "target")
        patients = _validate.count("patients", patients, 1)
        max_steps = _validate.count("max_steps", max_steps, 1)
        return sample_first_passage(self._alias, i, j, patients, max_steps, _validate.rng(seed))

    # --- helpers ------------------------------------------------------------------------------------------

    def _as_dict(self, vector: np.ndarray) -> dict[str, float]:
        return {site: float(p) for site, p in zip(self._sites, vector, strict=True)}


def stationary_of(matrix: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible stochastic matrix, or of a stack of them (..., n, n).

    Solves ``(P^T - I) pi = 0`` with one equation replaced by ``sum(pi) = 1``; the replaced equation is
    redundant because the rows of ``P^T - I`` sum to zero, so the system is non-singular whenever the
    stationary distribution is unique.
    """
    n = matrix.shape[-1]
    system = np.swapaxes(matrix, -1, -2) - np.eye(n)
    system[..., -1, :] = 1.0
    rhs = np.zeros(matrix.shape[:-1])
    rhs[..., -1] = 1.0
    pi = np.linalg.solve(system, rhs[..., None])[..., 0]
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum(axis=-1, keepdims=True)
