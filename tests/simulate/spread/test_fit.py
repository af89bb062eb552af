"""Fitting: recover a known matrix from synthetic sequences; ensembles that match a target distribution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.fit import fit_sequences, fit_stationary

SITES = ["breast", "bone", "lung", "liver", "brain"]
TRUE = np.array(
    [
        [0.0, 0.40, 0.25, 0.20, 0.15],
        [0.0, 0.50, 0.20, 0.20, 0.10],
        [0.0, 0.30, 0.40, 0.20, 0.10],
        [0.0, 0.25, 0.25, 0.40, 0.10],
        [0.0, 0.20, 0.30, 0.20, 0.30],
    ]
)


@pytest.fixture(scope="module")
def synthetic_paths() -> np.ndarray:
    return MarkovChain(sites=SITES, matrix=TRUE).simulate(start="breast", steps=10, patients=20_000, seed=42)


def test_fit_recovers_a_known_matrix_from_synthetic_sequences(synthetic_paths):
    fit = fit_sequences(synthetic_paths, sites=SITES, allowed=TRUE > 0)
    assert fit.chain.sites == tuple(SITES)
    assert np.abs(fit.chain.matrix - TRUE).max() < 0.01
    assert np.all(fit.chain.matrix[TRUE == 0] == 0)  # structural zeros stay zero
    assert fit.n_sequences == 20_000 and fit.n_transitions == 200_000
    # 95% intervals: most true entries inside, and every interval contains its estimate.
    positive = TRUE > 0
    covered = (fit.lower <= TRUE) & (fit.upper >= TRUE)
    assert covered[positive].mean() >= 0.8
    assert np.all((fit.lower <= fit.chain.matrix) & (fit.chain.matrix <= fit.upper))


def test_interval_coverage_over_replicates():
    """Across independent data sets each 95% interval should cover the truth about 95% of the time."""
    chain = MarkovChain(sites=SITES, matrix=TRUE)
    hits, total = 0, 0
    for seed in range(20):
        paths = chain.simulate(start="breast", steps=4, patients=500, seed=seed)
        fit = fit_sequences(paths, sites=SITES, allowed=TRUE > 0)
        inside = (fit.lower <= TRUE) & (fit.upper >= TRUE)
        hits += int(inside[TRUE > 0].sum())
        total += int((TRUE > 0).sum())
    assert 0.88 <= hits / total <= 0.99


def test_fit_from_named_sequences_hand_counts():
    sequences = [["a", "b", "a", "a"]]  # a->b, b->a, a->a
    mle = fit_sequences(sequences, prior=0.0)
    assert mle.chain.sites == ("a", "b")
    assert mle.counts.tolist() == [[1, 1], [1, 0]]
    assert mle.chain.matrix.tolist() == [[0.5, 0.5], [1.0, 0.0]]
    smoothed = fit_sequences(sequences, prior=0.5)  # (n + 0.5) / (n_i + 2 * 0.5)
    assert smoothed.chain.matrix[1].tolist() == pytest.approx([0.75, 0.25])
    assert smoothed.lower[1, 1] == 0.0  # an unobserved transition's interval starts at 0
    table = smoothed.table()
    assert list(table.columns) == ["from", "to", "count", "estimate", "lower", "upper"]
    assert len(table) == 4
    assert mle.log_likelihood == pytest.approx(2 * np.log(0.5))


def test_fit_with_site_order_and_unvisited_sites():
    fit = fit_sequences([["breast", "bone"], ["breast", "liver"]], sites=["breast", "bone", "liver", "brain"])
    assert fit.chain.sites == ("breast", "bone", "liver", "brain")
    assert fit.chain.matrix[3] == pytest.approx([0.25] * 4)  # no data: the prior (uniform)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sequences": []}, "sequences"),
        ({"sequences": [["a"]]}, "sequences"),
        ({"sequences": "ab"}, "sequences"),
        ({"sequences": [["a", "b"]], "sites": ["a"]}, "sequences"),
        ({"sequences": [["a", "b"]], "prior": -1}, "prior"),
        ({"sequences": [["a", "b"]], "prior": 0}, "prior"),  # no transition leaves b
        ({"sequences": [["a", "b"]], "confidence": 1.0}, "confidence"),
        ({"sequences": [["a", "b"]], "allowed": np.array([[True, False], [True, True]])}, "sequences"),
        ({"sequences": np.zeros((3, 2), dtype=int)}, "sites"),
        ({"sequences": np.full((3, 2), 5), "sites": ["a", "b"]}, "sequences"),
    ],
)
def test_fit_sequences_errors(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        fit_sequences(**kwargs)
    assert info.value.field == field


# --- ensembles to a target distribution --------------------------------------------------------------------

TARGET = {"breast": 0.0, "bone": 0.36, "lung": 0.27, "liver": 0.21, "brain": 0.16}
FIRST = {"breast": 0.0, "bone": 0.46, "lung": 0.22, "liver": 0.19, "brain": 0.13}
SHARES = np.array([0.0, 0.36, 0.27, 0.21, 0.16])


def _stationary(matrix: np.ndarray) -> np.ndarray:
    return MarkovChain(sites=SITES, matrix=matrix).stationary_array()


def test_newton_search_ensemble_matches_target_within_tolerance():
    fit = fit_stationary(
        TARGET, method="search", n_matrices=200, seed=1, initial=FIRST, fixed_rows={"breast": FIRST}, tol=1e-6
    )
    assert fit.matrices.shape == (200, 5, 5) and fit.rejected == 0
    for matrix in fit.matrices[:20]:
        assert np.abs(_stationary(matrix) - SHARES).sum() <= 1e-6
    assert np.all(fit.residuals <= 1e-6)
    assert np.allclose(fit.matrices[:, 0], [0.0, 0.46, 0.22, 0.19, 0.13])  # the fixed row
    assert np.all(fit.matrices[:, :, 0] == 0)  # nothing enters the zero-share primary
    assert np.all(fit.std[1:, 1:] > 0)  # the target leaves every metastatic entry uncertain
    assert np.abs(fit.chain.stationary_array() - SHARES).sum() < 1e-5
    again = fit_stationary(
        TARGET, method="search", n_matrices=200, seed=1, initial=FIRST, fixed_rows={"breast": FIRST}, tol=1e-6
    )
    assert np.array_equal(fit.matrices, again.matrices)


def test_polytope_ensemble_is_exact_and_uniformly_spread():
    fit = fit_stationary(TARGET, method="polytope", n_matrices=300, seed=2, fixed_rows={"breast": FIRST})
    assert fit.settings["dimension"] == 9  # 16 free entries - 4 row sums - 3 independent flow equations
    stationary = np.array([_stationary(m) for m in fit.matrices])
    assert np.abs(stationary - SHARES).max() < 1e-9
    assert np.all(fit.matrices >= 0) and np.allclose(fit.matrices.sum(axis=2), 1.0)
    assert len({m.tobytes() for m in fit.matrices}) == 300
    mean, sd = fit.entry("bone", "lung")
    assert 0 < mean < 1 and sd > 0.05


def test_polytope_respects_a_support_mask():
    allowed = np.ones((5, 5), dtype=bool)
    allowed[1, 4] = allowed[4, 4] = False  # no bone -> brain, no brain -> brain
    fit = fit_stationary(
        TARGET, method="polytope", n_matrices=50, seed=3, allowed=allowed, fixed_rows={"breast": FIRST}
    )
    assert np.all(fit.matrices[:, 1, 4] == 0) and np.all(fit.matrices[:, 4, 4] == 0)
    assert np.abs(np.array([_stationary(m) for m in fit.matrices]) - SHARES).max() < 1e-9


def test_ensemble_diagnostics():
    fit = fit_stationary({"a": 0.5, "b": 0.5}, method="polytope", n_matrices=100, seed=4)
    means, _ = fit.singular_values()
    assert means.shape == (2,) and means[0] == pytest.approx(1.0, abs=0.5)
    assert fit.quantiles([0.05, 0.95]).shape == (2, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"target": {"a": 0.5, "b": 0.6}}, "target"),
        ({"target": {"a": 1.0}}, "target"),
        ({"target": {"a": 0.0, "b": 1.0}}, "fixed_rows"),  # zero share needs a fixed row
        ({"target": {"a": 0.5, "b": 0.5}, "method": "mcmc"}, "method"),
        ({"target": {"a": 0.5, "b": 0.5}, "allowed": np.eye(2, dtype=bool)}, "allowed"),
        ({"target": {"a": 0.5, "b": 0.5}, "n_matrices": 0}, "n_matrices"),
        ({"target": {"a": 0.5, "b": 0.5}, "fixed_rows": {"c": {"a": 1.0}}}, "fixed_rows"),
        ({"target": {"a": 0.5, "b": 0.5}, "fixed_rows": {"a": {"a": 0.5}}}, "fixed_rows"),
        ({"target": {"a": 0.5, "b": 0.5}, "tol": 0}, "tol"),
    ],
)
def test_fit_stationary_errors(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        fit_stationary(**kwargs)
    assert info.value.field == field


@settings(max_examples=25, deadline=None)
@given(weights=st.lists(st.floats(0.05, 1.0), min_size=2, max_size=5), seed=st.integers(0, 1000))
def test_polytope_members_always_hit_any_positive_target(weights, seed):
    shares = np.array(weights) / sum(weights)
    target = {f"s{i}": float(p) for i, p in enumerate(shares)}
    target[f"s{len(weights) - 1}"] = 1.0 - sum(list(target.values())[:-1])
    fit = fit_stationary(target, method="polytope", n_matrices=20, seed=seed, burn_in=50)
    names = list(target)
    for matrix in fit.matrices:
        pi = MarkovChain(sites=names, matrix=matrix).stationary_array()
        assert np.abs(pi - np.array(list(target.values()))).max() < 1e-8
