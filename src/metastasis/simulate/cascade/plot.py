"""Plot of the metastatic cascade: the cells left after each quantified step."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from metastasis.simulate.cascade.model import CascadeResult, StepResult


def plot_cascade(result: CascadeResult, *, narrow: bool = False) -> Figure:
    """Cells expected (bars) and simulated (ticks) to be left after each quantified step, on a log scale.

    ``narrow`` draws for a phone screen (about 330 px): 3.6 inches wide, the steps along the vertical axis so that
    their names stay readable, every text at least 10 pt.

    Example
    -------
    >>> from metastasis.simulate.cascade import cascade
    >>> plot_cascade(cascade(cells=1000, replicates=10, seed=1)).axes[0].get_yscale()
    'log'
    """
    steps = [s for s in result.steps if s.survivors is not None]
    expected = [result.cells * s.survivors for s in steps]
    simulated = [s.simulated_mean if s.simulated_mean is not None else np.nan for s in steps]
    title = f"The metastatic cascade: {result.cells:,} cells from {result.start_step.replace('_', ' ')}"
    if narrow:
        return _narrow(steps, expected, simulated, title)
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(steps))
    ax.bar(x, expected, color="#3a78b5", label="expected (exact)")
    ax.scatter(x, simulated, marker="_", s=300, color="black", linewidths=2, zorder=3, label="simulated mean")
    ax.axhline(1, color="#9b1c1c", linestyle="--", linewidth=1, label="one cell")
    ax.set_yscale("log")
    ax.set_xticks(x, [s.name for s in steps], rotation=15, ha="right")
    ax.set_ylabel("cells left (log scale)")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return fig


def _narrow(steps: list[StepResult], expected: list[float], simulated: list[float], title: str) -> Figure:
    """The same chart turned on its side for a phone: one bar per row, names on the left."""
    fig = Figure(figsize=(3.2, 1.6 + 0.5 * len(steps)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(steps))
    ax.barh(y, expected, color="#3a78b5", label="expected (exact)")
    ax.scatter(simulated, y, marker="|", s=200, color="black", linewidths=2, zorder=3, label="simulated mean")
    ax.axvline(1, color="#9b1c1c", linestyle="--", linewidth=1, label="one cell")
    ax.set_xscale("log")
    ax.set_yticks(y, [textwrap.fill(s.name, 14) for s in steps], fontsize=10)
    ax.invert_yaxis()
    ax.tick_params(labelsize=10)
    ax.set_xlabel("cells left (log scale)", fontsize=10)
    ax.set_title(title.replace(": ", ":\n", 1), fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=10, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25 - 0.5 / len(steps)))
    return fig
