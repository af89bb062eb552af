"""The event-aware integration loop on problems with known answers."""

import math

import numpy as np
import pytest

from metastasis.simulate.bone._solver import BoneSolverError, Switch, integrate


def test_record_switch_locates_roots_exactly():
    # y' = cos t, y(0) = 0: y = sin t crosses 0 downward at pi and upward at 2 pi
    traj = integrate(
        lambda t, y: [math.cos(t)], [0.0], 0.0, 7.0, np.linspace(0, 7, 8), model="test",
        switches=[Switch("zero", lambda t, y: y[0], restart=False)], rtol=1e-10, atol=1e-12,
    )  # fmt: skip
    assert traj.crossing_times("zero", -1) == pytest.approx([math.pi], abs=1e-8)
    assert traj.crossing_times("zero", +1) == pytest.approx([2 * math.pi], abs=1e-8)
    assert traj.y[0] == pytest.approx(np.sin(traj.t), abs=1e-8)


def test_restart_switch_integrates_a_kink_accurately():
    # z' = max(sin t, 0): the integral over [0, 3 pi] is 4 (two positive half-waves)
    def rhs(t, y):
        return [math.cos(t), max(y[0], 0.0)]

    traj = integrate(
        rhs, [0.0, 0.0], 0.0, 3 * math.pi, np.array([0.0, 3 * math.pi]), model="test",
        switches=[Switch("kink", lambda t, y: y[0], restart=True, band=1e-12)], rtol=1e-10, atol=1e-12,
    )  # fmt: skip
    assert traj.y[1, -1] == pytest.approx(4.0, abs=1e-8)
    times = traj.crossing_times("kink")
    assert times[:2] == pytest.approx([math.pi, 2 * math.pi], abs=1e-8)  # restarted at both kinks
    assert traj.n_restarts == len(times)


def test_breakpoints_stop_exactly_at_a_jump():
    # y' = 1 before t = 1.5, 0 after: y(3) = 1.5 exactly
    traj = integrate(
        lambda t, y: [1.0 if t < 1.5 else 0.0], [0.0], 0.0, 3.0, np.array([0.0, 3.0]), model="test", breakpoints=[1.5]
    )
    assert traj.y[0, -1] == pytest.approx(1.5, abs=1e-12)


def test_blow_up_reports_the_time_reached():
    # y' = y^2, y(0) = 1 blows up at t = 1
    with pytest.raises(BoneSolverError) as info:
        integrate(lambda t, y: [y[0] ** 2], [1.0], 0.0, 2.0, np.array([0.0, 2.0]), model="test", rtol=1e-8, atol=1e-10)
    assert info.value.t_reached == pytest.approx(1.0, abs=1e-3)
    assert info.value.model == "test"
