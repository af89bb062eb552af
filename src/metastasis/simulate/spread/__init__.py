"""Metastatic spread over anatomic sites: a Markov-chain engine, fitting, simulation and breast defaults.

* :class:`MarkovChain` — a validated chain over named sites with exact analytics (stationary distribution,
  k-step distributions, mean first-passage times, pathway probabilities, spreader/sponge roles) and a
  vectorised Monte Carlo simulator.
* :func:`fit_sequences` / :func:`fit_stationary` — fit a matrix to patient sequences (Dirichlet-smoothed
  maximum likelihood with intervals) or an ensemble of matrices to a target distribution (Newton et al.).
* :func:`breast_model` / :func:`breast_chain` — the default breast parameterisation per subtype, with its
  sources and assumption flags; :func:`site_frequencies` — published site frequencies, labelled by kind.
* :class:`CalendarTime` — an explicit, assumption-flagged mapping from steps to years.
* :func:`spread_report` — exact results next to a Monte Carlo check, with reasons, sources and caveats.

Figures live in :mod:`metastasis.simulate.spread.plot` (imported on demand: it loads matplotlib).

Example
-------
>>> from metastasis.simulate.spread import MarkovChain
>>> chain = MarkovChain(sites=["breast", "bone"], matrix=[[0.0, 1.0], [0.0, 1.0]])
>>> chain.mean_first_passage("breast", "bone")
1.0
"""

from metastasis.simulate.spread.calendar import CalendarTime
from metastasis.simulate.spread.chain import MarkovChain, Pathway, SiteRole
from metastasis.simulate.spread.defaults import (
    SUBTYPES,
    BreastModel,
    breast_calendar,
    breast_chain,
    breast_ensemble,
    breast_model,
)
from metastasis.simulate.spread.fit import EnsembleFit, SequenceFit, fit_sequences, fit_stationary
from metastasis.simulate.spread.frequencies import FrequencyKind, SiteFrequency, site_frequencies, site_frequency
from metastasis.simulate.spread.report import SpreadReport, spread_report

__all__ = [
    "SUBTYPES",
    "BreastModel",
    "CalendarTime",
    "EnsembleFit",
    "FrequencyKind",
    "MarkovChain",
    "Pathway",
    "SequenceFit",
    "SiteFrequency",
    "SiteRole",
    "SpreadReport",
    "breast_calendar",
    "breast_chain",
    "breast_ensemble",
    "breast_model",
    "fit_sequences",
    "fit_stationary",
    "site_frequencies",
    "site_frequency",
    "spread_report",
]
