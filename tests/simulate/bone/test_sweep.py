"""Vectorised parameter sweeps: the stacked LSODA system must agree with the event-located single runs, flag
failed sets with the day reached, and name bad parameters with the set's index."""

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import Komarova2003, komarova_sweep, sample_parameters


@pytest.fixture(scope="module")
def small_sweep():
    params = sample_parameters("single_cycle", n=8, spread=0.2, seed=7)
    return params, komarova_sweep(params, days=600, step=0.05)


def test_sweep_agrees_with_single_runs(small_sweep):
    params, result = small_sweep
    for i in range(8):
        run = Komarova2003("single_cycle", **{k: float(v[i]) for k, v in params.items()}).simulate(days=600)
        m = run.milestones()
        assert result.minimum_bone_mass[i] == pytest.approx(m.minimum, abs=1e-4)
        assert result.day_of_minimum[i] == pytest.approx(m.day_of_minimum, abs=0.05)
        assert result.final_bone_mass[i] == pytest.approx(m.final, abs=1e-4)
        assert result.steady_osteoclasts[i] == pytest.approx(run.osteoclasts[0] - 10, rel=1e-12)


def test_the_published_set_in_a_sweep_gives_the_published_minimum():
    result = komarova_sweep({"g11": [0.5, 0.5]}, days=400, step=0.01)
    assert result.minimum_bone_mass == pytest.approx([89.79, 89.79], abs=0.01)
    assert result.final_bone_mass == pytest.approx([99.980, 99.980], abs=0.001)


def test_sample_parameters_stays_within_the_spread():
    params = sample_parameters("single_cycle", n=500, spread=0.1, seed=1)
    assert params["alpha1"].min() >= 3 * 0.9 and params["alpha1"].max() <= 3 * 1.1
    assert np.all(params["g12"] == 1.0)  # not varied


def test_sensitivity_ranks_resorption_first():
    params = sample_parameters("single_cycle", n=300, spread=0.2, seed=2)
    table = komarova_sweep(params, days=400).sensitivity()
    assert table.loc["k1", "minimum_bone_mass"] < -0.5  # more resorption per osteoclast, deeper minimum
    assert table["minimum_bone_mass"].abs().idxmax() == "k1"


def test_diverging_sets_are_flagged_not_silent():
    result = komarova_sweep({"g11": [0.5, 1.12]}, parameter_set="single_cycle", days=6000, osteoclast_excess=2)
    assert not result.failed[0]
    assert result.failed[1] and 0 < result.failed_at[1] < 6000
    assert np.isnan(result.minimum_bone_mass[1])
    assert any("diverged" in c for c in result.caveats)
    assert np.isfinite(result.minimum_bone_mass[0])


def test_to_frame_has_one_row_per_set(small_sweep):
    _, result = small_sweep
    frame = result.to_frame()
    assert len(frame) == 8 and {"alpha1", "minimum_bone_mass", "failed"} <= set(frame.columns)


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"beta1": [0.2, -0.1]}, "beta1"),
        ({"k2": [0.001, float("inf")]}, "k2"),
        ({"alpha1": [3, 3], "alpha2": [4, 4, 4]}, "alpha2"),
        ({"delta": [1]}, "delta"),
    ],
)
def test_bad_parameters(parameters, field):
    with pytest.raises(InvalidInputError) as info:
        komarova_sweep(parameters, days=10)
    assert info.value.field == field


def test_bad_parameter_names_the_set_index():
    with pytest.raises(InvalidInputError) as info:
        komarova_sweep({"beta1": [0.2, 0.2, -0.1]}, days=10)
    assert "set 2" in str(info.value)
