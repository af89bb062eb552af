"""Categories from measurements: tumour size -> T, positive lymph nodes -> pN.

Example
-------
>>> t_from_size(14).code, pn_from_nodes(2).code
('T1c', 'N1a')
"""

from __future__ import annotations

import math
from typing import Any, Literal

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.staging.tables import measurements

InternalMammary = Literal["none", "sentinel", "clinical"]
_IM_CHOICES: tuple[str, ...] = ("none", "sentinel", "clinical")


class DerivedCategory(Evidenced):
    """A T or pN category derived from measurements, with the rule that produced it."""

    code: str


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(field, value, "True or False")
    return value


def _number(value: Any, field: str, allowed: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(field, value, allowed)
    return float(value)


def t_from_size(
    size_mm: Any, *, chest_wall: Any = False, skin: Any = False, inflammatory: Any = False
) -> DerivedCategory:
    """T category from the invasive tumour's greatest dimension in millimetres.

    Parameters
    ----------
    size_mm:
        Greatest dimension of the invasive tumour, in mm (> 0). Rounded to the nearest whole millimetre
        (half up) as registries record it, except that a size above 1 mm and below 2 mm is T1a.
    chest_wall, skin, inflammatory:
        Direct extension to the chest wall (T4a), to the skin with ulceration/nodules/oedema (T4b; both: T4c),
        or inflammatory carcinoma (T4d). Any of these gives T4 whatever the size.
    """
    cfg = measurements()["size_to_t"]
    limit = cfg["max_plausible_mm"]
    allowed = f"a size in millimetres greater than 0 and at most {limit}"
    size = _number(size_mm, "size_mm", allowed)
    if not 0 < size <= limit:
        raise InvalidInputError("size_mm", size_mm, allowed)
    wall, skin_, inflam = (
        _flag(v, f) for v, f in ((chest_wall, "chest_wall"), (skin, "skin"), (inflammatory, "inflammatory"))
    )
    sources = tuple(cfg["sources"])
    if inflam or wall or skin_:
        code = "T4d" if inflam else {(True, True): "T4c", (True, False): "T4a", (False, True): "T4b"}[(wall, skin_)]
        text = f"{code}: direct extension or inflammatory carcinoma gives T4 whatever the size"
        return DerivedCategory(code=code, reasons=[Reason(rule="size_to_t.extension", text=text, sources=sources)])
    whole_mm = 2 if 1 < size < 2 else math.floor(size + 0.5)
    for band in cfg["bands"]:
        if band["max_mm"] is None or whole_mm <= band["max_mm"]:
            code = band["code"]
            limit_text = f"<= {band['max_mm']} mm" if band["max_mm"] is not None else "above the largest cut-off"
            break
    text = f"{size:g} mm (recorded as {whole_mm} mm) is {limit_text}: {code}"
    return DerivedCategory(
        code=code,
        reasons=[Reason(rule=f"size_to_t.{code}", text=text, sources=sources)],
        caveats=[cfg["rounding_caveat"]],
    )


def pn_from_nodes(
    positive_axillary: Any,
    *,
    micrometastasis_only: Any = False,
    isolated_tumour_cells_only: Any = False,
    internal_mammary: Any = "none",
    infraclavicular: Any = False,
    supraclavicular: Any = False,
) -> DerivedCategory:
    """Pathological N category from the count of positive axillary (level I-II) nodes and other findings.

    Parameters
    ----------
    positive_axillary:
        Number of axillary nodes with metastasis (integer >= 0).
    micrometastasis_only:
        All nodal deposits are micrometastases (> 0.2 mm, none > 2.0 mm): pN1mi whatever the count.
    isolated_tumour_cells_only:
        Only isolated tumour cells (<= 0.2 mm) were found; requires a count of 0 -> pN0(i+).
    internal_mammary:
        ``"none"``, ``"sentinel"`` (internal mammary sentinel node positive on biopsy) or ``"clinical"``
        (internal mammary nodes positive on imaging, cN2b).
    infraclavicular, supraclavicular:
        Level III (infraclavicular) nodes -> pN3a; ipsilateral supraclavicular nodes -> pN3c.
    """
    cfg = measurements()["node_counts"]
    top = cfg["max_plausible"]
    allowed = f"a whole number of nodes from 0 to {top}"
    if isinstance(positive_axillary, bool) or not isinstance(positive_axillary, int):
        raise InvalidInputError("positive_axillary", positive_axillary, allowed)
    if not 0 <= positive_axillary <= top:
        raise InvalidInputError("positive_axillary", positive_axillary, allowed)
    micro = _flag(micrometastasis_only, "micrometastasis_only")
    itc = _flag(isolated_tumour_cells_only, "isolated_tumour_cells_only")
    infra = _flag(infraclavicular, "infraclavicular")
    supra = _flag(supraclavicular, "supraclavicular")
    if internal_mammary not in _IM_CHOICES:
        raise InvalidInputError("internal_mammary", internal_mammary, _IM_CHOICES)
    count, im = positive_axillary, internal_mammary
    if itc and count:
        raise InvalidInputError(
            "isolated_tumour_cells_only", itc, "True only with 0 positive nodes", detail=f"{count} nodes are positive"
        )
    if micro and (count == 0 or im != "none" or infra or supra):
        raise InvalidInputError(
            "micrometastasis_only",
            micro,
            "True only with at least 1 positive axillary node and no internal mammary, infra- or supraclavicular nodes",
        )
    n1, n2 = cfg["n1_max"], cfg["n2_max"]
    if supra:
        code, why = "N3c", "ipsilateral supraclavicular nodes"
    elif infra:
        code, why = "N3a", "infraclavicular (level III) nodes"
    elif micro:
        code, why = "N1mi", "micrometastases only"
    elif im == "sentinel":
        code, why = (
            ("N1b", "internal mammary sentinel node(s) without axillary nodes")
            if count == 0
            else ("N1c", f"internal mammary sentinel node(s) with 1-{n1} axillary nodes")
            if count <= n1
            else ("N3b", f"internal mammary sentinel node(s) with more than {n1} axillary nodes")
        )
    elif im == "clinical":
        code, why = (
            ("N2b", "internal mammary nodes on imaging with a negative axilla")
            if count == 0
            else ("N3b", "internal mammary nodes on imaging with positive axillary nodes")
        )
    elif count == 0:
        code, why = ("N0(i+)", "isolated tumour cells only") if itc else ("N0", "no positive nodes")
    elif count <= n1:
        code, why = "N1a", f"1-{n1} positive axillary nodes"
    elif count <= n2:
        code, why = "N2a", f"{n1 + 1}-{n2} positive axillary nodes"
    else:
        code, why = "N3a", f"{n2 + 1} or more positive axillary nodes"
    text = f"pN{code[1:]}: {why} ({count} positive axillary)"
    return DerivedCategory(
        code=code, reasons=[Reason(rule=f"nodes_to_pn.{code}", text=text, sources=tuple(cfg["sources"]))]
    )


__all__ = ["DerivedCategory", "pn_from_nodes", "t_from_size"]
