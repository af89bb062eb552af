"""From model steps to years: an explicit, assumption-flagged clock for the spread chain.

The Markov chain counts steps, not years. :class:`CalendarTime` attaches a clock to the steps: the time from
the primary to the first metastasis and the time between later steps are independent exponential holding
times with the given medians, independent of which sites are involved. This is a **modelling assumption**
(real recurrence hazards vary over time and by subtype); the breast defaults take the first median from a
source and flag the second as an assumption (see :func:`metastasis.simulate.spread.defaults.breast_calendar`).

Because the clock does not depend on the path, the expected time to reach a site follows from the expected
number of steps by Wald's identity: ``E[years] = mean_first + (E[steps] - 1) * mean_later``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import _validate


@dataclass(frozen=True)
class CalendarTime:
    """Exponential holding times per step, with separate medians for the first and the later steps.

    Parameters
    ----------
    first_step_median_years:
        Median time from the primary to the first metastatic site (> 0).
    later_step_median_years:
        Median time from one metastatic step to the next (> 0).

    Example
    -------
    >>> clock = CalendarTime(first_step_median_years=2.5, later_step_median_years=1.0)
    >>> round(clock.probability_first_within(5.0), 3)
    0.75
    """

    first_step_median_years: float
    later_step_median_years: float

    def __post_init__(self) -> None:
        _validate.positive("first_step_median_years", self.first_step_median_years)
        _validate.positive("later_step_median_years", self.later_step_median_years)

    @property
    def first_step_mean_years(self) -> float:
        """Mean of the first holding time (median / ln 2 for an exponential)."""
        return self.first_step_median_years / math.log(2)

    @property
    def later_step_mean_years(self) -> float:
        return self.later_step_median_years / math.log(2)

    def probability_first_within(self, years: float) -> float:
        """Probability that the first step (primary to first metastasis) happens within ``years``."""
        years = _validate.positive("years", years, allow_zero=True)
        return 1.0 - 0.5 ** (years / self.first_step_median_years)

    def expected_years(self, steps: float, from_primary: bool = True) -> float:
        """Expected years for a walk of ``steps`` steps (a mean number of steps is allowed; inf stays inf).

        ``from_primary=False`` is for walks that start at a metastatic site: every step is a later step.
        """
        if isinstance(steps, bool) or not isinstance(steps, int | float) or steps < 0 or math.isnan(steps):
            raise InvalidInputError("steps", steps, "a number of steps >= 0")
        if steps == 0:
            return 0.0
        if math.isinf(steps):
            return math.inf
        if not from_primary:
            return steps * self.later_step_mean_years
        return self.first_step_mean_years + (steps - 1.0) * self.later_step_mean_years

    def sample(self, steps: int, patients: int, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """Simulated calendar time (years) of every step: shape (patients, steps + 1), column 0 is 0."""
        steps = _validate.count("steps", steps, 0)
        patients = _validate.count("patients", patients, 1)
        rng = _validate.rng(seed)
        scale = np.full(steps, self.later_step_mean_years)
        if steps:
            scale[0] = self.first_step_mean_years
        gaps = rng.exponential(1.0, size=(patients, steps)) * scale
        out = np.zeros((patients, steps + 1))
        np.cumsum(gaps, axis=1, out=out[:, 1:])
        return out
