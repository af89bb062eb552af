"""Simulation runs: time series as numpy arrays, a tidy table, bone-mass milestones and provenance.

A :class:`BoneRun` is what every bone model's ``simulate`` returns. The arrays are on the requested output grid
(days); exact extremes located by the solver's event detection (osteoclast peaks, bone-mass minima) are kept
alongside, so milestones such as the minimum bone mass do not depend on the grid spacing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from metastasis.evidence import Reason, Verification, get_source

BONE_FLOOR = 0.0


class BoneMilestones(BaseModel):
    """Bone-mass milestones of one run (bone mass in % of its initial value, days from the start)."""

    initial: float = Field(description="Bone mass at day 0 (%).")
    minimum: float = Field(description="Lowest bone mass over the run (%).")
    day_of_minimum: float = Field(description="Day of the lowest bone mass (first time, if it is reached twice).")
    final: float = Field(description="Bone mass on the last day (%).")
    final_day: float
    maximum_loss: float = Field(description="Initial minus minimum bone mass (percentage points).")
    day_bone_exhausted: float | None = Field(
        default=None, description="First day bone mass reached 0 (the floor), if it did."
    )


@dataclass
class BoneRun:
    """One simulated trajectory.

    Attributes
    ----------
    t:
        Days from the start of the run.
    osteoclasts, osteoblasts:
        Cell populations on ``t`` (model units: cells for Komarova/Ayati, pM for Lemaire).
    bone_mass:
        Bone mass on ``t`` in % of initial (floored at 0 when the run used the floor), or ``None`` for models
        without bone mass.
    series:
        Further series on ``t`` by name (tumour, drug exposure, free-RANKL fraction, ...).
    """

    model: str
    label: str
    t: np.ndarray
    osteoclasts: np.ndarray
    osteoblasts: np.ndarray
    bone_mass: np.ndarray | None
    parameters: dict[str, float]
    series: dict[str, np.ndarray] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    osteoclast_peaks: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.empty(0), np.empty(0)))
    bone_mass_minima: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.empty(0), np.empty(0)))
    day_bone_exhausted: float | None = None
    floor: bool = False
    treatment_start: float | None = None
    treatment_label: str | None = None
    reasons: list[Reason] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    solver: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for caveat in unverified_caveats(self.sources):
            if caveat not in self.caveats:
                self.caveats.append(caveat)

    @property
    def sources(self) -> list[str]:
        """Ids of every source cited by the run's reasons, in order."""
        seen: dict[str, None] = {}
        for reason in self.reasons:
            for source_id in reason.sources:
                seen.setdefault(source_id, None)
        return list(seen)

    def __getattr__(self, name: str) -> np.ndarray:
        # Extra series read like the core ones: run.tumour, run.rankl_free_fraction, ...
        series = self.__dict__.get("series", {})
        if name in series:
            return series[name]
        raise AttributeError(f"{type(self).__name__} has no attribute or series {name!r}")

    def to_frame(self) -> pd.DataFrame:
        """The run as a tidy table: one row per day of the grid, one column per variable."""
        columns: dict[str, np.ndarray] = {
            "day": self.t,
            "osteoclasts": self.osteoclasts,
            "osteoblasts": self.osteoblasts,
        }
        if self.bone_mass is not None:
            columns["bone_mass"] = self.bone_mass
        columns.update(self.series)
        return pd.DataFrame(columns)

    def milestones(self) -> BoneMilestones:
        """Minimum (exact, from the solver's event detection), its day, and the final bone mass."""
        if self.bone_mass is None:
            raise AttributeError(f"{self.model} has no bone mass")
        times = np.concatenate([self.t, self.bone_mass_minima[0]])
        values = np.concatenate([self.bone_mass, self.bone_mass_minima[1]])
        if self.day_bone_exhausted is not None:
            times = np.append(times, self.day_bone_exhausted)
            values = np.append(values, BONE_FLOOR)
        order = np.lexsort((times, values))
        lowest = int(order[0])
        return BoneMilestones(
            initial=float(self.bone_mass[0]),
            minimum=float(values[lowest]),
            day_of_minimum=float(times[lowest]),
            final=float(self.bone_mass[-1]),
            final_day=float(self.t[-1]),
            maximum_loss=float(self.bone_mass[0] - values[lowest]),
            day_bone_exhausted=self.day_bone_exhausted,
        )

    def period(self) -> float | None:
        """Mean time between successive osteoclast peaks (days); ``None`` with fewer than two peaks."""
        times = self.osteoclast_peaks[0]
        if len(times) < 2:
            return None
        return float(np.mean(np.diff(times)))

    def value_at(self, name: str, day: float) -> float:
        """A variable at any day within the run, by linear interpolation on the grid."""
        table = self.to_frame()
        if name not in table:
            raise KeyError(name)
        return float(np.interp(day, self.t, table[name].to_numpy()))


def reflect_at_floor(
    t: np.ndarray, z: np.ndarray, minima_t: np.ndarray, minima_z: np.ndarray, floor: float = BONE_FLOOR
) -> np.ndarray:
    """Bone mass held at ``floor`` once it reaches it: ``z + max(0, floor - running minimum of z)``.

    This is the exact solution of ``dz/dt = rate`` above the floor and ``dz/dt = max(rate, 0)`` on it
    (once local bone is gone, resorption cannot remove more and formation rebuilds from the floor). The running
    minimum uses the grid and the exactly located local minima, so it is exact on the grid.
    """
    all_t = np.concatenate([t, minima_t])
    all_z = np.concatenate([z, minima_z])
    order = np.argsort(all_t, kind="stable")
    running = np.minimum.accumulate(all_z[order])
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    lowest = running[position[: t.size]]
    return z + np.maximum(0.0, floor - lowest)


def unverified_caveats(source_ids: list[str]) -> list[str]:
    """One caveat per cited source whose verification is ``unverified`` (its id and the first sentence of notes)."""
    caveats = []
    for source_id in source_ids:
        source = get_source(source_id)
        if source.verification == Verification.UNVERIFIED:
            first = source.notes.split(". ")[0].rstrip(".") if source.notes else source.citation
            caveats.append(f"Unverified source [{source_id}]: {first}.")
    return caveats
