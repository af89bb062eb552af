"""Pieces shared by the power-law bone models (Komarova 2003, Ayati 2010): grids, validation, bone-mass output."""

from __future__ import annotations

import math

import numpy as np

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone._data import check_positive
from metastasis.simulate.bone._solver import Trajectory
from metastasis.simulate.bone.result import reflect_at_floor

MAX_DAYS = 36_525.0  # 100 years
LOG_BAND = 1e-9
"""Hysteresis band (in log units, i.e. a relative 1e-9) of the max(x - x_bar, 0) switches."""


def output_grid(days: float, step: float | None, t_eval: object | None) -> np.ndarray:
    """The output times: ``t_eval`` if given (checked), else ``0, step, 2 step, ..., days``.

    The default step is ``days / 200`` for runs shorter than 200 days, else a whole number of days giving at most
    about 1000 points (1 day up to 1000 days, 2 days up to 2000 days, ...). Extremes do not depend on it: they are
    located exactly by event detection.
    """
    days = check_positive("days", days)
    if days > MAX_DAYS:
        raise InvalidInputError("days", days, f"a number of days > 0 and <= {MAX_DAYS:g}")
    if t_eval is not None:
        grid = np.asarray(t_eval, dtype=float)
        if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid)):
            raise InvalidInputError("t_eval", t_eval, "a non-empty 1-D sequence of finite days")
        if np.any(np.diff(grid) <= 0) or grid[0] < 0 or grid[-1] > days:
            raise InvalidInputError("t_eval", t_eval, f"strictly increasing days within [0, {days:g}]")
        return grid
    if step is None:
        step = days / 200.0 if days < 200 else float(math.ceil(days / 1000.0))
    step = check_positive("step", step)
    if step > days:
        raise InvalidInputError("step", step, f"an output spacing > 0 and <= days ({days:g})")
    n = math.floor(days / step + 1e-9)
    grid = np.arange(n + 1) * step
    if days - grid[-1] > 1e-9 * days:
        grid = np.append(grid, days)
    return grid


def log_of_positive(field: str, value: float) -> float:
    """``log(value)`` for a cell population that must be > 0 (raises InvalidInputError otherwise)."""
    if not (math.isfinite(value) and value > 0):
        raise InvalidInputError(field, value, "a starting value that leaves the population > 0")
    return math.log(value)


def bone_outputs(
    trajectory: Trajectory, index: int, *, floor: bool, minima_switch: str = "bone_rate", zero_switch: str = "bone_zero"
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], float | None]:
    """Bone mass on the grid, its exact local minima and the day it first reached 0 (floored if asked)."""
    z = trajectory.y[index]
    minima_t = trajectory.crossing_times(minima_switch, direction=1)
    minima_states = trajectory.crossing_states(minima_switch, direction=1)
    minima_z = minima_states[:, index] if minima_t.size else np.empty(0)
    zero_times = trajectory.crossing_times(zero_switch, direction=-1)
    exhausted = float(zero_times[0]) if zero_times.size else None
    if not floor:
        return z, (minima_t, minima_z), exhausted
    floored = reflect_at_floor(trajectory.t, z, minima_t, minima_z)
    floored_minima = reflect_at_floor(minima_t, minima_z, trajectory.t, z) if minima_t.size else minima_z
    keep = floored_minima > 0.0
    return floored, (minima_t[keep], floored_minima[keep]), exhausted
