"""Bone microenvironment simulation: remodelling, tumour-driven lesions and bone-targeted drugs.

Models (each with its published parameter sets in ``data/*.yaml`` and the sources behind them):

* :class:`Komarova2003` - osteoclasts, osteoblasts and bone mass in one remodelling unit (single cycle; neutral
  cycles at Psi = 0).
* :class:`Ayati2010` - the same with a tumour that changes bone-cell signalling (myeloma), Ayati's treatment
  variant, a bone-mass floor and hooks for bone-targeted drugs.
* :class:`Lemaire2004` - the RANKL/OPG/PTH model in which RANKL, the target of denosumab, is explicit.

Around them: lesion phenotypes (:func:`lesion`), denosumab and zoledronic-acid regimens with separate PK and PD
(:func:`denosumab`, :func:`zoledronic_acid`), the one-call scenario behind ``metastasis bone``
(:func:`simulate_lesion`), an explicitly assumed and calibrated link to skeletal-related events
(:mod:`~metastasis.simulate.bone.sre`), vectorised parameter sweeps (:func:`komarova_sweep`) and figures
(:mod:`~metastasis.simulate.bone.plot`).

Example
-------
>>> from metastasis.simulate.bone import Komarova2003
>>> model = Komarova2003(parameter_set="single_cycle")
>>> run = model.simulate(days=400, osteoclast_excess=10)
>>> round(run.milestones().minimum, 1), round(run.milestones().day_of_minimum, 1)
(89.8, 12.3)
"""

from metastasis.simulate.bone._solver import BoneSolverError
from metastasis.simulate.bone.ayati import Ayati2010
from metastasis.simulate.bone.drugs import DosingSchedule, Regimen, denosumab, regimen, zoledronic_acid
from metastasis.simulate.bone.komarova import Komarova2003
from metastasis.simulate.bone.lesions import Lesion, lesion, lesions
from metastasis.simulate.bone.rankl import Lemaire2004
from metastasis.simulate.bone.result import BoneMilestones, BoneRun
from metastasis.simulate.bone.scenario import LesionScenario, LesionSummary, simulate_lesion
from metastasis.simulate.bone.sweep import SweepResult, komarova_sweep, sample_parameters

__all__ = [
    "Ayati2010",
    "BoneMilestones",
    "BoneRun",
    "BoneSolverError",
    "DosingSchedule",
    "Komarova2003",
    "Lemaire2004",
    "Lesion",
    "LesionScenario",
    "LesionSummary",
    "Regimen",
    "SweepResult",
    "denosumab",
    "komarova_sweep",
    "lesion",
    "lesions",
    "regimen",
    "sample_parameters",
    "simulate_lesion",
    "zoledronic_acid",
]
