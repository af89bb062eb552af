"""Monte Carlo trajectories agree with the exact results within sampling error; the sampler is exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.sampling import (
    AliasTable,
    empirical_distributions,
    first_visit_steps,
    site_orders,
)

P = np.array(
    [
        [0.0, 0.45, 0.25, 0.2, 0.1],
        [0.0, 0.4, 0.3, 0.2, 0.1],
        [0.0, 0.35, 0.35, 0.2, 0.1],
        [0.0, 0.3, 0.3, 0.3, 0.1],
        [0.0, 0.25, 0.25, 0.3, 0.2],
    ]
)
CHAIN = MarkovChain(sites=["breast", "bone", "lung", "liver", "brain"], matrix=P)


def test_paths_shape_start_and_reproducibility():
    a = CHAIN.simulate(start="breast", steps=5, patients=1000, seed=7)
    b = CHAIN.simulate(start="breast", steps=5, patients=1000, seed=7)
    c = CHAIN.simulate(start="breast", steps=5, patients=1000, seed=8)
    assert a.shape == (1000, 6) and np.issubdtype(a.dtype, np.integer)
    assert np.all(a[:, 0] == 0)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert CHAIN.simulate(start="bone", steps=0, patients=3, seed=1).tolist() == [[1], [1], [1]]


def test_paths_use_only_possible_transitions():
    paths = CHAIN.simulate(start="breast", steps=20, patients=20_000, seed=3)
    assert np.all(P[paths[:, :-1], paths[:, 1:]] > 0)
    assert not np.any(paths[:, 1:] == 0)  # nothing returns to the primary


def test_site_distribution_by_step_within_sampling_error():
    patients = 200_000
    paths = CHAIN.simulate(start="breast", steps=6, patients=patients, seed=11)
    simulated = empirical_distributions(paths, CHAIN.n_sites)
    exact = CHAIN.distributions("breast", 6)
    se = np.sqrt(exact * (1 - exact) / patients)
    assert np.all(np.abs(simulated - exact) <= 5 * se + 1e-12)


@pytest.mark.parametrize("target", ["bone", "lung", "liver", "brain"])
def test_mean_first_passage_within_sampling_error(target):
    steps = CHAIN.simulate_first_passage("breast", target, patients=100_000, seed=5)
    assert np.all(steps > 0)  # all arrive well within the default cap
    exact = CHAIN.mean_first_passage("breast", target)
    se = steps.std(ddof=1) / np.sqrt(steps.size)
    assert abs(steps.mean() - exact) < 4 * se


def test_return_time_by_simulation_matches_kac():
    steps = CHAIN.simulate_first_passage("brain", "brain", patients=100_000, seed=9)
    exact = 1.0 / CHAIN.stationary()["brain"]
    assert abs(steps.mean() - exact) < 4 * steps.std(ddof=1) / np.sqrt(steps.size)


def test_first_passage_not_reached_is_minus_one():
    chain = MarkovChain(sites=["a", "b", "c"], matrix=[[0, 0.5, 0.5], [0, 1, 0], [0, 0, 1]])
    steps = chain.simulate_first_passage("a", "b", patients=10_000, seed=1, max_steps=50)
    assert set(np.unique(steps)) == {-1, 1}
    assert abs(np.mean(steps == 1) - 0.5) < 0.03


def test_alias_table_is_exact_with_zero_entries():
    row = np.array([[0.5, 0.0, 0.25, 0.25, 0.0]])
    table = AliasTable.from_matrix(np.vstack([row] * 5))
    draws = table.step(np.zeros(400_000, dtype=np.intp), np.random.default_rng(2))
    counts = np.bincount(draws, minlength=5) / draws.size
    assert counts[1] == 0 and counts[4] == 0
    assert np.allclose(counts, row[0], atol=0.005)


def test_alias_table_degenerate_rows():
    table = AliasTable.from_matrix(np.eye(3))
    current = np.array([0, 1, 2] * 1000)
    assert np.array_equal(table.step(current, np.random.default_rng(0)), current)


def test_first_visit_steps_and_orders_on_hand_made_paths():
    paths = np.array([[0, 1, 1, 2], [0, 2, 1, 3], [0, 1, 2, 2], [0, 3, 3, 3]])
    visits = first_visit_steps(paths, 4)
    assert visits.tolist() == [[-1, 1, 3, -1], [-1, 2, 1, 3], [-1, 1, 2, -1], [-1, -1, -1, 1]]
    orders = site_orders(paths, ("breast", "bone", "lung", "liver"))
    assert orders == [(("bone", "lung"), 0.5), (("lung", "bone", "liver"), 0.25), (("liver",), 0.25)]


def test_empirical_distributions_counts():
    paths = np.array([[0, 1, 2], [0, 1, 1]])
    assert empirical_distributions(paths, 3).tolist() == [[1, 0, 0], [0, 1, 0], [0, 0.5, 0.5]]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 9), zeros=st.integers(0, 8))
def test_simulated_paths_never_take_impossible_transitions(seed, n, zeros):
    rng = np.random.default_rng(seed)
    matrix = rng.dirichlet(np.ones(n), size=n)
    for row in matrix:  # knock out some entries, keeping at least one per row
        row[rng.permutation(n)[: min(zeros, n - 1)]] = 0.0
    matrix /= matrix.sum(axis=1, keepdims=True)
    chain = MarkovChain(sites=[f"s{i}" for i in range(n)], matrix=matrix)
    paths = chain.simulate(start="s0", steps=8, patients=500, seed=seed)
    assert np.all(matrix[paths[:, :-1], paths[:, 1:]] > 0)
