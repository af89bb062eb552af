"""Breast cancer TNM staging: AJCC 8th (2018 update) anatomic and prognostic groups, and UICC 8th.

Example
-------
>>> from metastasis.staging import stage_breast
>>> r = stage_breast(t="pT2", n="pN1a", m="cM0", grade=2, er="positive", pr="negative",
...                  her2="negative", oncotype_rs=None, system="ajcc8", basis=None)
>>> r.anatomic_stage, r.prognostic_stage, r.basis
('IIB', 'IIB', 'pathological')
"""

from typing import Any

from metastasis.staging.engine import stage_breast
from metastasis.staging.explain import (
    CategoryExplanation,
    TNMExplanation,
    explain_categories,
    explain_category,
    explain_result,
    explain_tnm,
)
from metastasis.staging.measure import DerivedCategory, pn_from_nodes, t_from_size
from metastasis.staging.result import StageResult
from metastasis.staging.tnm import TNMCategory, parse_m, parse_n, parse_t

__all__ = [
    "CategoryExplanation",
    "DerivedCategory",
    "StageResult",
    "TNMCategory",
    "TNMExplanation",
    "explain_categories",
    "explain_category",
    "explain_result",
    "explain_tnm",
    "parse_m",
    "parse_n",
    "parse_t",
    "pn_from_nodes",
    "rule_reasons",
    "stage_breast",
    "stage_breast_batch",
    "t_from_size",
]

_BATCH = ("stage_breast_batch", "rule_reasons")


def __getattr__(name: str) -> Any:
    """The columnar engine on first use (it imports pyarrow, which one-case staging does not need)."""
    if name in _BATCH:
        from metastasis.staging import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
