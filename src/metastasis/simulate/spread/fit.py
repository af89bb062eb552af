"""Fitting a transition matrix, the two ways the literature does it.

1. :func:`fit_sequences` — from observed patient sequences of sites (longitudinal data, as in Newton et al.
   2015 for breast cancer): a Dirichlet-smoothed maximum-likelihood estimate with per-entry intervals.
2. :func:`fit_stationary` — to a target distribution (autopsy data, as in Newton et al. 2012): an *ensemble*
   of matrices whose stationary distribution equals the target. The problem is underdetermined (any matrix
   whose rows all equal the target already fits), so the ensemble and the spread of each entry, not a single
   matrix, are the result. Two ways to draw the ensemble are offered:

   * ``method="search"`` — Newton's procedure: start from an initial matrix, perturb its entries, renormalise
     the rows and keep a perturbation when it brings the stationary distribution closer to the target, until
     the L1 distance is below ``tol``; one independent search per member.
   * ``method="polytope"`` — every member satisfies the target *exactly*, drawn uniformly from the set of all
     such matrices on the allowed support (a convex polytope) by hit-and-run sampling. This shows how little
     the target alone determines, independent of any starting matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.linalg import null_space
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import _validate
from metastasis.simulate.spread.chain import MarkovChain, stationary_of

DEFAULT_PRIOR = 0.5
"""Pseudo-count added to every allowed transition: the Jeffreys prior Dirichlet(1/2) (statistical convention)."""


# --- fitting to observed sequences ---------------------------------------------------------------------


@dataclass(frozen=True)
class SequenceFit:
    """A transition matrix estimated from patient sequences, with per-entry intervals.

    Attributes
    ----------
    chain:
        The estimated chain (posterior-mean matrix under the Dirichlet prior).
    counts:
        Observed transition counts, rows = from.
    lower, upper:
        Equal-tailed ``confidence`` intervals of every entry (Beta marginals of the Dirichlet posterior);
        0 where a transition is not allowed.
    prior:
        The pseudo-count added to every allowed transition.
    """

    chain: MarkovChain
    counts: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    allowed: np.ndarray
    prior: float
    confidence: float
    n_sequences: int
    log_likelihood: float

    @property
    def sites(self) -> tuple[str, ...]:
        return self.chain.sites

    @property
    def n_transitions(self) -> int:
        return int(self.counts.sum())

    def table(self) -> pd.DataFrame:
        """One row per allowed transition: from, to, count, estimate, lower, upper."""
        i, j = np.nonzero(self.allowed)
        return pd.DataFrame(
            {
                "from": [self.sites[k] for k in i],
                "to": [self.sites[k] for k in j],
                "count": self.counts[i, j],
                "estimate": self.chain.matrix[i, j],
                "lower": self.lower[i, j],
                "upper": self.upper[i, j],
            }
        )


def fit_sequences(
    sequences: Iterable[Sequence[str]] | np.ndarray,
    sites: Sequence[str] | None = None,
    *,
    prior: float = DEFAULT_PRIOR,
    confidence: float = 0.95,
    allowed: np.ndarray | None = None,
) -> SequenceFit:
    """Estimate a transition matrix from observed sequences of sites (one sequence per patient).

    Every pair of consecutive sites in a sequence counts as one observed transition ``n_ij``. With a
    symmetric Dirichlet(``prior``) prior on each row (over its allowed destinations ``K_i``), the estimate is
    the posterior mean ``(n_ij + prior) / (n_i + K_i * prior)``; ``prior=0`` gives the plain maximum-likelihood
    estimate ``n_ij / n_i``. Intervals are the equal-tailed quantiles of the Beta posterior marginals
    ``Beta(n_ij + prior, n_i - n_ij + (K_i - 1) * prior)``; with the default prior 1/2 these are Jeffreys
    intervals, which have close to nominal frequentist coverage for binomial proportions (Brown et al. 2001).

    Parameters
    ----------
    sequences:
        Lists of site names (each a patient's sites in order of appearance, usually starting at the primary),
        or an integer array of site indices of shape (patients, length) such as :meth:`MarkovChain.simulate`
        returns (``sites`` is then required).
    sites:
        Site order of the fitted chain; default: order of first appearance in ``sequences``.
    prior:
        Dirichlet pseudo-count per allowed transition (>= 0; default 0.5).
    confidence:
        Interval level in (0, 1).
    allowed:
        Optional boolean matrix of allowed transitions (structural zeros stay zero; an observed transition
        that is not allowed is an error).

    Returns
    -------
    SequenceFit

    References
    ----------
    Anderson TW, Goodman LA. Statistical inference about Markov chains. Ann Math Stat. 1957;28(1):89-110.
    Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion. Stat Sci. 2001;16(2):101-133.

    Example
    -------
    >>> fit = fit_sequences([["breast", "bone", "liver"], ["breast", "bone", "lung"]])
    >>> fit.chain.sites
    ('breast', 'bone', 'liver', 'lung')
    >>> fit.chain.probability("breast", "bone")  # (2 + 0.5) / (2 + 4 * 0.5)
    0.625
    """
    prior = _validate.positive("prior", prior, allow_zero=True)
    confidence = _validate.probability("confidence", confidence, open_low=True, open_high=True)
    names, pairs, n_sequences = _pairs(sequences, sites)
    n = len(names)
    counts = np.bincount(pairs[:, 0] * n + pairs[:, 1], minlength=n * n).reshape(n, n).astype(float)
    mask = _allowed_mask(allowed, names)
    if np.any(counts[~mask] > 0):
        i, j = np.argwhere((counts > 0) & ~mask)[0]
        raise InvalidInputError(
            "sequences", f"{names[i]} -> {names[j]}", "only allowed transitions", detail="observed but not allowed"
        )
    k = mask.sum(axis=1)
    if np.any(k == 0):
        raise InvalidInputError("allowed", names[int(np.argmin(k))], "at least one allowed destination per site")
    row_totals = counts.sum(axis=1)
    if prior == 0 and np.any(row_totals == 0):
        unseen = names[int(np.flatnonzero(row_totals == 0)[0])]
        raise InvalidInputError(
            "prior", prior, "a pseudo-count > 0", detail=f"no transition leaves {unseen!r}, so its row is unknown"
        )
    a = np.where(mask, counts + prior, 0.0)
    total = a.sum(axis=1, keepdims=True)
    estimate = a / total
    b = total - a
    tail = (1.0 - confidence) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(a > 0, stats.beta.ppf(tail, np.maximum(a, 1e-300), np.maximum(b, 1e-300)), 0.0)
        upper = np.where(b > 0, stats.beta.ppf(1.0 - tail, np.maximum(a, 1e-300), np.maximum(b, 1e-300)), 1.0)
    # Jeffreys-interval convention (Brown et al. 2001): the bound at an observed extreme is the extreme itself.
    lower = np.where(mask & (counts > 0), np.nan_to_num(lower), 0.0)
    upper = np.where(mask & (counts < row_totals[:, None]), np.nan_to_num(upper, nan=1.0), np.where(mask, 1.0, 0.0))
    observed = counts > 0
    log_likelihood = float(np.sum(counts[observed] * np.log(estimate[observed])))
    return SequenceFit(
        chain=MarkovChain(sites=names, matrix=estimate),
        counts=counts,
        lower=lower,
        upper=upper,
        allowed=mask,
        prior=prior,
        confidence=confidence,
        n_sequences=n_sequences,
        log_likelihood=log_likelihood,
    )


def _pairs(
    sequences: Iterable[Sequence[str]] | np.ndarray, sites: Sequence[str] | None
) -> tuple[tuple[str, ...], np.ndarray, int]:
    """Site names and the (from, to) index pairs of every observed transition."""
    if isinstance(sequences, np.ndarray):
        if sites is None:
            raise InvalidInputError("sites", None, "the site names (required with an integer array of paths)")
        names = _validate.site_names(sites)
        if sequences.ndim != 2 or not np.issubdtype(sequences.dtype, np.integer):
            raise InvalidInputError("sequences", f"array {sequences.shape}", "an integer array (patients, length)")
        if sequences.size and (sequences.min() < 0 or sequences.max() >= len(names)):
            raise InvalidInputError("sequences", int(sequences.max()), f"site indices 0 to {len(names) - 1}")
        pairs = np.stack([sequences[:, :-1].ravel(), sequences[:, 1:].ravel()], axis=1).astype(np.intp)
        return names, pairs, int(sequences.shape[0])
    if isinstance(sequences, str | bytes) or not isinstance(sequences, Iterable):
        raise InvalidInputError("sequences", sequences, "a list of site sequences, e.g. [['breast', 'bone'], ...]")
    rows = [list(s) for s in sequences]
    order: list[str] = [] if sites is None else list(_validate.site_names(sites))
    known = set(order)
    pairs: list[tuple[int, int]] = []
    for row in rows:
        if isinstance(row, str) or any(not isinstance(x, str) for x in row):
            raise InvalidInputError("sequences", row, "sequences of site names")
        for name in row:
            if name not in known:
                if sites is not None:
                    raise InvalidInputError("sequences", name, order)
                order.append(name)
                known.add(name)
    index = {name: k for k, name in enumerate(order)}
    for row in rows:
        pairs.extend((index[a], index[b]) for a, b in pairwise(row))
    if not pairs:
        raise InvalidInputError("sequences", rows[:3], "at least one sequence with two or more sites")
    return _validate.site_names(order), np.array(pairs, dtype=np.intp), len(rows)


def _allowed_mask(allowed: object, names: tuple[str, ...]) -> np.ndarray:
    n = len(names)
    if allowed is None:
        return np.ones((n, n), dtype=bool)
    mask = np.asarray(allowed)
    if mask.shape != (n, n) or mask.dtype != bool:
        raise InvalidInputError("allowed", f"array {mask.shape} {mask.dtype}", f"a boolean array of shape ({n}, {n})")
    return mask.copy()


# --- fitting to a target distribution (ensembles) ------------------------------------------------------


@dataclass(frozen=True)
class EnsembleFit:
    """An ensemble of transition matrices whose stationary distribution matches a target.

    Attributes
    ----------
    matrices:
        Array (members, n, n) of row-stochastic matrices.
    residuals:
        L1 distance between each member's stationary distribution and the target.
    rejected:
        Members that did not reach ``tol`` within ``max_iter`` (search only; left out of ``matrices``).
    """

    sites: tuple[str, ...]
    target: np.ndarray
    method: str
    seed: int | None
    matrices: np.ndarray
    residuals: np.ndarray
    rejected: int = 0
    settings: dict[str, float | int | str] = field(default_factory=dict)

    @property
    def mean(self) -> np.ndarray:
        """Entry-wise ensemble mean (row-stochastic, since every member is)."""
        return self.matrices.mean(axis=0)

    @property
    def std(self) -> np.ndarray:
        """Entry-wise ensemble standard deviation: how much the target leaves each entry undetermined."""
        return self.matrices.std(axis=0, ddof=1) if len(self.matrices) > 1 else np.zeros_like(self.mean)

    def quantiles(self, q: float | Sequence[float]) -> np.ndarray:
        """Entry-wise ensemble quantiles."""
        return np.quantile(self.matrices, q, axis=0)

    @property
    def chain(self) -> MarkovChain:
        """The chain of the ensemble-mean matrix."""
        mean = self.mean
        return MarkovChain(sites=self.sites, matrix=mean / mean.sum(axis=1, keepdims=True))

    def entry(self, source: str, target: str) -> tuple[float, float]:
        """Ensemble mean and standard deviation of one transition probability."""
        i = _validate.site_index(self.sites, source, "source")
        j = _validate.site_index(self.sites, target, "target")
        return float(self.mean[i, j]), float(self.std[i, j])

    def singular_values(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of each ordered singular value across members.

        Newton et al. (2012) use these as a diagnostic of the ensemble's statistical variance.
        """
        values = np.linalg.svd(self.matrices, compute_uv=False)
        return values.mean(axis=0), values.std(axis=0)


Method = Literal["search", "polytope"]


def fit_stationary(
    target: Mapping[str, float],
    *,
    method: Method = "search",
    n_matrices: int = 1000,
    seed: int | None = None,
    initial: Mapping[str, float] | np.ndarray | None = None,
    allowed: np.ndarray | None = None,
    fixed_rows: Mapping[str, Mapping[str, float]] | None = None,
    tol: float = 1e-6,
    max_iter: int = 20_000,
    step: float = 0.1,
    burn_in: int | None = None,
) -> EnsembleFit:
    """An ensemble of transition matrices whose stationary distribution equals ``target``.

    Parameters
    ----------
    target:
        ``{site: share}`` in the chain's site order, shares >= 0 summing to 1 (a distribution over sites,
        e.g. autopsy involvement normalised to shares of all metastases). Sites with share 0 are transient:
        nothing enters them and their row must be given in ``fixed_rows``.
    method:
        ``"search"`` (Newton et al. 2012: perturb-and-accept from ``initial`` until within ``tol``) or
        ``"polytope"`` (exact, uniform over all matrices with this stationary distribution).
    n_matrices:
        Ensemble size (Newton et al. 2012 used 1000).
    seed:
        Int >= 0 for reproducible ensembles.
    initial:
        Search only: starting matrix, or one distribution used as every starting row (Newton started from
        the "generic" all-primaries distribution); default uniform over each row's allowed sites.
    allowed:
        Optional boolean matrix of allowed transitions (default: all; columns of zero-share sites are
        always closed).
    fixed_rows:
        ``{site: {site: probability}}`` rows held fixed (required for zero-share sites).
    tol:
        Search only: L1 distance between the stationary distribution and the target that counts as a fit.
    max_iter:
        Search only: perturbations tried per member before it is rejected.
    step:
        Search only: starting standard deviation of the multiplicative log-normal perturbation of each entry
        (adapted per member as the search proceeds). Larger steps let members wander further from
        ``initial``, so the ensemble spread depends on it as well as on the target.
    burn_in:
        Polytope only: hit-and-run steps per member (default ``10 * dimension + 100``).

    Returns
    -------
    EnsembleFit

    References
    ----------
    Newton PK, Mason J, Bethel K, et al. A stochastic Markov chain model to describe lung cancer growth and
    metastasis. PLoS One. 2012;7(4):e34637.
    Smith RL. Efficient Monte Carlo procedures for generating points uniformly distributed over bounded
    regions. Oper Res. 1984;32(6):1296-1308 (hit-and-run).

    Example
    -------
    >>> fit = fit_stationary({"a": 0.25, "b": 0.75}, method="polytope", n_matrices=50, seed=1)
    >>> bool(abs(fit.chain.stationary()["a"] - 0.25) < 1e-9)
    True
    """
    problem = _Problem.build(target, allowed, fixed_rows)
    n_matrices = _validate.count("n_matrices", n_matrices, 1)
    rng = _validate.rng(seed)
    if method == "search":
        tol = _validate.positive("tol", tol)
        max_iter = _validate.count("max_iter", max_iter, 1)
        start = problem.initial_matrix(initial)
        step = _validate.positive("step", step)
        matrices, residuals, rejected = _search(problem, start, n_matrices, tol, max_iter, step, rng)
        settings: dict[str, float | int | str] = {"tol": tol, "max_iter": max_iter, "step": step}
    elif method == "polytope":
        matrices, residuals, dimension, steps = _polytope(problem, n_matrices, burn_in, rng)
        rejected = 0
        settings = {"dimension": dimension, "burn_in": steps}
    else:
        raise InvalidInputError("method", method, ["search", "polytope"])
    matrices.setflags(write=False)
    residuals.setflags(write=False)
    return EnsembleFit(
        sites=problem.sites,
        target=problem.target,
        method=method,
        seed=seed,
        matrices=matrices,
        residuals=residuals,
        rejected=rejected,
        settings=settings,
    )


@dataclass(frozen=True)
class _Problem:
    """The checked fitting problem: sites, target, support mask and fixed rows."""

    sites: tuple[str, ...]
    target: np.ndarray
    mask: np.ndarray
    fixed: np.ndarray  # bool per row
    fixed_values: np.ndarray

    @classmethod
    def build(
        cls,
        target: Mapping[str, float],
        allowed: np.ndarray | None,
        fixed_rows: Mapping[str, Mapping[str, float]] | None,
    ) -> _Problem:
        if not isinstance(target, Mapping) or len(target) < 2:
            raise InvalidInputError("target", target, "a {site: share} mapping with at least two sites")
        sites = _validate.site_names(list(target))
        shares = np.array([_validate.probability("target", v) for v in target.values()])
        if abs(shares.sum() - 1.0) > 1e-6:
            raise InvalidInputError(
                "target",
                float(shares.sum()),
                "shares that sum to 1",
                detail="normalise percentages of patients to shares first (a modelling step to document)",
            )
        shares = shares / shares.sum()
        n = len(sites)
        mask = _allowed_mask(allowed, sites)
        mask[:, shares == 0] = False
        fixed = np.zeros(n, dtype=bool)
        values = np.zeros((n, n))
        if fixed_rows is not None:
            if not isinstance(fixed_rows, Mapping):
                raise InvalidInputError("fixed_rows", fixed_rows, "a {site: {site: probability}} mapping")
            for name, row in fixed_rows.items():
                i = _validate.site_index(sites, name, "fixed_rows")
                if not isinstance(row, Mapping):
                    raise InvalidInputError("fixed_rows", row, "a {site: probability} mapping per fixed site")
                for other, p in row.items():
                    values[i, _validate.site_index(sites, other, "fixed_rows")] = _validate.probability("fixed_rows", p)
                if abs(values[i].sum() - 1.0) > _validate.ROW_SUM_ATOL:
                    raise InvalidInputError("fixed_rows", dict(row), f"probabilities that sum to 1 (row {name!r})")
                if np.any(values[i, shares == 0] > 0) and shares[i] > 0:
                    raise InvalidInputError(
                        "fixed_rows", name, "rows of recurrent sites that never enter zero-share (transient) sites"
                    )
                fixed[i] = True
        transient_free = np.flatnonzero((shares == 0) & ~fixed)
        if transient_free.size:
            name = sites[int(transient_free[0])]
            raise InvalidInputError(
                "fixed_rows",
                name,
                "a fixed row for every site with target share 0",
                detail="its row does not affect the stationary distribution, so the target cannot determine it",
            )
        positive = shares > 0
        free = positive & ~fixed
        if np.any(mask[free].sum(axis=1) == 0):
            raise InvalidInputError("allowed", sites[int(np.flatnonzero(free)[0])], "at least one allowed transition")
        support = np.where(fixed[:, None], values > 0, mask)[np.ix_(positive, positive)]
        n_classes, _ = connected_components(csr_matrix(support), directed=True, connection="strong")
        if n_classes != 1:
            raise InvalidInputError(
                "allowed",
                "support splits the sites with positive share",
                "a support on which every site with positive share can reach every other",
            )
        return cls(sites=sites, target=shares, mask=mask, fixed=fixed, fixed_values=values)

    @property
    def positive(self) -> np.ndarray:
        return self.target > 0

    def initial_matrix(self, initial: Mapping[str, float] | np.ndarray | None) -> np.ndarray:
        n = len(self.sites)
        if initial is None:
            start = np.ones((n, n))
        elif isinstance(initial, Mapping):
            row = np.zeros(n)
            for name, p in initial.items():
                row[_validate.site_index(self.sites, name, "initial")] = _validate.probability("initial", p)
            start = np.tile(row, (n, 1))
        else:
            start = _validate.stochastic_matrix(initial, self.sites, "initial")
        start = np.where(self.mask, start, 0.0)
        sums = start.sum(axis=1, keepdims=True)
        if np.any(sums[~self.fixed & self.positive] == 0):
            raise InvalidInputError("initial", "a row with no weight on allowed sites", "positive allowed entries")
        start = np.divide(start, sums, out=np.zeros_like(start), where=sums > 0)
        start[self.fixed] = self.fixed_values[self.fixed]
        return start


def _residual(problem: _Problem, matrices: np.ndarray, order: int = 1) -> np.ndarray:
    """Distance (L1 by default) between each matrix's stationary distribution and the target."""
    keep = problem.positive
    block = matrices[:, keep][:, :, keep]
    return np.linalg.norm(stationary_of(block) - problem.target[keep], ord=order, axis=-1)


def _search(
    problem: _Problem,
    start: np.ndarray,
    members: int,
    tol: float,
    max_iter: int,
    step: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Newton-style perturb-and-accept search, all members at once (a (1+1) evolution strategy per member)."""
    free_rows = problem.positive & ~problem.fixed
    free = problem.mask & free_rows[:, None]
    current = np.repeat(start[None], members, axis=0)
    # Acceptance uses the Euclidean distance (smooth, so the search does not stall on the kinks of L1);
    # the stopping rule and the reported residuals use L1.
    error = _residual(problem, current, order=2)
    l1 = _residual(problem, current)
    scale = np.full(members, step)
    active = np.flatnonzero(l1 > tol)
    for _ in range(max_iter):
        if active.size == 0:
            break
        noise = rng.standard_normal((active.size, *start.shape))
        proposal = current[active] * np.exp(scale[active, None, None] * noise * free)
        proposal[:, free_rows] /= proposal[:, free_rows].sum(axis=-1, keepdims=True)
        new_error = _residual(problem, proposal, order=2)
        better = new_error < error[active]
        winners = active[better]
        current[winners] = proposal[better]
        error[winners] = new_error[better]
        l1[winners] = _residual(problem, proposal[better])
        # Adapt the step size per member (the one-fifth success rule, in its smooth form).
        scale[active] *= np.where(better, 1.5, 1.5 ** (-0.25))
        np.clip(scale, 1e-9, 2.0, out=scale)
        active = active[l1[active] > tol]
    accepted = l1 <= tol
    if not np.any(accepted):
        raise InvalidInputError(
            "target",
            dict(zip(problem.sites, problem.target.round(6).tolist(), strict=True)),
            "a target some matrix on the allowed support can reach",
            detail=f"no member came within tol={tol:g} in {max_iter} iterations",
        )
    return current[accepted], l1[accepted], int(members - accepted.sum())


def _polytope(
    problem: _Problem, members: int, burn_in: int | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Uniform draws from {P on the support: rows sum to 1, target P = target} by hit-and-run."""
    n = len(problem.sites)
    free_rows = problem.positive & ~problem.fixed
    free = problem.mask & free_rows[:, None]
    rows, cols = np.nonzero(free)
    n_vars = rows.size
    pi = problem.target
    # Equalities: one row sum per free row, one stationary-flow equation per site with positive share.
    row_ids = np.flatnonzero(free_rows)
    col_ids = np.flatnonzero(problem.positive)
    a_eq = np.zeros((row_ids.size + col_ids.size, n_vars))
    b_eq = np.zeros(row_ids.size + col_ids.size)
    for r, i in enumerate(row_ids):
        a_eq[r, rows == i] = 1.0
        b_eq[r] = 1.0
    fixed_flow = pi[problem.fixed] @ problem.fixed_values[problem.fixed] if problem.fixed.any() else np.zeros(n)
    for c, j in enumerate(col_ids):
        picked = cols == j
        a_eq[row_ids.size + c, picked] = pi[rows[picked]]
        b_eq[row_ids.size + c] = pi[j] - fixed_flow[j]
    basis = null_space(a_eq)
    dimension = basis.shape[1]
    # A strictly interior starting point: maximise the smallest entry (a linear programme).
    cost = np.zeros(n_vars + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-np.eye(n_vars), np.ones((n_vars, 1))])
    solution = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n_vars),
        A_eq=np.hstack([a_eq, np.zeros((a_eq.shape[0], 1))]),
        b_eq=b_eq,
        bounds=[(0, None)] * n_vars + [(0, 1)],
        method="highs",
    )
    if solution.status != 0 or solution.x[-1] <= 1e-12:
        raise InvalidInputError(
            "target",
            dict(zip(problem.sites, pi.round(6).tolist(), strict=True)),
            "a target reachable with every allowed transition positive",
            detail="no matrix on this support has the target as its stationary distribution",
        )
    x = np.repeat(solution.x[None, :-1], members, axis=0)
    steps = 10 * dimension + 100 if burn_in is None else _validate.count("burn_in", burn_in, 0)
    if dimension > 0:
        for _ in range(steps):
            direction = rng.standard_normal((members, dimension))
            direction /= np.linalg.norm(direction, axis=1, keepdims=True)
            d = direction @ basis.T
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = -x / d
            low = np.where(d > 0, bound, -np.inf).max(axis=1)
            high = np.where(d < 0, bound, np.inf).min(axis=1)
            t = low + (high - low) * rng.random(members)
            x += t[:, None] * d
        np.clip(x, 0.0, None, out=x)
    matrices = np.repeat(np.where(problem.fixed[:, None], problem.fixed_values, 0.0)[None], members, axis=0)
    matrices[:, rows, cols] = x
    matrices[:, free_rows] /= matrices[:, free_rows].sum(axis=-1, keepdims=True)
    return matrices, _residual(problem, matrices), dimension, steps
