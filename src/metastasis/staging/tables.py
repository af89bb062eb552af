"""Load the staging data files once and check them for consistency.

The files in ``metastasis/staging/data`` are the single home of the staging knowledge:

* ``categories.yaml`` - T, N and M categories, their table groups and accepted spellings;
* ``tn_groups.csv`` - for each T group x N group (M0): the anatomic stage, the prognostic block (A-E) or a
  fixed prognostic stage, and the rule that explains a missing group;
* ``prognostic_clinical.csv`` / ``prognostic_pathological.csv`` - block x grade x HER2 x ER x PR -> stage;
* ``rules.yaml`` - the text and sources of every reason, the Oncotype DX rule and caveats;
* ``measurements.yaml`` - size and node-count cut-offs; ``explanations.yaml`` - patient text of the stage
  groups; ``category_explanations.yaml`` - patient text of every T, N and M category.

The long, flat layout is deliberate: a vectorised engine can turn each CSV into a small dense array
(7 T groups x 6 N groups; 5 blocks x 3 grades x 2 x 2 x 2) and stage columns of registry data by indexing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError
from metastasis.evidence import check_cited

STAGES: tuple[str, ...] = ("0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV")
T_GROUPS: tuple[str, ...] = ("TX", "T0", "Tis", "T1", "T2", "T3", "T4")
N_GROUPS: tuple[str, ...] = ("NX", "N0", "N1mi", "N1", "N2", "N3")
BLOCKS: tuple[str, ...] = ("A", "B", "C", "D", "E")
_STATUSES = ("positive", "negative")
CONTEXTS: tuple[str, ...] = ("clinical", "pathological", "unspecified")
# A T, N or M category code (with any prefix) inside patient text: the code belongs beside the text, as a label.
CATEGORY_CODE = re.compile(r"\b(?:y|r)?[cp]?(?:T(?:X|is|[0-4])|N(?:X|[0-3])|M[01])")


def _text(name: str) -> str:
    return resources.files("metastasis.staging").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _yaml(name: str) -> dict[str, Any]:
    return load_data(_text(name))


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(name))))


@dataclass(frozen=True)
class CategoryDef:
    """One T, N or M category as defined in ``categories.yaml``."""

    axis: str
    code: str
    group: str
    aliases: tuple[str, ...]
    definition: str
    pathological_only: bool = False
    clinical_only: bool = False
    not_staged_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class TNCell:
    """One row of ``tn_groups.csv``."""

    anatomic_stage: str | None
    prognostic_block: str | None
    prognostic_fixed: str | None
    rule: str | None


@cache
def categories() -> dict[str, dict[str, CategoryDef]]:
    """Categories by axis ("T", "N", "M") and canonical code."""
    data = _yaml("categories.yaml")
    check_cited(data["sources"])
    out: dict[str, dict[str, CategoryDef]] = {}
    for axis in ("T", "N", "M"):
        out[axis] = {}
        for item in data[axis]:
            cat = CategoryDef(
                axis=axis,
                code=item["code"],
                group=item["group"],
                aliases=tuple(item["aliases"]),
                definition=item["definition"],
                pathological_only=item.get("pathological_only", False),
                clinical_only=item.get("clinical_only", False),
                not_staged_in=tuple(item.get("not_staged_in", ())),
            )
            out[axis][cat.code] = cat
    return out


@cache
def rejected_spellings() -> dict[str, dict[str, str]]:
    """Spellings refused on purpose, by axis, with the reason shown to the user."""
    return _yaml("categories.yaml").get("rejected", {})


@cache
def tn_grid() -> dict[tuple[str, str], TNCell]:
    """The T group x N group grid for M0."""
    grid: dict[tuple[str, str], TNCell] = {}
    for row in _csv("tn_groups.csv"):
        grid[(row["t_group"], row["n_group"])] = TNCell(
            anatomic_stage=row["anatomic_stage"] or None,
            prognostic_block=row["prognostic_block"] or None,
            prognostic_fixed=row["prognostic_fixed"] or None,
            rule=row["rule"] or None,
        )
    return grid


@cache
def prognostic_table(name: str) -> dict[tuple[str, int, str, str, str], str]:
    """``{(block, grade, her2, er, pr): stage}`` for the "clinical" or "pathological" table."""
    return {
        (row["block"], int(row["grade"]), row["her2"], row["er"], row["pr"]): row["stage"]
        for row in _csv(f"prognostic_{name}.csv")
    }


@cache
def rules() -> dict[str, Any]:
    """The parsed ``rules.yaml``."""
    return _yaml("rules.yaml")


@cache
def measurements() -> dict[str, Any]:
    """The parsed ``measurements.yaml``."""
    return _yaml("measurements.yaml")


@cache
def explanations() -> dict[str, Any]:
    """The parsed ``explanations.yaml``."""
    return _yaml("explanations.yaml")


@cache
def category_explanations() -> dict[str, Any]:
    """The parsed ``category_explanations.yaml``."""
    return _yaml("category_explanations.yaml")


def _validate_category_explanations() -> None:
    """One entry per category code; each gives one text or a text per context; no codes in texts; sources."""
    data = category_explanations()
    check_cited(data["sources"])
    entries = [("prefix " + key, entry) for key, entry in data["prefixes"].items()]
    for axis, cats in categories().items():
        texts = data[axis]
        if set(texts) != set(cats):
            raise DataIntegrityError(
                f"category_explanations.yaml {axis}: codes {sorted(set(texts) ^ set(cats))} differ from categories"
            )
        entries += [(code, entry) for code, entry in texts.items()]
    for code, entry in entries:
        keys = set(entry) - {"sources"}
        if keys not in ({"text"}, set(CONTEXTS)):
            raise DataIntegrityError(f"category_explanations.yaml {code}: give text, or {', '.join(CONTEXTS)}")
        check_cited(entry["sources"])
        for key in keys:
            if not entry[key].strip() or CATEGORY_CODE.search(entry[key]):
                raise DataIntegrityError(f"category_explanations.yaml {code}.{key}: empty, or names a category")


def validate() -> None:
    """Check the data files against each other; raise :class:`DataIntegrityError` on the first problem."""
    cats = categories()
    for axis, groups in (("T", T_GROUPS), ("N", N_GROUPS), ("M", ("M0", "M1"))):
        for cat in cats[axis].values():
            if cat.group not in groups:
                raise DataIntegrityError(f"categories.yaml: {cat.code} has unknown group {cat.group}")
    grid = tn_grid()
    expected_cells = {(t, n) for t in T_GROUPS for n in N_GROUPS}
    if set(grid) != expected_cells:
        raise DataIntegrityError("tn_groups.csv must have exactly one row per T group x N group")
    rule_defs = rules()["rules"]
    for key, cell in grid.items():
        staged = cell.anatomic_stage is not None
        if staged == (cell.rule is not None):
            raise DataIntegrityError(f"tn_groups.csv {key}: exactly one of stage and rule must be set")
        if cell.rule is not None and cell.rule not in rule_defs:
            raise DataIntegrityError(f"tn_groups.csv {key}: unknown rule {cell.rule}")
        for value in (cell.anatomic_stage, cell.prognostic_fixed):
            if value is not None and value not in STAGES:
                raise DataIntegrityError(f"tn_groups.csv {key}: unknown stage {value}")
        if cell.prognostic_block is not None and cell.prognostic_block not in BLOCKS:
            raise DataIntegrityError(f"tn_groups.csv {key}: unknown block {cell.prognostic_block}")
    full = {(b, g, h, e, p) for b in BLOCKS for g in (1, 2, 3) for h in _STATUSES for e in _STATUSES for p in _STATUSES}
    for name in ("clinical", "pathological"):
        table = prognostic_table(name)
        if set(table) != full or any(stage not in STAGES for stage in table.values()):
            raise DataIntegrityError(f"prognostic_{name}.csv must cover every block/grade/biomarker cell once")
    data = rules()
    for table in data["tables"].values():
        check_cited(table["sources"])
    check_cited(data["oncotype"]["sources"])
    for rule in rule_defs.values():
        check_cited(rule["sources"])
    check_cited(measurements()["size_to_t"]["sources"])
    check_cited(measurements()["node_counts"]["sources"])
    check_cited(explanations()["sources"])
    check_cited(explanations()["markers"]["sources"])
    if set(explanations()["stage"]) != set(STAGES):
        raise DataIntegrityError("explanations.yaml: stage must have one text per stage group")
    _validate_category_explanations()


validate()
