"""metastasis: evidence-traceable decision support and education for metastatic breast cancer.

Every clinical result carries the reasons that produced it and the ids of the sources it rests on
(see :mod:`metastasis.evidence`). Outputs are decision support and education, not a medical device.

``metastasis.assess_case(case)`` runs the whole-case assessment and returns a ``Report``; both are imported
on first use, so that ``import metastasis`` stays light.
"""

from typing import Any

from metastasis.errors import InvalidInputError, MetastasisError

__version__ = "0.1.0"

DISCLAIMER = (
    "Decision support and education only - not a medical device and not medical advice. "
    "Check every result against the cited sources and discuss it with the care team."
)

_LAZY = {"assess_case": "metastasis.assess.case", "Report": "metastasis.assess.case"}

__all__ = ["DISCLAIMER", "InvalidInputError", "MetastasisError", "Report", "__version__", "assess_case"]


def __getattr__(name: str) -> Any:
    """Import the whole-case assessment on first use (it loads every capability)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'metastasis' has no attribute {name!r}")
