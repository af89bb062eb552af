"""Figures build without pyplot and save as PNG and SVG."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from metastasis.errors import InvalidInputError
from metastasis.report.figures import save_figure
from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.defaults import breast_chain
from metastasis.simulate.spread.fit import fit_stationary
from metastasis.simulate.spread.plot import ensemble_entry_figure, network_figure, site_probability_figure
from metastasis.simulate.spread.sampling import empirical_distributions


def test_network_figure_saves_png_and_svg(tmp_path):
    chain = breast_chain("tnbc")
    fig = network_figure(chain, primary="breast", title="TNBC")
    assert isinstance(fig, Figure)
    png = save_figure(fig, tmp_path / "network.png")
    svg = save_figure(fig, tmp_path / "network.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text()
    with pytest.raises(InvalidInputError):
        save_figure(fig, tmp_path / "network.jpg")


def test_network_hides_small_edges_and_notes_it():
    chain = MarkovChain(sites=["a", "b"], matrix=[[0.99, 0.01], [0.5, 0.5]])
    fig = network_figure(chain, threshold=0.05)
    assert any("not drawn" in t.get_text() for t in fig.texts)
    with pytest.raises(InvalidInputError):
        network_figure(chain, primary="z")


def test_site_probability_figure_with_simulated_ticks(tmp_path):
    chain = breast_chain("all")
    paths = chain.simulate(start="breast", steps=4, patients=2000, seed=1)
    fig = site_probability_figure(chain, "breast", 4, simulated=empirical_distributions(paths, chain.n_sites))
    ax = fig.axes[0]
    assert len(ax.patches) == 5 * chain.n_sites
    assert save_figure(fig, tmp_path / "steps.svg").stat().st_size > 1000


def test_ensemble_histogram():
    fit = fit_stationary({"a": 0.4, "b": 0.6}, method="polytope", n_matrices=100, seed=1)
    fig = ensemble_entry_figure(fit, "a", "b")
    assert "100 matrices" in fig.axes[0].get_title()
