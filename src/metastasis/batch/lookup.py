"""Dense look-up tables for columnar staging, built from the same data files as the one-case engine.

A row is reduced to small integer codes (T class and prefix kind, N group and prefix kind, M group and whether M
is pathological, system, basis override, grade, ER, PR, HER2, Oncotype DX class). Two keys index two tables:

* ``key_a`` (T, N, M, system, basis override; 28,800 cells) -> :data:`TABLE_A`: anatomic stage, basis used,
  prefix-mix error and the *prognostic mode* (none, a fixed stage, or a block of a prognostic table);
* ``mode x key_b`` (grade, ER, PR, HER2, Oncotype class; 432 cells per mode) -> :data:`TABLE_B`: prognostic stage.

The rule id of a row is ``key_a * KEY_B_SIZE + key_b``: one id per distinct reduced input, whose reasons are
those of the one-case engine on a representative input (:func:`representative`). The decision steps mirror
``staging/engine.py`` and read ``tn_groups.csv``, ``prognostic_*.csv`` and the Oncotype rule of ``rules.yaml``
through :mod:`metastasis.staging.tables`; ``tests/batch`` checks every row against the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from metastasis.staging.tables import BLOCKS, N_GROUPS, STAGES, T_GROUPS, prognostic_table, rules, tn_grid

# --- code layout --------------------------------------------------------------------------------------------

T_CLASSES: tuple[str, ...] = (*T_GROUPS, "Tis(LCIS)")
"""T groups of the tables, and LCIS apart (AJCC 8th does not stage it)."""
KIND_PREFIX: tuple[str, ...] = ("", "c", "p", "yc", "yp")
"""Prefix kinds of T and N by what the engine uses: none, clinical, pathological, post-therapy clinical/path."""
PREFIX_KIND: dict[str, int] = {"": 0, "c": 1, "r": 1, "rc": 1, "p": 2, "rp": 2, "yc": 3, "yp": 4}
M_GROUPS: tuple[str, ...] = ("M0", "M1")
SYSTEMS: tuple[str, ...] = ("ajcc8", "uicc8")
BASES: tuple[str, ...] = ("clinical", "pathological")
BASIS_OVERRIDES: tuple[str | None, ...] = (None, "clinical", "pathological")
GRADES: tuple[int | None, ...] = (None, 1, 2, 3)
RECEPTORS: tuple[str, ...] = ("positive", "negative", "unknown")
HER2S: tuple[str, ...] = ("positive", "negative", "equivocal", "unknown")
ONCOTYPE_CLASSES: tuple[str, ...] = ("none", "below", "not_below")

# Strides, innermost last: key_a = T, N, M, system, basis; key_b = grade, ER, PR, HER2, Oncotype.
S_BASIS = 1
S_SYSTEM = len(BASIS_OVERRIDES)
S_M = S_SYSTEM * len(SYSTEMS)
S_N = S_M * len(M_GROUPS) * 2
S_T = S_N * len(N_GROUPS) * len(KIND_PREFIX)
KEY_A_SIZE = S_T * len(T_CLASSES) * len(KIND_PREFIX)
S_ONCO = 1
S_HER2 = len(ONCOTYPE_CLASSES)
S_PR = S_HER2 * len(HER2S)
S_ER = S_PR * len(RECEPTORS)
S_GRADE = S_ER * len(RECEPTORS)
KEY_B_SIZE = S_GRADE * len(GRADES)
BAD = -(1 << 26)
"""Contribution of an invalid value: any key with one is negative (valid keys stay below 2**24)."""

# TABLE_A cell bits
ANATOMIC_MASK = 0xF  # 0 = no group, k = STAGES[k - 1]
BASIS_BIT = 4  # 1 = pathological
MIX_BIT = 5  # T and N mix post-therapy and other prefixes: an input error
MODE_SHIFT = 6

# Prognostic modes: 0 none, 1..9 a fixed stage, then one per (block, table, Oncotype rule applies).
_FIXED = 1
_BLOCK_BASE = _FIXED + len(STAGES)


def _block_mode(block: str, basis: str, oncotype_applies: bool) -> int:
    return _BLOCK_BASE + (BLOCKS.index(block) * 2 + BASES.index(basis)) * 2 + int(oncotype_applies)


N_MODES = _BLOCK_BASE + len(BLOCKS) * 4


@dataclass(frozen=True)
class Reduced:
    """The reduced input that one rule id stands for."""

    t_class: int
    t_kind: int
    n_group: int
    n_kind: int
    m_group: int
    m_path: int
    system: int
    basis: int
    grade: int
    er: int
    pr: int
    her2: int
    oncotype: int


def decode(rule: int) -> Reduced:
    """The reduced input of a rule id (the inverse of the key layout)."""
    if not 0 <= rule < KEY_A_SIZE * KEY_B_SIZE:
        raise ValueError(rule)
    key_a, key_b = divmod(rule, KEY_B_SIZE)
    t, rest = divmod(key_a, S_T)
    n, rest = divmod(rest, S_N)
    m, rest = divmod(rest, S_M)
    system, basis = divmod(rest, S_SYSTEM)
    grade, rest = divmod(key_b, S_GRADE)
    er, rest = divmod(rest, S_ER)
    pr, rest = divmod(rest, S_PR)
    her2, onco = divmod(rest, S_HER2)
    t_class, t_kind = divmod(t, len(KIND_PREFIX))
    n_group, n_kind = divmod(n, len(KIND_PREFIX))
    return Reduced(t_class, t_kind, n_group, n_kind, *divmod(m, 2), system, basis, grade, er, pr, her2, onco)


REPRESENTATIVE_SCORES: dict[int, float | None] = {0: None, 1: 10.0, 2: 11.0}
"""Oncotype DX scores that stand for each class in :func:`representative` (the two sides of the cut-off)."""


def representative(rule: int) -> dict[str, Any]:
    """Keyword arguments of ``stage_breast`` for one input that the rule id stands for.

    Example
    -------
    >>> from metastasis.staging import stage_breast
    >>> stage_breast(**representative(0)).anatomic_stage is None
    True
    """
    r = decode(rule)
    m_prefix = "p" if r.m_path else "c"
    return {
        "t": KIND_PREFIX[r.t_kind] + T_CLASSES[r.t_class],
        "n": KIND_PREFIX[r.n_kind] + N_GROUPS[r.n_group],
        "m": m_prefix + M_GROUPS[r.m_group],
        "grade": GRADES[r.grade],
        "er": RECEPTORS[r.er],
        "pr": RECEPTORS[r.pr],
        "her2": HER2S[r.her2],
        "oncotype_rs": REPRESENTATIVE_SCORES[r.oncotype],
        "system": SYSTEMS[r.system],
        "basis": BASIS_OVERRIDES[r.basis],
    }


# --- table A: T, N, M, system, basis ------------------------------------------------------------------------


def _post(kind: int) -> bool:
    return kind >= 3


def _path(kind: int) -> bool:
    return kind in (2, 4)


def _cell_a(t_class: int, t_kind: int, n: int, n_kind: int, m: int, m_path: int, system: int, basis: int) -> int:
    """One cell of table A, following ``engine._Staging.run``."""
    if t_kind and n_kind and _post(t_kind) != _post(n_kind):
        return 1 << MIX_BIT
    if basis:
        basis_name = BASIS_OVERRIDES[basis]
    else:
        basis_name = "pathological" if _path(t_kind) or _path(n_kind) or m_path else "clinical"
    post = _post(t_kind) or _post(n_kind)
    ajcc = SYSTEMS[system] == "ajcc8"
    t_group = "Tis" if T_CLASSES[t_class] == "Tis(LCIS)" else T_CLASSES[t_class]
    n_group = N_GROUPS[n]
    anatomic, mode = None, 0
    if M_GROUPS[m] == "M1":
        anatomic = "IV"
        if ajcc and not post:
            mode = _FIXED + STAGES.index("IV")
    elif (ajcc and T_CLASSES[t_class] == "Tis(LCIS)") or (post and t_group in ("T0", "Tis") and n_group == "N0"):
        pass
    else:
        cell = tn_grid()[(t_group, n_group)]
        anatomic = cell.anatomic_stage
        if anatomic is not None and ajcc and not post:
            if cell.prognostic_fixed is not None:
                mode = _FIXED + STAGES.index(cell.prognostic_fixed)
            else:
                assert cell.prognostic_block is not None
                onco = rules()["oncotype"]
                applies = basis_name == "pathological" and t_group in onco["t_groups"] and n_group in onco["n_groups"]
                mode = _block_mode(cell.prognostic_block, basis_name, applies)
    code = 0 if anatomic is None else STAGES.index(anatomic) + 1
    return code | (BASES.index(basis_name) << BASIS_BIT) | (mode << MODE_SHIFT)


@cache
def table_a() -> np.ndarray:
    """Table A as an ``int16`` array of :data:`KEY_A_SIZE` cells."""
    out = np.zeros(KEY_A_SIZE, dtype=np.int16)
    for t_class in range(len(T_CLASSES)):
        for t_kind in range(len(KIND_PREFIX)):
            for n in range(len(N_GROUPS)):
                for n_kind in range(len(KIND_PREFIX)):
                    for m in range(len(M_GROUPS)):
                        for m_path in (0, 1):
                            for system in range(len(SYSTEMS)):
                                for basis in range(len(BASIS_OVERRIDES)):
                                    key = (
                                        (t_class * len(KIND_PREFIX) + t_kind) * S_T
                                        + (n * len(KIND_PREFIX) + n_kind) * S_N
                                        + (m * 2 + m_path) * S_M
                                        + system * S_SYSTEM
                                        + basis
                                    )
                                    out[key] = _cell_a(t_class, t_kind, n, n_kind, m, m_path, system, basis)
    out.flags.writeable = False
    return out


# --- table B: prognostic mode x markers ---------------------------------------------------------------------


def _cell_b(mode: int, grade: int, er: int, pr: int, her2: int, onco: int) -> int:
    """One cell of table B (0 = no prognostic group, k = STAGES[k - 1]), following ``engine._prognostic``."""
    if mode == 0:
        return 0
    if mode < _BLOCK_BASE:
        return mode - _FIXED + 1
    index, applies = divmod(mode - _BLOCK_BASE, 2)
    block_index, basis_index = divmod(index, 2)
    her2_name = "negative" if HER2S[her2] == "equivocal" else HER2S[her2]
    if GRADES[grade] is None or "unknown" in (RECEPTORS[er], RECEPTORS[pr], her2_name):
        return 0
    basis = BASES[basis_index]
    key = (BLOCKS[block_index], GRADES[grade], her2_name, RECEPTORS[er], RECEPTORS[pr])
    stage = prognostic_table(basis)[key]
    rule = rules()["oncotype"]
    if applies and ONCOTYPE_CLASSES[onco] == "below" and her2_name == rule["her2"] and RECEPTORS[er] == rule["er"]:
        stage = rule["stage"]
    return STAGES.index(stage) + 1


@cache
def table_b() -> np.ndarray:
    """Table B as an ``int8`` array of ``N_MODES * KEY_B_SIZE`` cells (mode-major)."""
    out = np.zeros(N_MODES * KEY_B_SIZE, dtype=np.int8)
    for mode in range(N_MODES):
        for grade in range(len(GRADES)):
            for er in range(len(RECEPTORS)):
                for pr in range(len(RECEPTORS)):
                    for her2 in range(len(HER2S)):
                        for onco in range(len(ONCOTYPE_CLASSES)):
                            key_b = grade * S_GRADE + er * S_ER + pr * S_PR + her2 * S_HER2 + onco
                            out[mode * KEY_B_SIZE + key_b] = _cell_b(mode, grade, er, pr, her2, onco)
    out.flags.writeable = False
    return out
