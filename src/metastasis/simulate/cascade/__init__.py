"""The metastatic cascade: per-step survival fractions, metastatic inefficiency and a stochastic simulation."""

from metastasis.simulate.cascade.model import (
    STEPS,
    CascadeResult,
    StepResult,
    cascade,
    simulate_cascade,
    step_fractions,
)

__all__ = ["STEPS", "CascadeResult", "StepResult", "cascade", "simulate_cascade", "step_fractions"]
