"""CalendarTime: exponential holding times per step, Wald's identity, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.calendar import CalendarTime

CLOCK = CalendarTime(first_step_median_years=2.5, later_step_median_years=1.0)


def test_means_and_expected_years():
    assert CLOCK.first_step_mean_years == pytest.approx(2.5 / math.log(2))
    assert CLOCK.expected_years(0) == 0.0
    assert CLOCK.expected_years(1) == pytest.approx(3.6067, abs=1e-4)
    assert CLOCK.expected_years(3.5) == pytest.approx(2.5 / math.log(2) + 2.5 * 1.0 / math.log(2))
    assert CLOCK.expected_years(math.inf) == math.inf
    assert CLOCK.expected_years(2, from_primary=False) == pytest.approx(2 / math.log(2))


def test_sampled_times_match_the_medians():
    times = CLOCK.sample(steps=3, patients=200_000, seed=1)
    assert times.shape == (200_000, 4) and np.all(times[:, 0] == 0)
    assert np.all(np.diff(times, axis=1) > 0)
    assert np.median(times[:, 1]) == pytest.approx(2.5, rel=0.02)
    assert np.median(times[:, 2] - times[:, 1]) == pytest.approx(1.0, rel=0.02)


def test_wald_identity_against_simulation():
    chain = MarkovChain(sites=["p", "a", "b"], matrix=[[0, 0.7, 0.3], [0, 0.6, 0.4], [0, 0.5, 0.5]])
    steps = chain.simulate_first_passage("p", "b", patients=100_000, seed=3)
    rng = np.random.default_rng(4)
    years = CLOCK.first_step_mean_years * rng.exponential(size=steps.size)
    later = rng.exponential(size=(steps.size, steps.max()))
    mask = np.arange(steps.max())[None, :] < (steps - 1)[:, None]
    years += CLOCK.later_step_mean_years * np.where(mask, later, 0).sum(axis=1)
    expected = CLOCK.expected_years(chain.mean_first_passage("p", "b"))
    assert abs(years.mean() - expected) < 4 * years.std(ddof=1) / math.sqrt(years.size)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"first_step_median_years": 0, "later_step_median_years": 1}, "first_step_median_years"),
        ({"first_step_median_years": 1, "later_step_median_years": -1}, "later_step_median_years"),
        ({"first_step_median_years": "2", "later_step_median_years": 1}, "first_step_median_years"),
    ],
)
def test_validation(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        CalendarTime(**kwargs)
    assert info.value.field == field
    with pytest.raises(InvalidInputError):
        CLOCK.expected_years(-1)
    with pytest.raises(InvalidInputError):
        CLOCK.probability_first_within(-1)
