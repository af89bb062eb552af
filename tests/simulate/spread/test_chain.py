"""MarkovChain: validation at construction and exact analytic results against hand-derived values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import MarkovChain

# Two-state chain P = [[1-a, a], [b, 1-b]]: pi = (b, a) / (a + b), MFPT 0->1 = 1/a, 1->0 = 1/b.
A, B = 0.3, 0.1
TWO = MarkovChain(sites=["x", "y"], matrix=[[1 - A, A], [B, 1 - B]])

# A transient primary feeding a two-site recurrent class.
PRIMARY = MarkovChain(
    sites=["breast", "bone", "liver"],
    matrix=[[0.0, 0.6, 0.4], [0.0, 0.5, 0.5], [0.0, 0.2, 0.8]],
)


def test_public_api_as_in_the_issue():
    P = np.array(
        [
            [0.0, 0.4, 0.3, 0.2, 0.1],
            [0.0, 0.5, 0.2, 0.2, 0.1],
            [0.0, 0.3, 0.4, 0.2, 0.1],
            [0.0, 0.3, 0.3, 0.3, 0.1],
            [0.0, 0.2, 0.3, 0.3, 0.2],
        ]
    )
    chain = MarkovChain(sites=["breast", "bone", "lung", "liver", "brain"], matrix=P)
    pi = chain.stationary()
    assert set(pi) == {"breast", "bone", "lung", "liver", "brain"}
    assert math.isclose(sum(pi.values()), 1.0)
    assert isinstance(chain.mean_first_passage("breast", "brain"), float)
    assert math.isclose(sum(chain.distribution(start="breast", steps=3).values()), 1.0)
    paths = chain.simulate(start="breast", steps=5, patients=1000, seed=1)
    assert paths.shape == (1000, 6)
    assert np.issubdtype(paths.dtype, np.integer)


def test_two_state_stationary_and_passage_times():
    pi = TWO.stationary()
    assert pi["x"] == pytest.approx(0.25) and pi["y"] == pytest.approx(0.75)
    assert TWO.mean_first_passage("x", "y") == pytest.approx(1 / A)
    assert TWO.mean_first_passage("y", "x") == pytest.approx(1 / B)
    # Kac: the mean return time is 1 / pi.
    assert TWO.mean_first_passage("x", "x") == pytest.approx(4.0)
    assert TWO.mean_first_passage("y", "y") == pytest.approx(4.0 / 3.0)


@pytest.mark.parametrize("k", [0, 1, 2, 5, 20])
def test_two_state_k_step_closed_form(k):
    # p_xx(k) = pi_x + pi_y (1 - a - b)^k
    expected = 0.25 + 0.75 * (1 - A - B) ** k
    assert TWO.distribution(start="x", steps=k)["x"] == pytest.approx(expected)


def test_symmetric_three_state_chain():
    chain = MarkovChain(sites=["a", "b", "c"], matrix=[[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    assert chain.stationary() == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    expected = np.array([[3, 2, 2], [2, 3, 2], [2, 2, 3]], dtype=float)  # geometric(1/2) off the diagonal
    assert np.allclose(chain.mean_first_passage_matrix(), expected)


def test_transient_primary_has_zero_stationary_mass_and_finite_passage():
    pi = PRIMARY.stationary()
    assert pi == pytest.approx({"breast": 0.0, "bone": 2 / 7, "liver": 5 / 7})
    # From liver the walker reaches bone with prob 0.2 per step (mean 5); from breast 1 + 0.4 * 5.
    assert PRIMARY.mean_first_passage("liver", "bone") == pytest.approx(5.0)
    assert PRIMARY.mean_first_passage("breast", "bone") == pytest.approx(3.0)
    assert PRIMARY.mean_first_passage("bone", "breast") == math.inf
    assert PRIMARY.mean_first_passage("breast", "breast") == math.inf
    assert PRIMARY.reach_probability("bone", "breast") == 0.0
    assert PRIMARY.reach_probability("breast", "liver") == pytest.approx(1.0)
    classes = dict(PRIMARY.classes())
    assert classes[("breast",)] is False and classes[("bone", "liver")] is True


def test_two_closed_classes_have_no_unique_stationary_distribution():
    ruin = MarkovChain(sites=["lost", "mid", "won"], matrix=[[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]])
    with pytest.raises(InvalidInputError, match="closed"):
        ruin.stationary()
    assert ruin.reach_probability("mid", "lost") == pytest.approx(0.5)
    assert ruin.mean_first_passage("mid", "lost") == math.inf
    assert ruin.mean_first_passage("lost", "lost") == pytest.approx(1.0)


def test_pathways_are_products_ranked_with_stable_ties():
    one = PRIMARY.pathways("breast", length=1)
    assert [(p.sites, round(p.probability, 10)) for p in one] == [
        (("breast", "bone"), 0.6),
        (("breast", "liver"), 0.4),
    ]
    two = PRIMARY.pathways("breast", length=2, top=None)
    assert [(p.sites, round(p.probability, 10)) for p in two] == [
        (("breast", "liver", "liver"), 0.32),
        (("breast", "bone", "bone"), 0.3),
        (("breast", "bone", "liver"), 0.3),
        (("breast", "liver", "bone"), 0.08),
    ]
    assert len(PRIMARY.pathways("breast", length=2, top=2)) == 2
    assert str(one[0]) == "breast -> bone: 0.6000"


def test_spreader_sponge_hand_computed():
    chain = MarkovChain(sites=["a", "b", "c"], matrix=[[0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.4, 0.4, 0.2]])
    roles = chain.spreader_sponge()
    # out = 1 - diagonal; in = column sum without the diagonal
    assert roles["a"].outgoing == pytest.approx(0.8) and roles["a"].incoming == pytest.approx(0.5)
    assert roles["a"].ratio == pytest.approx(1.6) and roles["a"].role == "spreader"
    assert roles["b"].ratio == pytest.approx(0.2 / 0.9) and roles["b"].role == "sponge"
    assert roles["c"].ratio == pytest.approx(2.0) and roles["c"].role == "spreader"


def test_spreader_sponge_among_a_subset_and_primary_as_spreader():
    roles = PRIMARY.spreader_sponge()
    assert roles["breast"].ratio == math.inf and roles["breast"].role == "spreader"
    among = PRIMARY.spreader_sponge(among=["bone", "liver"])
    assert set(among) == {"bone", "liver"}
    assert among["bone"].ratio == pytest.approx(0.5 / 0.2) and among["bone"].role == "spreader"
    with pytest.raises(InvalidInputError):
        PRIMARY.spreader_sponge(among=["bone"])


def test_distribution_from_a_starting_distribution():
    result = PRIMARY.distribution(start={"bone": 0.5, "liver": 0.5}, steps=1)
    assert result == pytest.approx({"breast": 0.0, "bone": 0.35, "liver": 0.65})
    with pytest.raises(InvalidInputError):
        PRIMARY.distribution(start={"bone": 0.5}, steps=1)


def test_dataframe_round_trip():
    frame = PRIMARY.to_dataframe()
    assert list(frame.index) == ["breast", "bone", "liver"]
    again = MarkovChain.from_dataframe(frame)
    assert np.array_equal(again.matrix, PRIMARY.matrix)
    with pytest.raises(InvalidInputError):
        MarkovChain.from_dataframe(frame.iloc[:, ::-1])


def test_matrix_is_read_only():
    with pytest.raises(ValueError, match="read-only"):
        PRIMARY.matrix[0, 0] = 1.0


# --- validation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sites", "matrix", "field", "needle"),
    [
        (["a", "b"], [[0.5, 0.4], [0.5, 0.5]], "matrix", "sums to 0.9"),
        (["a", "b"], [[1.2, -0.2], [0.5, 0.5]], "matrix", ">= 0"),
        (["a", "b"], [[np.nan, 1.0], [0.5, 0.5]], "matrix", "finite"),
        (["a", "b"], [[1.0]], "matrix", "shape"),
        (["a", "b"], "not a matrix", "matrix", "array"),
        (["a", "a"], [[1, 0], [0, 1]], "sites", "unique"),
        (["a", ""], [[1, 0], [0, 1]], "sites", "non-empty"),
        ("ab", [[1, 0], [0, 1]], "sites", "list"),
        ([], [], "sites", "list"),
    ],
)
def test_invalid_construction(sites, matrix, field, needle):
    with pytest.raises(InvalidInputError) as info:
        MarkovChain(sites=sites, matrix=matrix)
    assert info.value.field == field
    assert needle in str(info.value)


def test_rows_within_tolerance_are_accepted_and_renormalised():
    chain = MarkovChain(sites=["a", "b"], matrix=[[0.5, 0.5 + 5e-9], [0.3, 0.7]])
    assert chain.matrix[0].sum() == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.stationary() and c.mean_first_passage("breast", "kidney"), "target"),
        (lambda c: c.mean_first_passage("kidney", "bone"), "source"),
        (lambda c: c.distribution(start="kidney", steps=1), "start"),
        (lambda c: c.distribution(start="breast", steps=-1), "steps"),
        (lambda c: c.distribution(start="breast", steps=1.5), "steps"),
        (lambda c: c.simulate(start="breast", steps=2, patients=0), "patients"),
        (lambda c: c.simulate(start="breast", steps=2, patients=10, seed=-1), "seed"),
        (lambda c: c.simulate(start="breast", steps=True, patients=10), "steps"),
        (lambda c: c.pathways("breast", length=0), "length"),
        (lambda c: c.pathways("breast", length=2, top=0), "top"),
    ],
)
def test_bad_arguments_name_the_field(call, field):
    with pytest.raises(InvalidInputError) as info:
        call(PRIMARY)
    assert info.value.field == field


# --- properties --------------------------------------------------------------------------------------------


def _random_chain(seed: int, n: int) -> MarkovChain:
    rng = np.random.default_rng(seed)
    matrix = rng.dirichlet(np.full(n, 0.7), size=n)
    matrix = 0.98 * matrix + 0.02 / n  # strictly positive: irreducible and aperiodic
    return MarkovChain(sites=[f"s{i}" for i in range(n)], matrix=matrix)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 8))
def test_analytic_identities_hold_for_random_chains(seed, n):
    chain = _random_chain(seed, n)
    P = chain.matrix
    pi = chain.stationary_array()
    assert np.allclose(pi @ P, pi, atol=1e-12) and pi.sum() == pytest.approx(1.0)
    M = chain.mean_first_passage_matrix()
    # m_ij = 1 + sum_{k != j} P_ik m_kj for every i, j (including i == j: the return time)
    for j in range(n):
        off = np.arange(n) != j
        assert np.allclose(M[:, j], 1.0 + P[:, off] @ M[off, j], rtol=1e-9)
    assert np.allclose(np.diag(M), 1.0 / pi, rtol=1e-9)  # Kac's formula
    dist = chain.distributions("s0", 6)
    assert np.allclose(dist.sum(axis=1), 1.0)
    assert np.allclose(dist[6], dist[0] @ np.linalg.matrix_power(P, 6))
