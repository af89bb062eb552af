"""The metastatic cascade: per-step fractions from the cited experiments, inefficiency, binomial simulation.

Expected values are typed from spread_models.md section 3.1: about 87% arrested (Luzzi, unverified), more than
80% survived and extravasated (Koop, verified), about 1 in 40 formed micrometastases and about 1 in 100 of
those persisted (Luzzi, unverified).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.cascade import STEPS, cascade, simulate_cascade, step_fractions

EXPECTED = {
    "survival_in_circulation": 0.87,
    "arrest_and_extravasation": 0.80 / 0.87,
    "proliferation": (1 / 40) / 0.80,
    "angiogenesis": 1 / 100,
}
OVERALL = 0.80 * (1 / 40) / 0.80 * (1 / 100)  # = 0.00025 of shed cells


def test_the_six_steps_in_order():
    assert STEPS == (
        "local_invasion",
        "intravasation",
        "survival_in_circulation",
        "arrest_and_extravasation",
        "proliferation",
        "angiogenesis",
    )


def test_per_step_fractions_and_their_basis():
    steps = {s.id: s for s in step_fractions()}
    assert steps["local_invasion"].fraction is None and steps["intravasation"].fraction is None
    for step_id, value in EXPECTED.items():
        assert steps[step_id].fraction == pytest.approx(value)
    assert steps["survival_in_circulation"].basis == "measured (cumulative)"
    assert steps["arrest_and_extravasation"].basis == "derived"
    assert steps["arrest_and_extravasation"].bound == "lower"
    assert "koop-1995-extravasation" in steps["arrest_and_extravasation"].sources
    assert steps["angiogenesis"].basis == "measured (per step)"
    assert steps["angiogenesis"].survivors == pytest.approx(OVERALL)
    # Luzzi 1998 is unverified, so every step that rests on it says so.
    assert all(steps[s].verification == "unverified" for s in EXPECTED)


def test_overall_inefficiency_and_exact_probabilities():
    result = cascade(cells=10_000, replicates=2_000, seed=1)
    assert result.start_step == "survival_in_circulation"
    assert result.overall_fraction == pytest.approx(OVERALL)
    assert result.inefficiency == pytest.approx(1 - OVERALL)
    assert result.cells_per_metastasis == pytest.approx(4000)
    assert result.expected_metastases == pytest.approx(2.5)
    assert result.probability_at_least_one == pytest.approx(1 - (1 - OVERALL) ** 10_000)
    assert result.cells_for_even_chance == math.ceil(math.log(0.5) / math.log(1 - OVERALL))


def test_simulation_within_sampling_error():
    result = cascade(cells=10_000, replicates=4_000, seed=2)
    mean, sd = 10_000 * OVERALL, math.sqrt(10_000 * OVERALL * (1 - OVERALL))
    assert abs(result.simulated_mean - mean) < 4 * sd / math.sqrt(4_000)
    assert result.simulated_sd == pytest.approx(sd, rel=0.05)
    p_any = 1 - (1 - OVERALL) ** 10_000
    assert abs(result.simulated_at_least_one - p_any) < 4 * math.sqrt(p_any * (1 - p_any) / 4_000)
    survivors = [s.simulated_mean for s in result.steps if s.fraction is not None]
    assert survivors[0] == pytest.approx(8_700, rel=0.01)


def test_binomial_thinning_is_reproducible():
    p = np.array([0.5, 0.5])
    a = simulate_cascade(p, 1000, 10, np.random.default_rng(3))
    b = simulate_cascade(p, 1000, 10, np.random.default_rng(3))
    assert np.array_equal(a, b) and a.shape == (10, 3) and np.all(a[:, 0] == 1000)
    assert np.all(np.diff(a, axis=1) <= 0)


def test_user_fractions_override_and_move_the_start():
    result = cascade(cells=1000, replicates=10, seed=1, fractions={"intravasation": 0.1})
    assert result.start_step == "intravasation"
    assert result.overall_fraction == pytest.approx(0.1 * OVERALL)
    steps = {s.id: s for s in result.steps}
    assert steps["intravasation"].basis == "user" and steps["intravasation"].verification == "user"
    # Overriding one step leaves the published fractions of the others unchanged.
    other = cascade(cells=1000, replicates=10, seed=1, fractions={"survival_in_circulation": 0.01})
    assert {s.id: s.fraction for s in other.steps}["arrest_and_extravasation"] == pytest.approx(0.80 / 0.87)


def test_comparisons_and_caveats():
    result = cascade(cells=100, replicates=10, seed=1)
    values = {c.id: c.value for c in result.comparisons}
    assert values["fidler-1970-24h"] == 0.01  # about 1% survived after 24 h (verified)
    assert values["fidler-b16f1-overall"] == 0.0012  # 0.12% (secondary)
    assert {c.id: c.verification for c in result.comparisons}["fidler-1970-24h"] == "verified"
    assert any("one_cell_one_metastasis" in c for c in result.caveats)
    assert any("conflict" in c for c in result.caveats)
    assert {"luzzi-1998-inefficiency", "koop-1995-extravasation", "fidler-1970-survival"} <= set(result.sources)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cells": 0}, "cells"),
        ({"replicates": 0}, "replicates"),
        ({"seed": -1}, "seed"),
        ({"cells": 1.5}, "cells"),
        ({"fractions": {"metastasis": 0.5}}, "fractions"),
        ({"fractions": {"intravasation": 0}}, "fractions[intravasation]"),
        ({"fractions": {"intravasation": 1.5}}, "fractions[intravasation]"),
        ({"fractions": [("intravasation", 0.5)]}, "fractions"),
    ],
)
def test_errors(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        cascade(**kwargs)
    assert info.value.field == field


def test_the_cascade_plot_shows_every_quantified_step_on_a_log_scale() -> None:
    from metastasis.simulate.cascade import cascade
    from metastasis.simulate.cascade.plot import plot_cascade

    result = cascade(cells=1000, replicates=20, seed=3)
    quantified = [s for s in result.steps if s.survivors is not None]
    ax = plot_cascade(result).axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.patches) == len(quantified)  # one bar per step
    # The first bar is the cells entering times that step's survival fraction.
    assert ax.patches[0].get_height() == pytest.approx(1000 * quantified[0].survivors)
