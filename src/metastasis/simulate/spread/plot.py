"""Figures for spread chains: the site network, site probabilities over steps, and ensemble spread.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot); save them with
:func:`metastasis.report.figures.save_figure` (PNG, SVG or PDF by suffix).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch

from metastasis.simulate.spread import _validate
from metastasis.simulate.spread.chain import MarkovChain
from metastasis.simulate.spread.fit import EnsembleFit

_ROLE_COLOURS = {"spreader": "#e6862e", "sponge": "#3a78b5", "neutral": "#8c8c8c", "start": "#c2577a"}
_SITE_COLOURS = ["#c2577a", "#3a78b5", "#59a14f", "#e6862e", "#8e6bb8", "#9c755f", "#4fb0c6", "#e15759"]


def network_figure(
    chain: MarkovChain,
    *,
    primary: str | None = None,
    roles_among: Sequence[str] | None = None,
    threshold: float = 0.05,
    title: str | None = None,
    narrow: bool = False,
) -> Figure:
    """Directed site network: edge width and label = transition probability, node colour = role.

    Parameters
    ----------
    chain:
        The chain to draw.
    primary:
        Site drawn as the start (left of the circle, its own colour); default: none.
    roles_among:
        Sites whose mutual transitions define spreader/sponge (see :meth:`MarkovChain.spreader_sponge`);
        default: every site except ``primary``.
    threshold:
        Edges below this probability are not drawn (a note on the figure says so).
    title:
        Figure title.
    narrow:
        Draw for a phone screen (about 330 px): 3.6 inches wide, every text at least 10 pt (12 px at that width).
    """
    threshold = _validate.probability("threshold", threshold)
    if primary is not None:
        chain.index(primary, "primary")
    among = list(roles_among) if roles_among is not None else [s for s in chain.sites if s != primary]
    roles = chain.spreader_sponge(among=among) if len(among) >= 2 else {}
    n = chain.n_sites
    order = ([primary] if primary else []) + [s for s in chain.sites if s != primary]
    angles = np.pi - 2 * np.pi * np.arange(n) / n  # the first site (the primary) on the left
    position = {site: np.array([np.cos(a), np.sin(a)]) for site, a in zip(order, angles, strict=True)}
    pi = chain.stationary_array() if _has_unique_stationary(chain) else np.full(n, 1.0 / n)
    smallest = 0.25 if narrow else 0.15  # a phone's nodes must hold their names at 10 pt
    radius = {site: smallest + 0.1 * np.sqrt(pi[chain.index(site)]) for site in chain.sites}

    fig = Figure(figsize=(3.6, 4.2) if narrow else (7.5, 7.0))
    small = 10 if narrow else 8
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.75, 1.75) if narrow else ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-1.45, 1.55) if narrow else ax.set_ylim(-1.35, 1.45)
    matrix = chain.matrix
    colour = {
        site: _ROLE_COLOURS["start" if site == primary else roles[site].role if site in roles else "neutral"]
        for site in chain.sites
    }
    hidden = 0
    for i, source in enumerate(chain.sites):
        for j, target in enumerate(chain.sites):
            p = float(matrix[i, j])
            if p <= 0:
                continue
            if p < threshold:
                hidden += 1
                continue
            width = 0.6 + 7.0 * p
            if i == j:
                _self_loop(ax, position[source], radius[source], p, width, colour[source], small)
                continue
            ends = (position[source], position[target], radius[source], radius[target])
            _edge(ax, *ends, p, width, colour[source], small)
    for site in chain.sites:
        ax.add_patch(Circle(position[site], radius[site], color=colour[site], zorder=4))
        size = 10 if narrow or len(site) <= 6 else 8
        ax.text(*position[site], site, ha="center", va="center", fontsize=size, color="white", weight="bold", zorder=5)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=10, color=_ROLE_COLOURS[key], label=label)
        for key, label in (("start", "start (primary)"), ("spreader", "spreader"), ("sponge", "sponge"))
        if key != "start" or primary
    ]
    title = title or "Site network: transition probabilities"
    if narrow:  # the caption on the page explains edges and nodes; the legend goes under the circle
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=3, frameon=False,
                  fontsize=10, handletextpad=0.2, columnspacing=0.8)  # fmt: skip
        ax.set_title(textwrap.fill(title, 34), fontsize=11)
        fig.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.08)
        return fig
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=9)
    note = "edge: transition probability (width and label), coloured by its origin\nnode size: stationary probability"
    if hidden:
        note += f"\n{hidden} edges below {threshold:g} not drawn"
    fig.text(0.98, 0.01, note, ha="right", va="bottom", fontsize=7.5, color="#555555")
    ax.set_title(title, fontsize=12)
    return fig


_BEND = 0.18  # arc3 "rad": bidirectional edges bend to opposite sides, so both stay visible


def _edge(
    ax: Axes,
    start: np.ndarray,
    end: np.ndarray,
    r_start: float,
    r_end: float,
    p: float,
    width: float,
    colour: str,
    fontsize: float = 8,
) -> None:
    d = end - start
    control = (start + end) / 2 + _BEND * np.array([d[1], -d[0]])
    a = start + r_start * (control - start) / np.linalg.norm(control - start)
    b = end - (r_end + 0.02) * (end - control) / np.linalg.norm(end - control)
    ax.add_patch(
        FancyArrowPatch(
            a,
            b,
            connectionstyle=f"arc3,rad={_BEND}",
            arrowstyle="-|>,head_length=0.5,head_width=0.3",
            mutation_scale=10 + 6 * p,
            linewidth=width,
            color=colour,
            alpha=0.6,
            shrinkA=0,
            shrinkB=0,
            zorder=1,
        )
    )
    t = 0.3  # label nearer the source, so labels of the two directions do not meet in the middle
    da = b - a
    c = (a + b) / 2 + _BEND * np.array([da[1], -da[0]])
    at = (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b
    ax.text(*at, f"{p:.2f}", fontsize=fontsize, ha="center", va="center", zorder=3, bbox=_LABEL_BOX)


_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}


def _self_loop(
    ax: Axes, centre: np.ndarray, radius: float, p: float, width: float, colour: str, fontsize: float = 8
) -> None:
    outward = centre / max(np.linalg.norm(centre), 1e-9)
    loop_centre = centre + outward * (radius + 0.07)
    ax.add_patch(Circle(loop_centre, 0.085, fill=False, linewidth=width, edgecolor=colour, alpha=0.6, zorder=2))
    label = centre + outward * (radius + 0.25)
    ax.text(*label, f"{p:.2f}", fontsize=fontsize, ha="center", va="center", zorder=3, bbox=_LABEL_BOX)


def _has_unique_stationary(chain: MarkovChain) -> bool:
    return sum(1 for _, closed in chain.classes() if closed) == 1


def site_probability_figure(
    chain: MarkovChain,
    start: str,
    steps: int,
    *,
    simulated: np.ndarray | None = None,
    title: str | None = None,
    narrow: bool = False,
) -> Figure:
    """Grouped bars: probability of each site after 0, 1, ..., ``steps`` steps from ``start`` (exact).

    ``simulated`` (optional) is an array (steps + 1, n_sites) of simulated shares, drawn as black ticks on the
    bars so that the Monte Carlo check can be seen. ``narrow`` draws for a phone screen (about 330 px): 3.6
    inches wide, the legend under the bars, every text at least 10 pt (12 px at that width).
    """
    exact = chain.distributions(start, steps)
    n = chain.n_sites
    fig = Figure(figsize=(3.6, 4.6) if narrow else (max(6.5, 1.1 * (steps + 1) + 2.5), 4.6))
    ax = fig.add_subplot()
    x = np.arange(steps + 1)
    width = 0.8 / n
    for j, site in enumerate(chain.sites):
        offset = (j - (n - 1) / 2) * width
        colour = _SITE_COLOURS[j % len(_SITE_COLOURS)]
        ax.bar(x + offset, exact[:, j], width=width * 0.95, color=colour, label=site)
        if simulated is not None:
            ax.scatter(x + offset, simulated[:, j], marker="_", s=80, color="black", zorder=3, linewidths=1.2)
    ax.set_xticks(x, [str(k) for k in x])
    ax.set_xlabel("model step (0 = start)")
    ax.set_ylabel("probability of being at the site")
    ax.set_ylim(0, 1.0)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles, labels = ax.get_legend_handles_labels()
    if simulated is not None:
        handles.append(Line2D([], [], marker="_", linestyle="", color="black", markersize=12))
        labels.append("simulated")
    title = title or f"Site probabilities by step, starting at {start}"
    if narrow:
        ax.tick_params(labelsize=10)
        ax.set_xlabel("model step (0 = start)", fontsize=10)
        ax.set_ylabel("probability at the site", fontsize=10)
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False, fontsize=10,
                  handlelength=1.2, columnspacing=0.8)  # fmt: skip
        ax.set_title(textwrap.fill(title, 34), fontsize=11)
    else:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.set_title(title, fontsize=12)
    fig.tight_layout()
    return fig


def ensemble_entry_figure(fit: EnsembleFit, source: str, target: str, *, bins: int = 40) -> Figure:
    """Histogram of one transition probability across an ensemble (as in Newton et al. 2012, Fig. 5)."""
    i = _validate.site_index(fit.sites, source, "source")
    j = _validate.site_index(fit.sites, target, "target")
    values = fit.matrices[:, i, j]
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.add_subplot()
    ax.hist(values, bins=_validate.count("bins", bins, 1), color="#3a78b5", alpha=0.8)
    ax.axvline(values.mean(), color="black", linestyle="--", linewidth=1, label=f"mean {values.mean():.3f}")
    ax.set_xlabel(f"P({source} -> {target})")
    ax.set_ylabel("members")
    ax.set_title(f"Ensemble of {len(values)} matrices ({fit.method}): sd {values.std(ddof=1):.3f}", fontsize=11)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
