"""PREDICT Breast for one patient: survival and treatment benefit over 15 years after surgery.

PREDICT answers "what are my chances after surgery for early invasive breast cancer, and how much does each
treatment add?". It is not a model for metastatic disease. Versions 2.1, 2.2 (2.1 plus the progesterone
receptor term), 3.1 and 3.2 are available; ``docs/prognosis.md`` lists their differences.

Example
-------
>>> from metastasis.predict import predict_breast
>>> r = predict_breast(age=55, size_mm=22, nodes=1, grade=2, er="positive", her2="negative", ki67="unknown",
...                    pr="unknown", detection="clinical", chemo="third_generation", hormone_years=5,
...                    trastuzumab=False, bisphosphonates=False, radiotherapy=False, version="2.1")
>>> round(r.overall_survival(year=10, treatments=()), 3) < round(r.overall_survival(year=10), 3)
True
>>> r.benefit(year=10, treatment="chemo") > 0
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from metastasis.domain.biomarkers import ReceptorStatus, receptor_status
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced
from metastasis.predict import predict_kernel as kernel
from metastasis.predict.predict_evidence import predict_caveats, predict_reasons
from metastasis.predict.predict_kernel import TREATMENTS, VERSIONS

Version = Literal["2.1", "2.2", "3.1", "3.2"]
Chemo = Literal["none", "second_generation", "third_generation"]
Detection = Literal["screen", "clinical", "unknown"]
CHEMO_GENERATION = {"none": 0, "second_generation": 2, "third_generation": 3}
TREATMENT_LABELS = {
    "radiotherapy": "Radiotherapy",
    "hormone": "Hormone (endocrine) therapy",
    "chemo": "Chemotherapy",
    "trastuzumab": "Trastuzumab",
    "bisphosphonates": "Bisphosphonates",
}
_STATUS_CODE = {ReceptorStatus.POSITIVE: 1, ReceptorStatus.NEGATIVE: 0, ReceptorStatus.UNKNOWN: -1}
_SMOKER_CODE = {"yes": 1, "no": 0, "unknown": -1}


class PredictInputs(BaseModel):
    """The validated inputs of one PREDICT calculation, as the caller gave them."""

    model_config = ConfigDict(frozen=True)

    version: Version
    age: float
    size_mm: float
    nodes: int
    micrometastases_only: bool
    grade: int | None = Field(description="1, 2, 3, or None when unknown.")
    detection: Detection
    er: Literal["positive", "negative"]
    her2: Literal["positive", "negative", "unknown"]
    ki67: Literal["positive", "negative", "unknown"]
    pr: Literal["positive", "negative", "unknown"]
    chemo: Chemo
    hormone_years: Literal[0, 5, 10]
    trastuzumab: bool
    bisphosphonates: bool
    radiotherapy: bool
    heart_dose_gy: float = Field(description="Mean heart dose of radiotherapy (version 3 harm term).")
    smoker: Literal["yes", "no", "unknown"]
    extended_hormone_log_hr: float | None = Field(
        default=None, description="Override of the extra log hazard ratio for years 11-15 of 10-year hormone therapy."
    )

    @property
    def treatments_given(self) -> tuple[str, ...]:
        """The treatments chosen in the call, in the reference tool's order."""
        chosen = {
            "radiotherapy": self.radiotherapy,
            "hormone": self.hormone_years > 0,
            "chemo": self.chemo != "none",
            "trastuzumab": self.trastuzumab,
            "bisphosphonates": self.bisphosphonates,
        }
        return tuple(t for t in TREATMENTS if chosen[t])

    def covariates(self, rows: int) -> kernel.Covariates:
        """The coded covariates, repeated over ``rows`` rows."""
        coding = kernel.parameters()["input_coding"]
        nodes = coding["micrometastases_only_nodes"] if self.micrometastases_only else float(self.nodes)
        values: dict[str, Any] = {
            "age": self.age,
            "size_mm": self.size_mm,
            "nodes": nodes,
            "grade": coding["unknown_grade"] if self.grade is None else float(self.grade),
            "screen": coding["detection"][self.detection],
            "er": self.er == "positive",
            "her2": _STATUS_CODE[ReceptorStatus(self.her2)],
            "ki67": _STATUS_CODE[ReceptorStatus(self.ki67)],
            "pr": _STATUS_CODE[ReceptorStatus(self.pr)] if self.version != "2.1" else -1,
            "smoker": _SMOKER_CODE[self.smoker] if self.version.startswith("3") else -1,
            "radiotherapy_model": self.radiotherapy or self.version.startswith("3"),
        }
        return kernel.Covariates(**{k: np.full(rows, v) for k, v in values.items()})

    def arms(self, specs: Sequence[tuple[Iterable[str], int, int]]) -> kernel.Arms:
        """Treatment arms, one row per (treatments, bound, bound_only) spec, using this call's doses."""
        columns: dict[str, list[Any]] = {f: [] for f in kernel.Arms.__dataclass_fields__}
        for treatments, bound, bound_only in specs:
            chosen = set(treatments)
            columns["radiotherapy"].append("radiotherapy" in chosen)
            columns["hormone_years"].append(self.hormone_years if "hormone" in chosen else 0)
            columns["chemo"].append(CHEMO_GENERATION[self.chemo] if "chemo" in chosen else 0)
            columns["trastuzumab"].append("trastuzumab" in chosen)
            columns["bisphosphonates"].append("bisphosphonates" in chosen)
            columns["heart_gy"].append(self.heart_dose_gy if "radiotherapy" in chosen else 0.0)
            columns["bound"].append(bound)
            columns["bound_only"].append(bound_only)
        return kernel.Arms(**{k: np.asarray(v) for k, v in columns.items()})

    def mortality(self, specs: Sequence[tuple[Iterable[str], int, int]]) -> kernel.Mortality:
        """Run the model for the given arms of this patient."""
        return kernel.mortality(
            self.covariates(len(specs)), self.arms(specs), self.version, self.extended_hormone_log_hr
        )


class ArmCurve(BaseModel):
    """Outcomes by year (1..15) for one cumulative treatment arm: surgery only, then each treatment added."""

    treatments: tuple[str, ...]
    label: str
    overall_survival: list[float] = Field(description="Fraction alive, years 1..15.")
    overall_survival_lower: list[float]
    overall_survival_upper: list[float]
    breast_cancer_death: list[float] = Field(description="Cumulative fraction who died of breast cancer.")
    other_death: list[float] = Field(description="Cumulative fraction who died of other causes.")


class BenefitCurve(BaseModel):
    """One treatment's incremental benefit (fraction of people, years 1..15) with its 95% bounds."""

    treatment: str
    benefit: list[float]
    lower: list[float]
    upper: list[float]


class PredictResult(Evidenced):
    """PREDICT Breast results for one patient: sequential treatment arms and incremental benefits by year."""

    inputs: PredictInputs
    treatments: tuple[str, ...] = Field(description="Treatments given in the call, in the tool's order.")
    years: list[int] = Field(default_factory=lambda: list(range(1, 16)))
    arms: list[ArmCurve]
    benefits: list[BenefitCurve]

    def _year_index(self, year: int) -> int:
        if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1 <= year <= 15:
            raise InvalidInputError("year", year, "a whole number of years from 1 to 15")
        return int(year) - 1

    def _treatment_set(self, treatments: Iterable[str] | None) -> tuple[str, ...]:
        if treatments is None:
            return self.treatments
        if isinstance(treatments, str):
            treatments = (treatments,)
        chosen = tuple(treatments)
        for name in chosen:
            if name not in self.treatments:
                raise InvalidInputError(
                    "treatments", name, list(self.treatments) or ["none (no treatment was given in the call)"]
                )
        return tuple(t for t in TREATMENTS if t in chosen)

    def _mortality(self, treatments: Iterable[str] | None) -> kernel.Mortality:
        return self.inputs.mortality([(self._treatment_set(treatments), 0, -1)])

    def overall_survival(self, year: int, treatments: Iterable[str] | None = None) -> float:
        """Fraction alive ``year`` years after surgery with ``treatments`` (default: every treatment in the call;
        ``()`` = surgery only)."""
        i = self._year_index(year)
        return float(1.0 - self._mortality(treatments).all_causes[0, i])

    def breast_cancer_mortality(self, year: int, treatments: Iterable[str] | None = None) -> float:
        """Cumulative fraction who died of breast cancer by ``year``."""
        i = self._year_index(year)
        return float(self._mortality(treatments).breast[0, i])

    def other_mortality(self, year: int, treatments: Iterable[str] | None = None) -> float:
        """Cumulative fraction who died of other causes by ``year``."""
        i = self._year_index(year)
        return float(self._mortality(treatments).other[0, i])

    def benefit(self, year: int, treatment: str | None = None) -> float:
        """Survival gained by ``year`` (a fraction): every treatment in the call against surgery only, or one
        treatment's incremental benefit when added in the reference tool's order (radiotherapy, hormone therapy,
        chemotherapy, trastuzumab, bisphosphonates)."""
        i = self._year_index(year)
        return self._benefit_curve(treatment).benefit[i]

    def benefit_interval(self, year: int, treatment: str | None = None) -> tuple[float, float]:
        """The 95% bounds (lower, upper) of :meth:`benefit`, from the treatments' hazard-ratio intervals."""
        i = self._year_index(year)
        curve = self._benefit_curve(treatment)
        return curve.lower[i], curve.upper[i]

    def _benefit_curve(self, treatment: str | None) -> BenefitCurve:
        wanted = "all" if treatment is None else treatment
        for curve in self.benefits:
            if curve.treatment == wanted:
                return curve
        raise InvalidInputError("treatment", treatment, list(self.treatments) or ["none was given in the call"])

    def table(self, years: Sequence[int] = (5, 10, 15)) -> list[dict[str, Any]]:
        """Rows for display: for each year, overall survival per arm and each treatment's incremental benefit."""
        rows = []
        for year in years:
            i = self._year_index(year)
            for arm in self.arms:
                added = arm.treatments[-1] if arm.treatments else None
                curve = self._benefit_curve(added) if added else None
                rows.append(
                    {
                        "year": year,
                        "arm": arm.label,
                        "overall_survival": arm.overall_survival[i],
                        "breast_cancer_death": arm.breast_cancer_death[i],
                        "other_death": arm.other_death[i],
                        "added_benefit": curve.benefit[i] if curve else None,
                        "added_benefit_lower": curve.lower[i] if curve else None,
                        "added_benefit_upper": curve.upper[i] if curve else None,
                    }
                )
        return rows

    def plot(self, year: int = 10):
        """The "what happens to 100 people like you" bars at ``year`` (a matplotlib Figure)."""
        from metastasis.predict.plot import plot_predict_outcomes

        return plot_predict_outcomes(self, year=year)


def _number(name: str, value: Any, low: float, high: float, *, low_open: bool = False, unit: str = "") -> float:
    allowed = f"a number {'>' if low_open else '>='} {low:g} and <= {high:g}{unit}"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvalidInputError(name, value, allowed)
    number = float(value)
    if not np.isfinite(number) or number > high or number < low or (low_open and number == low):
        raise InvalidInputError(name, value, allowed)
    return number


def _choice(name: str, value: Any, allowed: Sequence[Any]) -> Any:
    if isinstance(value, bool) and not any(isinstance(a, bool) for a in allowed):
        raise InvalidInputError(name, value, [repr(a) for a in allowed])
    if value not in allowed:
        raise InvalidInputError(name, value, [repr(a) if not isinstance(a, str) else a for a in allowed])
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise InvalidInputError(name, value, "True or False")
    return bool(value)


def _grade(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in {"unknown", "gx", "9"}):
        return None
    if isinstance(value, str) and value.strip().upper() in {"1", "2", "3", "G1", "G2", "G3"}:
        return int(value.strip()[-1])
    if not isinstance(value, bool) and value in (1, 2, 3):
        return int(value)
    raise InvalidInputError("grade", value, '1, 2, 3, "G1"-"G3", or None/"unknown"')


def validate_predict_inputs(**kwargs: Any) -> PredictInputs:
    """Check and normalise every PREDICT input; :class:`InvalidInputError` names the first bad one."""
    coding = kernel.parameters()["input_coding"]
    version = _choice("version", kwargs["version"], VERSIONS)
    age_low, age_high = coding["age_range"]
    size_low, size_high = coding["size_mm_range"]
    nodes_low, nodes_high = coding["nodes_range"]
    nodes = kwargs["nodes"]
    if isinstance(nodes, bool) or not isinstance(nodes, int | np.integer) or not nodes_low <= nodes <= nodes_high:
        raise InvalidInputError("nodes", nodes, f"a whole number of positive nodes from {nodes_low} to {nodes_high}")
    micromets = _flag("micrometastases_only", kwargs["micrometastases_only"])
    if micromets and nodes != 1:
        raise InvalidInputError(
            "micrometastases_only",
            micromets,
            "True only with nodes=1",
            detail="PREDICT counts one node with micrometastases only as half a node",
        )
    er = receptor_status(kwargs["er"], field="er")
    if er is ReceptorStatus.UNKNOWN:
        raise InvalidInputError("er", kwargs["er"], "positive or negative", detail="PREDICT needs a known ER status")
    heart = kwargs["heart_dose_gy"]
    heart_dose = kernel.parameters()["version_3"]["radiotherapy_assumed_heart_gy"] if heart is None else heart
    return PredictInputs(
        version=version,
        age=_number("age", kwargs["age"], age_low, age_high, unit=" years"),
        size_mm=_number("size_mm", kwargs["size_mm"], size_low, size_high, low_open=True, unit=" mm"),
        nodes=int(nodes),
        micrometastases_only=micromets,
        grade=_grade(kwargs["grade"]),
        detection=_choice("detection", kwargs["detection"], ("screen", "clinical", "unknown")),
        er=er.value,
        her2=receptor_status(kwargs["her2"], field="her2").value,
        ki67=receptor_status(kwargs["ki67"], field="ki67").value,
        pr=receptor_status(kwargs["pr"], field="pr").value,
        chemo=_choice("chemo", kwargs["chemo"], tuple(CHEMO_GENERATION)),
        hormone_years=_choice("hormone_years", kwargs["hormone_years"], (0, 5, 10)),
        trastuzumab=_flag("trastuzumab", kwargs["trastuzumab"]),
        bisphosphonates=_flag("bisphosphonates", kwargs["bisphosphonates"]),
        radiotherapy=_flag("radiotherapy", kwargs["radiotherapy"]),
        heart_dose_gy=_number("heart_dose_gy", heart_dose, *coding["heart_dose_gy_range"], unit=" Gy"),
        smoker=_choice("smoker", kwargs["smoker"], tuple(_SMOKER_CODE)),
        extended_hormone_log_hr=(
            None
            if kwargs["extended_hormone_log_hr"] is None
            else _number("extended_hormone_log_hr", kwargs["extended_hormone_log_hr"], -2, 2)
        ),
    )


def predict_breast(
    *,
    age: float,
    size_mm: float,
    nodes: int,
    grade: int | str | None,
    er: Any,
    her2: Any = "unknown",
    ki67: Any = "unknown",
    pr: Any = "unknown",
    detection: Detection = "unknown",
    chemo: Chemo = "none",
    hormone_years: Literal[0, 5, 10] = 0,
    trastuzumab: bool = False,
    bisphosphonates: bool = False,
    radiotherapy: bool = False,
    version: Version = "2.1",
    micrometastases_only: bool = False,
    heart_dose_gy: float | None = None,
    smoker: Literal["yes", "no", "unknown"] = "unknown",
    extended_hormone_log_hr: float | None = None,
) -> PredictResult:
    """Survival after surgery for early invasive breast cancer, with and without each adjuvant treatment.

    Parameters
    ----------
    age:
        Age at diagnosis, 25-85 years.
    size_mm:
        Invasive tumour size in mm (> 0, at most 500).
    nodes:
        Number of positive axillary nodes (0-100).
    grade:
        Histological grade 1, 2 or 3; ``None``/``"unknown"`` is coded as the tool does (2.13).
    er, her2, ki67, pr:
        ``"positive"``/``"+"``, ``"negative"``/``"-"`` or ``"unknown"`` (ER must be known). PR is used by
        versions 2.2, 3.1 and 3.2; Ki67 counts only in ER-positive disease.
    detection:
        ``"screen"``, ``"clinical"`` or ``"unknown"``.
    chemo:
        ``"none"``, ``"second_generation"`` (anthracycline) or ``"third_generation"`` (taxane-containing).
    hormone_years:
        0, 5 or 10 years of endocrine therapy (effective in ER-positive disease only).
    trastuzumab, bisphosphonates, radiotherapy:
        Whether each is given. Trastuzumab acts in HER2-positive disease only.
    version:
        ``"2.1"``, ``"2.2"`` (2.1 plus PR), ``"3.1"`` or ``"3.2"``.
    micrometastases_only:
        With ``nodes=1``: the one node holds micrometastases only, counted as half a node.
    heart_dose_gy:
        Mean heart dose of radiotherapy (versions 3.x harm on other-cause mortality); default 2 Gy, the
        average the v3.1 baseline adjustment assumes. Ignored when radiotherapy is not given.
    smoker:
        Versions 3.x only: ``"yes"`` (current smoker), ``"no"`` or ``"unknown"`` (the population average).
    extended_hormone_log_hr:
        Advanced: override the extra effect in years 11-15 of 10-year hormone therapy (v2 default -0.26, v3
        -0.301; the official v2.1 test vector used -0.342).

    Returns
    -------
    PredictResult
        Arms (surgery only, then each given treatment added in turn) and incremental benefits, years 1-15, with
        95% bounds, reasons, caveats and sources.

    References
    ----------
    Candido dos Reis et al., Breast Cancer Res 2017 (v2); Grootes et al., npj Breast Cancer 2024 (v3); the
    Winton Centre code (predict-v30-r). See ``metastasis.evidence`` ids ``predict-*``.
    """
    inputs = validate_predict_inputs(**locals())
    return _build_result(inputs)


def _build_result(inputs: PredictInputs) -> PredictResult:
    given = inputs.treatments_given
    prefixes = [given[:k] for k in range(len(given) + 1)]
    # Rows: each cumulative arm at its point and combined bounds; then each added treatment alone at its bounds.
    specs: list[tuple[tuple[str, ...], int, int]] = [(p, b, -1) for p in prefixes for b in (0, -1, 1)]
    specs += [(given[: k + 1], b, TREATMENTS.index(given[k])) for k in range(len(given)) for b in (-1, 1)]
    m = inputs.mortality(specs)
    alive = 1.0 - m.all_causes

    def row(index: int) -> list[float]:
        return [float(x) for x in alive[index]]

    arms = []
    for k, prefix in enumerate(prefixes):
        point, more, less = 3 * k, 3 * k + 1, 3 * k + 2
        arms.append(
            ArmCurve(
                treatments=prefix,
                label="Surgery only" if not prefix else f"+ {TREATMENT_LABELS[prefix[-1]]}",
                overall_survival=row(point),
                overall_survival_lower=row(less),
                overall_survival_upper=row(more),
                breast_cancer_death=[float(x) for x in m.breast[point]],
                other_death=[float(x) for x in m.other[point]],
            )
        )
    benefits = []
    single = 3 * len(prefixes)
    for k, treatment in enumerate(given):
        before, after = alive[3 * k], alive[3 * (k + 1)]
        more, less = alive[single + 2 * k], alive[single + 2 * k + 1]
        benefits.append(
            BenefitCurve(
                treatment=treatment,
                benefit=[float(x) for x in after - before],
                lower=[float(x) for x in less - before],
                upper=[float(x) for x in more - before],
            )
        )
    last = 3 * len(given)
    benefits.append(
        BenefitCurve(
            treatment="all",
            benefit=[float(x) for x in alive[last] - alive[0]],
            lower=[float(x) for x in alive[last + 2] - alive[0]],
            upper=[float(x) for x in alive[last + 1] - alive[0]],
        )
    )
    return PredictResult(
        inputs=inputs,
        treatments=given,
        arms=arms,
        benefits=benefits,
        reasons=predict_reasons(inputs),
        caveats=predict_caveats(inputs),
    )
