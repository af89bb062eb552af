"""Albumin-corrected calcium and CTCAE v5 hypercalcaemia grading.

Units are never mixed silently: ``units="conventional"`` means calcium in mg/dL with albumin in g/dL,
``units="si"`` means calcium in mmol/L with albumin in g/L. Values outside a plausible range for the unit named
are refused (most are a unit mix-up). Grading uses the CTCAE limits printed for the unit supplied; it never
converts first, because CTCAE's mg/dL and mmol/L limits are not exactly interconvertible.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import Field

from metastasis.assess import _inputs
from metastasis.assess._tables import load_yaml
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason

Units = Literal["conventional", "si"]
CalciumMethod = Literal["common", "payne_original"]
CalciumMeasure = Literal["corrected_total", "ionised"]

UNITS: tuple[str, ...] = ("conventional", "si")
METHODS: tuple[str, ...] = ("common", "payne_original")
MEASURES: tuple[str, ...] = ("corrected_total", "ionised")
_CONVERSION_CEILING = 1_000.0  # convert_* refuse absurd inputs (no concentration here comes near it)
_COMPARE_DECIMALS = 6  # inputs are compared with CTCAE limits at this precision, so float noise cannot cross one

_LIMITATIONS = (
    "Albumin-corrected calcium is inaccurate in chronic kidney disease, critical illness, acid-base disturbance "
    "and at extreme albumin concentrations; measure ionised calcium when available."
)


class CorrectedCalciumResult(Evidenced):
    """Albumin-corrected total calcium."""

    value: float = Field(description="Corrected calcium, rounded to `decimals` (the lab's reporting precision).")
    unit: str = Field(description="Unit of `value`: mg/dL or mmol/L.")
    units: Units
    method: CalciumMethod
    formula: str = Field(description="The formula used, with its constants and units.")
    calcium: float = Field(description="Measured total calcium, as given.")
    albumin: float = Field(description="Serum albumin, as given.")
    albumin_unit: str
    unrounded: float = Field(description="Corrected calcium before rounding.")
    decimals: int


class HypercalcemiaResult(Evidenced):
    """CTCAE v5.0 hypercalcaemia grade from a laboratory value, with the common severity band."""

    grade: int = Field(description="0 (not above the ULN) to 4; grade 5 (death) is never assigned from a lab value.")
    criterion: str = Field(description="The CTCAE laboratory criterion that the value met, in the unit supplied.")
    qualifier: str | None = Field(description="Clinical qualifier CTCAE attaches to grades 2-4 (not assessed).")
    lab_only: bool = Field(default=True, description="Always True: clinical qualifiers are not assessed.")
    band: str | None = Field(
        description="Common severity band of total corrected calcium: not_raised, mild, moderate or severe "
        "(None for ionised calcium)."
    )
    interpretation: str
    action: str
    measure: CalciumMeasure
    calcium: float
    unit: str
    units: Units
    uln: float


def _table() -> dict[str, Any]:
    return load_yaml("calcium")


def _round(value: float, decimals: int) -> float:
    """Round half up at ``decimals`` (as laboratories report), not to the nearest binary float."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _plausible(field: str, value: Any, limits: dict[str, Any], unit: str) -> float:
    return _inputs.number(field, value, limits["low"], limits["high"], unit, limits.get("hint"))


def corrected_calcium(
    *, calcium: float, albumin: float, units: Units, method: CalciumMethod = "common"
) -> CorrectedCalciumResult:
    """Albumin-corrected total calcium.

    Parameters
    ----------
    calcium:
        Measured total serum calcium: mg/dL when ``units="conventional"``, mmol/L when ``units="si"``.
    albumin:
        Serum albumin: g/dL when ``units="conventional"``, g/L when ``units="si"``.
    units:
        ``"conventional"`` or ``"si"``.
    method:
        ``"common"`` (default): Ca + 0.8 x (4.0 - albumin) in mg/dL, or Ca + 0.02 x (40 - albumin) in mmol/L.
        ``"payne_original"``: Payne 1973 as published, Ca - albumin + 4.0 (mg/100 mL, g/100 mL; conventional
        units only).

    Returns
    -------
    CorrectedCalciumResult
        ``value`` rounded half-up to 2 decimals in either unit (``unrounded`` keeps the raw result).

    Raises
    ------
    InvalidInputError
        Unknown units or method, ``payne_original`` with SI units, or a value that is not a finite number in the
        plausible range of the unit named.

    Examples
    --------
    >>> corrected_calcium(calcium=8.0, albumin=2.0, units="conventional").value
    9.6
    >>> corrected_calcium(calcium=1.83, albumin=26, units="si").value
    2.11
    """
    table = _table()
    units_id = _inputs.choice("units", units, UNITS)
    method_id = _inputs.choice("method", method, METHODS)
    spec = table["corrected_calcium"]["methods"][method_id]
    if units_id not in spec["forms"]:
        raise InvalidInputError(
            "units", units, tuple(spec["forms"]), f"{spec['label']}: no published form in these units"
        )
    form = spec["forms"][units_id]
    unit_names = table["units"][units_id]
    plausible = table["plausible"]
    ca = _plausible("calcium", calcium, plausible["calcium"]["corrected_total"][units_id], unit_names["calcium"])
    alb = _plausible("albumin", albumin, plausible["albumin"][units_id], unit_names["albumin"])
    slope, reference = form["slope"], form["reference_albumin"]
    raw = ca + slope * (reference - alb)
    decimals = table["corrected_calcium"]["decimals"][units_id]
    value = _round(raw, decimals)
    formula = (
        f"corrected Ca ({unit_names['calcium']}) = Ca + {slope:g} x ({reference:g} - albumin ({unit_names['albumin']}))"
    )
    caveats = [_LIMITATIONS]
    if method_id == "common":
        caveats.append(
            "The 0.8 form is commonly attributed to Payne 1973, but Payne's published formula has a slope of 1.0 "
            "(method='payne_original'); the two differ by 0.2 mg/dL per g/dL of albumin away from 4.0."
        )
    else:
        caveats.append(
            "Payne's published slope-1 formula; most laboratories and calculators use the 0.8 form (method='common')."
        )
    reasons = [
        Reason(
            rule=f"corrected_calcium.{method_id}.{units_id}",
            text=f"{formula} = {ca:g} + {slope:g} x ({reference:g} - {alb:g}) = {value:g} {unit_names['calcium']} "
            f"(rounded to {decimals} decimals)",
            sources=tuple(form["sources"]),
        )
    ]
    return CorrectedCalciumResult(
        value=value,
        unit=unit_names["calcium"],
        units=units_id,
        method=method_id,
        formula=formula,
        calcium=ca,
        albumin=alb,
        albumin_unit=unit_names["albumin"],
        unrounded=raw,
        decimals=decimals,
        reasons=reasons,
        caveats=caveats,
    )


def convert_calcium(*, value: float, from_units: Units, to_units: Units) -> float:
    """Convert a calcium concentration between mg/dL (conventional) and mmol/L (SI); unrounded.

    For display and cross-checks only: :func:`hypercalcemia_grade` never converts before grading.

    Examples
    --------
    >>> round(convert_calcium(value=2.5, from_units="si", to_units="conventional"), 2)
    10.02
    """
    return _convert("calcium", value, from_units, to_units, _table()["conversion"]["calcium_mg_dl_per_mmol_l"])


def convert_albumin(*, value: float, from_units: Units, to_units: Units) -> float:
    """Convert an albumin concentration between g/dL (conventional) and g/L (SI); unrounded.

    Examples
    --------
    >>> convert_albumin(value=3.5, from_units="conventional", to_units="si")
    35.0
    """
    return _convert("albumin", value, from_units, to_units, _table()["conversion"]["albumin_g_l_per_g_dl"])


def _convert(field: str, value: Any, from_units: Any, to_units: Any, conventional_per_si_ratio: float) -> float:
    source = _inputs.choice("from_units", from_units, UNITS)
    target = _inputs.choice("to_units", to_units, UNITS)
    unit = _table()["units"][source][field]
    number = _inputs.number(field, value, 0.0, _CONVERSION_CEILING, unit)
    if source == target:
        return number
    if field == "calcium":  # 1 mmol/L = 4.008 mg/dL
        return number * conventional_per_si_ratio if source == "si" else number / conventional_per_si_ratio
    # albumin: 1 g/dL = 10 g/L
    return number * conventional_per_si_ratio if source == "conventional" else number / conventional_per_si_ratio


def hypercalcemia_grade(
    *, calcium: float, units: Units, uln: float, measure: CalciumMeasure = "corrected_total"
) -> HypercalcemiaResult:
    """CTCAE v5.0 hypercalcaemia grade from a laboratory value, graded in the unit supplied.

    Parameters
    ----------
    calcium:
        Albumin-corrected total calcium (``measure="corrected_total"``; see :func:`corrected_calcium`) in mg/dL
        (``units="conventional"``) or mmol/L (``units="si"``); or ionised calcium in mmol/L
        (``measure="ionised"``, ``units="si"`` only).
    units:
        ``"conventional"`` or ``"si"``; ``uln`` must be in the same unit.
    uln:
        The laboratory's upper limit of normal for the same measure and unit.
    measure:
        ``"corrected_total"`` (default) or ``"ionised"``.

    Returns
    -------
    HypercalcemiaResult
        ``grade`` 0-4 from the laboratory criterion alone; ``qualifier`` names the clinical condition CTCAE
        attaches to grades 2-4 (symptomatic, hospitalization indicated, life-threatening consequences), which
        is not assessed; ``band`` is the common mild/moderate/severe band.

    Examples
    --------
    >>> hypercalcemia_grade(calcium=12.6, units="conventional", uln=10.5).grade
    3
    >>> hypercalcemia_grade(calcium=1.55, units="si", uln=1.3, measure="ionised").grade
    2
    """
    table = _table()
    ctcae = table["ctcae_v5_hypercalcemia"]
    measure_id = _inputs.choice("measure", measure, MEASURES)
    units_id = _inputs.choice("units", units, UNITS)
    limits_by_unit = ctcae["limits"][measure_id]
    if units_id not in limits_by_unit:
        raise InvalidInputError(
            "units", units, tuple(limits_by_unit), f"CTCAE v5 gives {measure_id} calcium limits in mmol/L only"
        )
    limits = {int(grade): float(limit) for grade, limit in limits_by_unit[units_id].items()}
    unit = table["units"][units_id]["calcium"]
    plausible = table["plausible"]
    value = _plausible("calcium", calcium, plausible["calcium"][measure_id][units_id], unit)
    uln_low = plausible["uln"][measure_id][units_id]["low"]
    uln_value = _inputs.number(
        "uln", uln, uln_low, limits[2], unit, f"the ULN must be in {unit}, at most the CTCAE grade-2 limit"
    )
    compared = round(value, _COMPARE_DECIMALS)
    grade = next((g for g in sorted(limits, reverse=True) if compared > limits[g]), 1 if compared > uln_value else 0)
    sources = tuple(ctcae["sources"])
    what = "Ionized calcium" if measure_id == "ionised" else "Corrected serum calcium"
    if grade == 0:
        criterion = f"{what} not above the ULN ({uln_value:g} {unit})"
    elif grade == 1:
        criterion = f"{what} > ULN ({uln_value:g}) - {limits[2]:g} {unit}"
    elif grade in limits and grade + 1 in limits:
        criterion = f"{what} > {limits[grade]:g} - {limits[grade + 1]:g} {unit}"
    else:
        criterion = f"{what} > {limits[grade]:g} {unit}"
    qualifier = ctcae["qualifiers"].get(grade) if grade else None
    reasons = [
        Reason(
            rule=f"ctcae_v5.hypercalcemia.{measure_id}.{units_id}:grade_{grade}",
            text=f"{what} {value:g} {unit} with ULN {uln_value:g} {unit}: {criterion} -> grade {grade}",
            sources=sources,
        )
    ]
    if grade == 0:
        interpretation = "Not hypercalcaemic by CTCAE v5 (the value is not above the ULN)."
        action = "No CTCAE hypercalcaemia grade to record."
    elif qualifier is None:
        interpretation = f"CTCAE v5 grade {grade} hypercalcaemia (laboratory criterion; no clinical qualifier)."
        action = f"Record CTCAE grade {grade}."
    else:
        interpretation = (
            f"The laboratory criterion of CTCAE v5 grade {grade} is met; CTCAE also requires "
            f"'{qualifier}', which a laboratory value cannot show."
        )
        action = f"Confirm clinically that '{qualifier}' applies before recording CTCAE grade {grade}."
    band = _severity(table, measure_id, units_id, compared, uln_value, reasons)
    caveats = [
        f"Graded in {unit} as supplied. CTCAE prints separate mg/dL and mmol/L limits that are not exactly "
        "interconvertible (11.5 mg/dL is 2.87 mmol/L, not 2.9), so a value near a limit can grade differently "
        "in the other unit.",
        "Grades from the laboratory value only; grade 5 (death) is never assigned here.",
    ]
    if measure_id == "corrected_total":
        caveats.append(
            "CTCAE grades albumin-corrected calcium: pass a corrected value (corrected_calcium), not the raw total."
        )
    else:
        caveats.append("The mild/moderate/severe bands apply to total corrected calcium only (band is None).")
    return HypercalcemiaResult(
        grade=grade,
        criterion=criterion,
        qualifier=qualifier,
        band=band,
        interpretation=interpretation,
        action=action,
        measure=measure_id,
        calcium=value,
        unit=unit,
        units=units_id,
        uln=uln_value,
        reasons=reasons,
        caveats=caveats,
    )


def _severity(
    table: dict[str, Any], measure: str, units: str, value: float, uln: float, reasons: list[Reason]
) -> str | None:
    bands = table["severity"].get(measure)
    if bands is None:
        return None
    cut = bands[units]
    if value <= uln:
        band, text = "not_raised", f"not above the ULN ({uln:g})"
    elif value < cut["moderate"]:
        band, text = "mild", f"above the ULN and below {cut['moderate']:g}"
    elif value < cut["severe"]:
        band, text = "moderate", f"{cut['moderate']:g} or more and below {cut['severe']:g}"
    else:
        band, text = "severe", f"{cut['severe']:g} or more"
    reasons.append(
        Reason(
            rule=f"hypercalcemia.severity.{units}:{band}",
            text=f"Common severity band: {text} -> {band}",
            sources=tuple(table["severity"]["sources"]),
        )
    )
    return band
