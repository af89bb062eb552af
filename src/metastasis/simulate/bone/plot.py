"""Figures of bone simulations: cell populations and bone mass over time, treated against untreated.

Figures are built on :class:`matplotlib.figure.Figure` directly (never pyplot) and saved with
:func:`metastasis.report.figures.save_figure`.

Example
-------
>>> from metastasis.simulate.bone import Komarova2003
>>> fig = plot_run(Komarova2003().simulate(days=400))
>>> len(fig.axes)
3
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from metastasis.report.figures import save_figure
from metastasis.simulate.bone.result import BoneRun
from metastasis.simulate.bone.scenario import LesionScenario

UNTREATED = "#7f7f7f"
TREATED = "#1f77b4"
OSTEOCLAST = "#d62728"
OSTEOBLAST = "#2ca02c"
BONE = "#1f1f1f"
TUMOUR = "#9467bd"
DRUG = "#ff7f0e"


def _time(run: BoneRun) -> tuple[np.ndarray, str, float]:
    """Time axis in days for runs up to two years, in years beyond."""
    if run.t[-1] > 730:
        return run.t / 365.25, "time (years)", 365.25
    return run.t, "time (days)", 1.0


def _mark_start(ax: Axes, day: float | None, scale: float, label: str | None = None) -> None:
    if day is None:
        return
    ax.axvline(day / scale, color=DRUG, linestyle="--", linewidth=1.2, label=label)


def plot_run(run: BoneRun, *, title: str | None = None, narrow: bool = False) -> Figure:
    """Osteoclasts, osteoblasts and bone mass (and tumour, if any) of one run, one panel each.

    ``narrow`` draws for a phone screen (about 330 px): 3.6 inches wide, every text at least 10 pt.
    """
    t, xlabel, scale = _time(run)
    panels = [("osteoclasts", run.osteoclasts, OSTEOCLAST), ("osteoblasts", run.osteoblasts, OSTEOBLAST)]
    if run.bone_mass is not None:
        panels.append(("bone mass (% of initial)", run.bone_mass, BONE))
    if "tumour" in run.series and np.any(run.series["tumour"] > 0):
        panels.append(("tumour", run.series["tumour"], TUMOUR))
    fig = Figure(figsize=(3.6 if narrow else 8, 2.2 * len(panels) + 0.6), layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True)
    for ax, (name, values, colour) in zip(np.atleast_1d(axes), panels, strict=True):
        ax.plot(t, values, color=colour, linewidth=1.4)
        unit = run.units.get(name.split(" ")[0], "")
        ax.set_ylabel(f"{name}\n({unit})" if unit and "%" not in name else name)
        ax.grid(alpha=0.3)
        _mark_start(ax, run.treatment_start, scale)
    np.atleast_1d(axes)[-1].set_xlabel(xlabel)
    fig.suptitle(_wrap(title or run.label, narrow), fontsize=11)
    return fig


def _wrap(title: str, narrow: bool) -> str:
    """A title broken into lines that fit a narrow figure (kept as it is otherwise)."""
    return "\n".join(textwrap.fill(line, 36) for line in title.split("\n")) if narrow else title


def _from_start(run: BoneRun, values: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The part of a treated run from the treatment start on (before it, both arms are the same run)."""
    start = run.treatment_start or 0.0
    keep = run.t >= start
    return run.t[keep] / scale, values[keep]


def _lowest_after(run: BoneRun, start: float) -> tuple[float, float]:
    """Day and value of the lowest bone mass from ``start`` on (grid and exactly located minima)."""
    times = np.concatenate([run.t, run.bone_mass_minima[0]])
    values = np.concatenate([run.bone_mass, run.bone_mass_minima[1]])
    if run.day_bone_exhausted is not None:
        times, values = np.append(times, run.day_bone_exhausted), np.append(values, 0.0)
    keep = times >= start
    i = int(np.lexsort((times[keep], values[keep]))[0])
    return float(times[keep][i]), float(values[keep][i])


def plot_comparison(
    untreated: BoneRun,
    treated: BoneRun,
    *,
    title: str | None = None,
    treated_label: str | None = None,
    narrow: bool = False,
) -> Figure:
    """Untreated against treated on one figure: osteoclasts, osteoblasts, bone mass and tumour/drug exposure.

    The untreated run is drawn over the whole horizon (grey); the treated run from the treatment start on
    (blue), which is also marked by a dashed vertical line in every panel. Triangles mark the lowest bone mass.
    ``narrow`` draws for a phone screen (about 330 px): the four panels one above the other, 3.6 inches wide,
    every text at least 10 pt.
    """
    t, xlabel, scale = _time(untreated)
    name = treated_label or treated.treatment_label or "treated"
    start = treated.treatment_start
    small = 10 if narrow else 8
    fig = Figure(figsize=(3.6, 12) if narrow else (11, 8), layout="constrained")
    axes = fig.subplots(4, 1, sharex=True) if narrow else fig.subplots(2, 2, sharex=True)
    ax_oc, ax_ob, ax_bone, ax_extra = axes.ravel()
    for ax, key, ylabel in (
        (ax_oc, "osteoclasts", "osteoclasts (cells)"),
        (ax_ob, "osteoblasts", "osteoblasts (cells)"),
    ):
        ax.plot(t, getattr(untreated, key), color=UNTREATED, linewidth=1.3, label="untreated")
        ax.plot(*_from_start(treated, getattr(treated, key), scale), color=TREATED, linewidth=1.6, label="treated")
        ax.set_ylabel(ylabel)
    if untreated.bone_mass is not None and treated.bone_mass is not None:
        ax_bone.plot(t, untreated.bone_mass, color=UNTREATED, linewidth=1.8, label="untreated")
        ax_bone.plot(*_from_start(treated, treated.bone_mass, scale), color=TREATED, linewidth=2.0, label="treated")
        ax_bone.axhline(100, color="black", linewidth=0.6, alpha=0.5)
        ax_bone.set_ylabel("bone mass (% of initial)")
        for run, colour, arm in ((untreated, UNTREATED, "untreated"), (treated, TREATED, "treated")):
            day, value = _lowest_after(run, start or 0.0)
            label = f"lowest {'after start' if start else ''}, {arm}".replace(" ,", ",")
            ax_bone.plot([day / scale], [value], marker="v", linestyle="none", color=colour,
                         markersize=8, markeredgecolor="black", label=label)  # fmt: skip
    if "tumour" in untreated.series and np.any(untreated.series["tumour"] > 0):
        ax_extra.plot(t, untreated.series["tumour"], color=TUMOUR, linewidth=1.5, label="tumour (left axis)")
        ax_extra.set_ylabel("tumour (units; capacity 100)")
    exposure = next((k for k in ("denosumab_ng_per_ml", "zoledronic_acid_bone_mg") if k in treated.series), None)
    if exposure is not None:
        twin = ax_extra.twinx()
        values = treated.series[exposure]
        if exposure == "denosumab_ng_per_ml":
            values = values / 1000
            twin.plot(treated.t / scale, values, color=DRUG, linewidth=0.8, label="denosumab serum (right axis)")
            twin.set_ylabel("denosumab serum (ug/mL)", color=DRUG)
        else:
            twin.plot(
                treated.t / scale, values, color=DRUG, linewidth=0.8, label="zoledronic acid in bone (right axis)"
            )
            twin.set_ylabel("zoledronic acid bound to bone (mg)", color=DRUG)
        twin.tick_params(axis="y", colors=DRUG)
        twin.set_ylim(bottom=0, top=float(values.max()) * 1.6 or 1.0)
        lines = ax_extra.get_lines() + twin.get_lines()
        ax_extra.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=small)
    ax_extra.set_ylim(bottom=0)
    for ax in axes.ravel():
        ax.grid(alpha=0.3)
        _mark_start(ax, start, scale)
    if start is not None:
        ax_bone.plot([], [], color=DRUG, linestyle="--", label=f"treatment starts (day {start:g})")
    ax_bone.legend(loc="best", fontsize=small)
    ax_oc.legend(loc="best", fontsize=small)
    for ax in axes.ravel()[-1:] if narrow else axes[1]:
        ax.set_xlabel(xlabel)
    fig.suptitle(_wrap(title or f"{untreated.label}\nuntreated vs {name}", narrow), fontsize=11)
    return fig


def plot_scenario(scenario: LesionScenario, *, narrow: bool = False) -> Figure:
    """:func:`plot_comparison` for a lesion scenario, titled with the lesion and the regimen (``narrow``: for a
    phone screen, one panel per row)."""
    if scenario.treated is None:
        return plot_run(scenario.untreated, title=scenario.lesion.label, narrow=narrow)
    summary = scenario.summary
    return plot_comparison(
        scenario.untreated,
        scenario.treated,
        title=f"{scenario.lesion.label}: untreated vs {summary.treatment_label}",
        narrow=narrow,
    )


def plot_rankl(run: BoneRun, *, title: str | None = None) -> Figure:
    """Lemaire 2004 run: the three cell populations and free RANKL / OPG over time."""
    t, xlabel, scale = _time(run)
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax_cells, ax_rankl = fig.subplots(2, 1, sharex=True)
    ax_cells.plot(
        t, run.series["responding_osteoblasts"] * 1e3, color=OSTEOBLAST, linestyle=":", label="responding osteoblasts"
    )
    ax_cells.plot(t, run.osteoblasts * 1e3, color=OSTEOBLAST, label="active osteoblasts")
    ax_cells.plot(t, run.osteoclasts * 1e3, color=OSTEOCLAST, label="active osteoclasts")
    ax_cells.set_ylabel("cells (fM)")
    ax_cells.legend(fontsize=8)
    ax_rankl.plot(t, run.series["rankl_free"], color=TUMOUR, label="free RANKL (left axis)")
    ax_rankl.set_ylabel("free RANKL (pM)")
    twin = ax_rankl.twinx()
    twin.plot(t, run.series["opg"] / 1e3, color="#17becf", label="OPG (right axis)")
    twin.set_ylabel("OPG (nM)", color="#17becf")
    for ax in (ax_cells, ax_rankl):
        ax.grid(alpha=0.3)
        _mark_start(ax, run.treatment_start, scale, label="first dose" if ax is ax_rankl else None)
    lines = ax_rankl.get_lines() + twin.get_lines()
    ax_rankl.legend(lines, [line.get_label() for line in lines], fontsize=8, loc="center right")
    ax_rankl.set_xlabel(xlabel)
    treated = f"\n{run.treatment_label}" if run.treatment_label else ""
    fig.suptitle(title or f"{run.label}{treated}", fontsize=11)
    return fig


def save_plot(fig: Figure, path: str | Path) -> Path:
    """Save a figure (``.png``, ``.svg`` or ``.pdf``)."""
    return save_figure(fig, path)
