"""The staging engine: parsed T, N, M and biomarkers in, stage groups with reasons and sources out."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from metastasis.domain.biomarkers import ReceptorStatus, histologic_grade, receptor_status
from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.staging.result import Basis, StageResult, System
from metastasis.staging.tables import TNCell, prognostic_table, rules, tn_grid
from metastasis.staging.tnm import TNMCategory, parse_m, parse_n, parse_t

_SYSTEMS: tuple[str, ...] = ("ajcc8", "uicc8")
_BASES: tuple[str, ...] = ("clinical", "pathological")


def _reason(rule_id: str, *, sources: list[str] | None = None, **fields: Any) -> Reason:
    # the type is part of the key: 2 and 2.0 are equal but are written differently in the text
    key = (rule_id, tuple(sources or ()), tuple(sorted((k, type(v), v) for k, v in fields.items())))
    try:
        return _cached_reason(*key)
    except TypeError:  # a field value that cannot be hashed: build it afresh
        return _build_reason(*key)


def _build_reason(rule_id: str, sources: tuple[str, ...], fields: tuple[tuple[str, type, Any], ...]) -> Reason:
    rule = rules()["rules"][rule_id]
    cited = tuple(dict.fromkeys([*rule["sources"], *sources]))
    return Reason(rule=rule_id, text=rule["text"].format(**{k: v for k, _, v in fields}), sources=cited)


_cached_reason = lru_cache(maxsize=4096)(_build_reason)
"""Reasons are immutable and a few thousand exist (rule x stage values): the API builds the same ones again."""


def _table_sources(name: str) -> list[str]:
    return list(rules()["tables"][name]["sources"])


def _caveat(key: str) -> str:
    return rules()["caveats"][key]


def _choice(value: Any, field: str, allowed: tuple[str, ...]) -> str:
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise InvalidInputError(field, value, allowed)


def _oncotype(value: Any) -> float | None:
    allowed = "a recurrence score from 0 to 100, or None"
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError("oncotype_rs", value, allowed)
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise InvalidInputError("oncotype_rs", value, allowed)
    return float(value)


def _check_post_therapy_prefixes(t: TNMCategory, n: TNMCategory) -> None:
    flags = {cat.is_post_therapy for cat in (t, n) if cat.prefix}
    if len(flags) == 2:
        raise InvalidInputError(
            "n",
            n.label,
            "the same kind of prefix as T",
            detail=f"{t.label} and {n.label} mix post-neoadjuvant (y) and other classifications",
        )


def _basis(t: TNMCategory, n: TNMCategory, m: TNMCategory, override: Any) -> tuple[Basis, Reason]:
    if override is not None:
        basis: Basis = _choice(override, "basis", _BASES)  # type: ignore[assignment]
        return basis, _reason("basis.override", basis=basis.capitalize())
    marked = [cat.label for cat in (t, n, m) if cat.is_pathological]
    if marked:
        why = f"pathological prefix (p/yp) on {', '.join(marked)}"
        return "pathological", _reason("basis.prefix", basis="Pathological", why=why)
    return "clinical", _reason("basis.prefix", basis="Clinical", why="no category carries a p or yp prefix")


def stage_breast(
    t: str,
    n: str,
    m: str,
    *,
    grade: int | str | None = None,
    er: str | bool | None = None,
    pr: str | bool | None = None,
    her2: str | bool | None = None,
    oncotype_rs: float | None = None,
    system: str = "ajcc8",
    basis: str | None = None,
) -> StageResult:
    """Stage a breast cancer by TNM (AJCC 8th anatomic and prognostic, or UICC 8th anatomic).

    Parameters
    ----------
    t, n, m:
        Categories in any common spelling: ``"pT2"``, ``"t1C"``, ``"cN1mi"``, ``"pN0(i+)"``, ``"Tis (Paget)"``,
        ``"cM0"``, ``"M0(i+)"``; prefixes c/p/yc/yp/r/rc/rp or none.
    grade:
        Nottingham histologic grade: 1-3, ``"G1"``-``"G3"``, or ``None`` (unknown).
    er, pr, her2:
        ``"positive"``/``"+"``/``True``, ``"negative"``/``"-"``/``False``, ``"unknown"``/``None``;
        HER2 also ``"equivocal"``, which counts as negative for staging.
    oncotype_rs:
        Oncotype DX recurrence score (0-100) or ``None``. A score below 11 makes a pathologically staged
        T1-2 N0 M0, HER2-negative, ER-positive cancer pathological prognostic stage IA.
    system:
        ``"ajcc8"`` (anatomic and prognostic groups) or ``"uicc8"`` (anatomic group only; stages Tis(LCIS)).
    basis:
        ``None`` to decide from the prefixes (pathological when any category has p or yp, else clinical),
        or ``"clinical"``/``"pathological"`` to choose the prognostic table yourself.

    Returns
    -------
    StageResult
        ``anatomic_stage``, ``prognostic_stage`` (``None`` where no group applies), ``basis``, ``reasons``,
        ``sources`` and ``caveats``; ``explain()`` gives the patient text.

    Raises
    ------
    InvalidInputError
        Naming the field, the bad value and what is allowed.

    References
    ----------
    AJCC Cancer Staging Manual 8th ed., breast chapter (2018 update), as derived by SEER EOD 2.1; UICC TNM 8th.
    See ``metastasis.evidence`` for the full records.

    Examples
    --------
    >>> r = stage_breast("pT2", "pN1a", "cM0", grade=2, er="positive", pr="negative", her2="negative")
    >>> r.anatomic_stage, r.prognostic_stage, r.basis
    ('IIB', 'IIB', 'pathological')
    """
    system_ = _choice(system, "system", _SYSTEMS)
    t_cat, n_cat, m_cat = parse_t(t), parse_n(n), parse_m(m)
    _check_post_therapy_prefixes(t_cat, n_cat)
    grade_ = histologic_grade(grade)
    er_ = receptor_status(er, field="er")
    pr_ = receptor_status(pr, field="pr")
    her2_ = receptor_status(her2, field="her2", equivocal_allowed=True)
    rs = _oncotype(oncotype_rs)
    basis_, basis_reason = _basis(t_cat, n_cat, m_cat, basis)

    staging = _Staging(system_, basis_, t_cat, n_cat, m_cat, grade_, er_, pr_, her2_, rs)  # type: ignore[arg-type]
    staging.reasons.append(basis_reason)
    staging.run()
    return StageResult(
        system=system_,  # type: ignore[arg-type]
        basis=basis_,
        t=t_cat.label,
        n=n_cat.label,
        m=m_cat.label,
        t_group=t_cat.group,
        n_group=n_cat.group,
        m_group=m_cat.group,
        post_therapy=staging.post_therapy,
        grade=grade_,
        er=er_,
        pr=pr_,
        her2=her2_,
        oncotype_rs=rs,
        anatomic_stage=staging.anatomic,  # type: ignore[arg-type]
        prognostic_stage=staging.prognostic,  # type: ignore[arg-type]
        prognostic_table=staging.prognostic_table,
        reasons=staging.reasons,
        caveats=list(dict.fromkeys(staging.caveats)),
    )


class _Staging:
    """The decision steps of one staging, accumulating reasons and caveats as they go."""

    def __init__(
        self,
        system: System,
        basis: Basis,
        t: TNMCategory,
        n: TNMCategory,
        m: TNMCategory,
        grade: int | None,
        er: ReceptorStatus,
        pr: ReceptorStatus,
        her2: ReceptorStatus,
        oncotype_rs: float | None,
    ) -> None:
        self.system, self.basis = system, basis
        self.t, self.n, self.m = t, n, m
        self.grade, self.er, self.pr, self.her2 = grade, er, pr, her2
        self.oncotype_rs = oncotype_rs
        self.post_therapy = t.is_post_therapy or n.is_post_therapy
        self.anatomic: str | None = None
        self.prognostic: str | None = None
        self.prognostic_table: Basis | None = None
        self.oncotype_used = False
        self.reasons: list[Reason] = []
        self.caveats: list[str] = []

    def run(self) -> None:
        if self.system == "uicc8":
            self.caveats.append(_caveat("uicc8_table"))
        if self.post_therapy:
            self.caveats.append(_caveat("post_therapy"))
        if self.m.group == "M1":
            self._metastatic()
        elif self._unstageable_m0():
            pass
        else:
            cell = tn_grid()[(self.t.group, self.n.group)]
            self._anatomic(cell)
            if self.anatomic is not None:
                self._prognostic(cell)
        if self.oncotype_rs is not None:
            self.caveats.append(_caveat("oncotype_scope"))
            if not self.oncotype_used:
                self._oncotype_not_applied()

    def _metastatic(self) -> None:
        self.anatomic = "IV"
        self.reasons.append(_reason("anatomic.m1"))
        if self.system == "uicc8":
            self.reasons.append(_reason("prognostic.uicc8"))
        elif self.post_therapy:
            self.reasons.append(_reason("post_therapy"))
        else:
            self.prognostic, self.prognostic_table = "IV", self.basis
            self.reasons.append(_reason("prognostic.m1"))

    def _unstageable_m0(self) -> bool:
        """Edge cases decided before the tables: LCIS under AJCC 8th and complete response after therapy."""
        if self.system == "ajcc8" and self.t.code == "Tis(LCIS)":
            self.reasons.append(_reason("edge.lcis_ajcc8"))
            return True
        if self.post_therapy and self.t.group in ("T0", "Tis") and self.n.group == "N0":
            self.reasons.append(_reason("post_therapy.complete_response", t=self.t.label, n=self.n.label))
            return True
        return False

    def _anatomic(self, cell: TNCell) -> None:
        if cell.anatomic_stage is None:
            assert cell.rule is not None  # guaranteed by tables.validate()
            self.reasons.append(_reason(cell.rule, n_group=self.n.group))
            if cell.rule == "edge.tis_node_positive":
                self.caveats.append(_caveat("tis_node_positive"))
            return
        self.anatomic = cell.anatomic_stage
        table = "anatomic" if self.system == "ajcc8" else "anatomic_uicc8"
        self.reasons.append(
            _reason(
                "anatomic.row",
                sources=_table_sources(table),
                t_group=self.t.group,
                n_group=self.n.group,
                stage=cell.anatomic_stage,
                system="AJCC 8th" if self.system == "ajcc8" else "UICC 8th",
            )
        )

    def _prognostic(self, cell: TNCell) -> None:
        if self.system == "uicc8":
            self.reasons.append(_reason("prognostic.uicc8"))
            return
        if self.post_therapy:
            self.reasons.append(_reason("post_therapy"))
            return
        if cell.prognostic_fixed is not None:
            self.prognostic, self.prognostic_table = cell.prognostic_fixed, self.basis
            self.reasons.append(_reason("prognostic.tis_n0"))
            return
        assert cell.prognostic_block is not None  # every staged M0 cell has a block or a fixed stage
        her2 = self.her2
        if her2 is ReceptorStatus.EQUIVOCAL:
            her2 = ReceptorStatus.NEGATIVE
            self.reasons.append(_reason("her2.equivocal"))
        missing = [
            name
            for name, value in (("grade", self.grade), ("ER", self.er), ("PR", self.pr), ("HER2", her2))
            if value is None or value is ReceptorStatus.UNKNOWN
        ]
        if missing:
            self.reasons.append(_reason("prognostic.missing", missing=", ".join(missing)))
            self.caveats.append(_caveat("anatomic_use"))
            return
        assert self.grade is not None
        block = cell.prognostic_block
        self.reasons.append(_reason("prognostic.block", t_group=self.t.group, n_group=self.n.group, block=block))
        key = (block, self.grade, her2.value, self.er.value, self.pr.value)
        stage = prognostic_table(self.basis)[key]
        self.reasons.append(
            _reason(
                "prognostic.row",
                sources=_table_sources(self.basis),
                table=self.basis.capitalize(),
                block=block,
                grade=self.grade,
                her2=her2.value,
                er=self.er.value,
                pr=self.pr.value,
                stage=stage,
            )
        )
        self.prognostic, self.prognostic_table = stage, self.basis
        self.caveats.append(_caveat("grade_source"))
        self._apply_oncotype(her2)

    def _apply_oncotype(self, her2: ReceptorStatus) -> None:
        rule = rules()["oncotype"]
        if (
            self.oncotype_rs is None
            or self.basis != "pathological"
            or self.t.group not in rule["t_groups"]
            or self.n.group not in rule["n_groups"]
            or her2.value != rule["her2"]
            or self.er.value != rule["er"]
        ):
            return
        self.oncotype_used = True
        if self.oncotype_rs >= rule["below"]:
            why = f"the score is not below {rule['below']}, so the table stage {self.prognostic} stands"
            self.reasons.append(_reason("prognostic.oncotype_not_applied", score=_fmt(self.oncotype_rs), why=why))
            return
        self.reasons.append(
            _reason(
                "prognostic.oncotype",
                sources=list(rule["sources"]),
                score=_fmt(self.oncotype_rs),
                below=rule["below"],
                t_group=self.t.group,
                table_stage=self.prognostic,
            )
        )
        self.prognostic = rule["stage"]

    def _oncotype_not_applied(self) -> None:
        rule = rules()["oncotype"]
        checks = [
            (self.prognostic_table == "pathological", "it applies to the pathological prognostic stage only"),
            (self.t.group in rule["t_groups"], f"it applies to {'/'.join(rule['t_groups'])} only"),
            (self.n.group in rule["n_groups"] and self.m.group == "M0", "it applies to N0 M0 only"),
            (self.her2 in (ReceptorStatus.NEGATIVE, ReceptorStatus.EQUIVOCAL), "it applies to HER2-negative only"),
            (self.er is ReceptorStatus.POSITIVE, "it applies to ER-positive only"),
        ]
        why = next((text for ok, text in checks if not ok), "no prognostic stage group could be assigned")
        assert self.oncotype_rs is not None
        self.reasons.append(_reason("prognostic.oncotype_not_applied", score=_fmt(self.oncotype_rs), why=why))


def _fmt(score: float) -> str:
    return f"{score:g}"
