"""Figures: panels present, treated against untreated on one figure, the treatment start marked, files saved."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from metastasis.errors import InvalidInputError
from metastasis.simulate.bone import Komarova2003, Lemaire2004, denosumab, simulate_lesion
from metastasis.simulate.bone.plot import plot_comparison, plot_rankl, plot_run, plot_scenario, save_plot


@pytest.fixture(scope="module")
def scenario():
    return simulate_lesion("osteolytic", "denosumab", start_day=180, years=3)


def test_run_figure_has_cells_and_bone():
    fig = plot_run(Komarova2003().simulate(days=400))
    assert isinstance(fig, Figure)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert any("osteoclasts" in x for x in labels) and any("bone mass" in x for x in labels)


def test_comparison_marks_the_treatment_start(scenario):
    fig = plot_comparison(scenario.untreated, scenario.treated)
    start_years = 180 / 365.25
    for ax in fig.axes[:4]:
        xs = [line.get_xdata() for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert any(np.allclose(x, start_years) for x in xs), ax.get_ylabel()
    bone_ax = fig.axes[2]
    labels = [line.get_label() for line in bone_ax.get_lines()]
    assert "untreated" in labels and "treated" in labels


def test_scenario_figure_is_titled_with_the_lesion(scenario):
    fig = plot_scenario(scenario)
    assert "Osteolytic" in fig._suptitle.get_text()


def test_rankl_figure():
    fig = plot_rankl(Lemaire2004().simulate(days=200, treatment=denosumab(start_day=30, n_doses=1)))
    assert len(fig.axes) == 3  # cells, RANKL, OPG twin


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_saved_files(tmp_path, scenario, suffix):
    path = save_plot(plot_scenario(scenario), tmp_path / f"bone.{suffix}")
    assert path.exists() and path.stat().st_size > 1000


def test_bad_suffix(tmp_path, scenario):
    with pytest.raises(InvalidInputError) as info:
        save_plot(plot_scenario(scenario), tmp_path / "bone.jpg")
    assert info.value.field == "plot"
