"""Figures for the clinician pages, inlined as SVG: the library's own plot functions (the ones the CLI saves).

PREDICT uses :func:`metastasis.predict.plot.plot_predict_outcomes`, spread the chain's network and site-probability
figures, bone :func:`metastasis.simulate.bone.plot.plot_scenario`, the cascade
:func:`metastasis.simulate.cascade.plot.plot_cascade`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from matplotlib.figure import Figure

from metastasis.report.figures import figure_svg
from metastasis.simulate.cascade.plot import plot_cascade


@dataclass(frozen=True)
class InlineFigure:
    """A figure ready for the page: an id, a caption (also its accessible name) and the SVG markup."""

    id: str
    caption: str
    svg: Markup


def inline_figure(fig_id: str, fig: Figure, caption: str) -> InlineFigure:
    """A matplotlib figure as inline SVG (no XML prolog), named for assistive technology by its caption."""
    svg = figure_svg(fig)
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = body.replace("<svg", f'<svg role="img" aria-label="{escape(caption)}"', 1)
    return InlineFigure(fig_id, caption, Markup(body))  # matplotlib's own markup; the caption is escaped


def predict_figures(result: Any) -> list[InlineFigure]:
    """PREDICT Breast: survival curves by treatment arm and "100 women like this" at 10 years."""
    from metastasis.predict.plot import plot_predict_outcomes

    caption = (
        "Overall survival by treatment arm, years 1 to 15 (left), and what happens to 100 women like this after "
        "10 years (right)"
    )
    return [inline_figure("predict-outcomes", plot_predict_outcomes(result, year=10), caption)]


def spread_figures(report: Any) -> list[InlineFigure]:
    """The site network of the chain and the site probabilities by step (simulated shares as ticks)."""
    from metastasis.simulate.spread.defaults import breast_model
    from metastasis.simulate.spread.plot import network_figure, site_probability_figure
    from metastasis.simulate.spread.sampling import empirical_distributions

    chain = breast_model(report.subtype or "all").chain()
    title = f"{report.model[0].upper()}{report.model[1:]}: from {report.start}"
    network = network_figure(chain, primary=report.start, roles_among=report.roles_among, title=title)
    paths = chain.simulate(start=report.start, steps=report.steps, patients=report.patients, seed=report.seed)
    simulated = empirical_distributions(paths, chain.n_sites)
    steps = site_probability_figure(chain, report.start, report.steps, simulated=simulated, title=title)
    return [
        inline_figure(
            "spread-network",
            network,
            "Site network: arrow width and label are one-step transition probabilities; colour marks spreaders "
            "and sponges",
        ),
        inline_figure(
            "spread-steps",
            steps,
            "Probability of being at each site after each model step (bars exact, black ticks simulated)",
        ),
    ]


def cascade_figures(result: Any) -> list[InlineFigure]:
    """The cascade's cells left after each step."""
    caption = "Cells left after each quantified step of the cascade (bars exact, black ticks simulated mean)"
    return [inline_figure("cascade-steps", plot_cascade(result), caption)]


def bone_figures(scenario: Any) -> list[InlineFigure]:
    """Untreated against treated: osteoclasts, osteoblasts, bone mass, tumour and drug exposure."""
    from metastasis.simulate.bone.plot import plot_scenario

    caption = (
        "Bone lesion untreated (grey) and treated from the treatment start (blue; the dashed line marks the start): "
        "cells, bone mass "
        "and tumour"
        if scenario.treated is not None
        else "Bone lesion without treatment: cells, bone mass and tumour"
    )
    return [inline_figure("bone-scenario", plot_scenario(scenario), caption)]
