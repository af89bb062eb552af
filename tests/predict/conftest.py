"""Shared helpers for the PREDICT batch tests: random valid columns and the one-patient answer for a row."""

from __future__ import annotations

import numpy as np

from metastasis.predict import predict_breast


def random_columns(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Random valid batch columns (about a fifth of the optional ones unknown), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)

    def status() -> np.ndarray:
        values = rng.integers(0, 2, rows).astype(float)
        values[rng.random(rows) < 0.2] = np.nan
        return values

    nodes = rng.integers(0, 30, rows)
    grade = rng.integers(1, 4, rows).astype(float)
    grade[rng.random(rows) < 0.2] = np.nan
    return {
        "age": rng.uniform(25, 85, rows),
        "size_mm": rng.uniform(0.5, 500, rows),
        "nodes": nodes,
        "grade": grade,
        "er": rng.integers(0, 2, rows),
        "her2": status(),
        "ki67": status(),
        "pr": status(),
        "screen": status(),
        "smoker": status(),
        "chemo": rng.choice([0, 2, 3], rows),
        "hormone_years": rng.choice([0, 5, 10], rows),
        "trastuzumab": rng.integers(0, 2, rows),
        "bisphosphonates": rng.integers(0, 2, rows),
        "radiotherapy": rng.integers(0, 2, rows),
        "micrometastases_only": ((nodes == 1) & (rng.random(rows) < 0.5)).astype(int),
        "heart_dose_gy": np.where(rng.random(rows) < 0.2, np.nan, rng.uniform(0, 30, rows)),
    }


def one_patient(c: dict[str, np.ndarray], i: int, version: str):
    """Row ``i`` of ``c`` through the one-patient ``predict_breast``, the reference the batch must equal."""

    def word(v: float) -> str:
        return "unknown" if np.isnan(v) else ("positive" if v else "negative")

    heart = c["heart_dose_gy"][i]
    return predict_breast(
        age=float(c["age"][i]),
        size_mm=float(c["size_mm"][i]),
        nodes=int(c["nodes"][i]),
        micrometastases_only=bool(c["micrometastases_only"][i]),
        grade=None if np.isnan(c["grade"][i]) else int(c["grade"][i]),
        er="positive" if c["er"][i] else "negative",
        her2=word(c["her2"][i]),
        ki67=word(c["ki67"][i]),
        pr=word(c["pr"][i]),
        detection="unknown" if np.isnan(c["screen"][i]) else ("screen" if c["screen"][i] else "clinical"),
        smoker="unknown" if np.isnan(c["smoker"][i]) else ("yes" if c["smoker"][i] else "no"),
        chemo={0: "none", 2: "second_generation", 3: "third_generation"}[int(c["chemo"][i])],
        hormone_years=int(c["hormone_years"][i]),
        trastuzumab=bool(c["trastuzumab"][i]),
        bisphosphonates=bool(c["bisphosphonates"][i]),
        radiotherapy=bool(c["radiotherapy"][i]),
        heart_dose_gy=None if np.isnan(heart) else float(heart),
        version=version,
    )
