"""Plot of the metastatic cascade: the cells left after each quantified step."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from metastasis.simulate.cascade.model import CascadeResult


def plot_cascade(result: CascadeResult) -> Figure:
    """Cells expected (bars) and simulated (ticks) to be left after each quantified step, on a log scale.

    Example
    -------
    >>> from metastasis.simulate.cascade import cascade
    >>> plot_cascade(cascade(cells=1000, replicates=10, seed=1)).axes[0].get_yscale()
    'log'
    """
    steps = [s for s in result.steps if s.survivors is not None]
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(steps))
    expected = [result.cells * s.survivors for s in steps]
    ax.bar(x, expected, color="#3a78b5", label="expected (exact)")
    simulated = [s.simulated_mean if s.simulated_mean is not None else np.nan for s in steps]
    ax.scatter(x, simulated, marker="_", s=300, color="black", linewidths=2, zorder=3, label="simulated mean")
    ax.axhline(1, color="#9b1c1c", linestyle="--", linewidth=1, label="one cell")
    ax.set_yscale("log")
    ax.set_xticks(x, [s.name for s in steps], rotation=15, ha="right")
    ax.set_ylabel("cells left (log scale)")
    ax.set_title(f"The metastatic cascade: {result.cells:,} cells from {result.start_step.replace('_', ' ')}")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return fig
