"""The chunked, fused batch path: the verified cases through the batch, every row equal to the one-patient
answer to 1e-12 across chunk boundaries, and row errors as a column (rows in = rows out).

Expected numbers are typed from the research note prognosis.md section 1.7: (a) the official Winton Centre
PREDICT v2.1 test vector (tolerance 1e-7), (b) the note's v3.2 cross-check of ``benefits32()`` (2 decimals).
"""

from __future__ import annotations

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.predict import predict_batch, predict_breast_batch
from tests.predict.conftest import one_patient, random_columns

ALL_YEARS = tuple(range(1, 16))

# (a) age 25, 2 mm, 2 nodes, grade 1, ER+, screen-detected, HER2+, Ki67+; chemo 3rd gen, hormone 5 y,
# trastuzumab, bisphosphonates; no radiotherapy.
GOLDEN = {"age": [25.0], "size_mm": [2.0], "nodes": [2], "grade": [1.0], "er": [1], "screen": [1.0],
          "her2": [1.0], "ki67": [1.0], "chemo": [3], "hormone_years": [5], "trastuzumab": [1],
          "bisphosphonates": [1], "radiotherapy": [0]}  # fmt: skip
GOLDEN_SURGERY_MORTALITY = {1: 0.002359754, 10: 0.093863760, 15: 0.151576452}
GOLDEN_BENEFIT_PERCENT = [0.1423600, 0.5289672, 1.0759822, 1.7200768, 2.4213923, 3.1543309, 3.9019877,
                          4.6529417, 5.3993493, 6.135767218134225, 6.85840054034158, 7.564607730104955,
                          8.252566579852982, 8.921043783391924, 9.569233116719345]  # fmt: skip

# (b) age 50, clinical, 20 mm, grade 2, 2 nodes, ER+, HER2-, Ki67+, PR+; chemo 3rd gen, hormone 5 y,
# bisphosphonates, radiotherapy with 4 Gy to the heart, current smoker.
V3_PATIENT = {"age": [50.0], "size_mm": [20.0], "nodes": [2], "grade": [2.0], "er": [1], "screen": [0.0],
              "her2": [0.0], "ki67": [1.0], "pr": [1.0], "chemo": [3], "hormone_years": [5], "bisphosphonates": [1],
              "radiotherapy": [1], "heart_dose_gy": [4.0], "smoker": [1.0]}  # fmt: skip


def test_official_v21_vector_through_the_batch():
    out = predict_breast_batch(GOLDEN, version="2.1", years=ALL_YEARS)
    for year, expected in GOLDEN_SURGERY_MORTALITY.items():
        assert 1 - out[f"overall_survival_surgery_{year}"][0] == pytest.approx(expected, abs=1e-7)
    for year, expected in enumerate(GOLDEN_BENEFIT_PERCENT, start=1):
        assert 100 * out[f"benefit_{year}"][0] == pytest.approx(expected, abs=1e-7)


def test_v32_cross_check_through_the_batch():
    out = predict_breast_batch(V3_PATIENT, version="3.2", years=(5, 10, 15))
    surgery = [100 * out[f"overall_survival_surgery_{y}"][0] for y in (5, 10, 15)]
    treated = [100 * out[f"overall_survival_treated_{y}"][0] for y in (5, 10, 15)]
    deaths = [100 * out[f"breast_cancer_death_treated_{y}"][0] for y in (5, 10, 15)]
    assert surgery == pytest.approx([93.49, 83.14, 72.95], abs=0.006)
    assert treated == pytest.approx([97.34, 92.54, 86.57], abs=0.006)
    assert deaths == pytest.approx([1.73, 4.53, 7.20], abs=0.006)


@pytest.mark.parametrize("version", ["2.1", "2.2", "3.1", "3.2"])
def test_every_row_equals_the_one_patient_answer_across_chunks(version, monkeypatch):
    monkeypatch.setattr(predict_batch, "CHUNK_ROWS", 37)  # many chunks, the last one short
    columns = random_columns(150, seed=11)
    out = predict_breast_batch(columns, version=version, years=ALL_YEARS)
    for i in range(150):
        r = one_patient(columns, i, version)
        for year in ALL_YEARS:
            assert out[f"overall_survival_surgery_{year}"][i] == pytest.approx(r.overall_survival(year, ()), abs=1e-12)
            assert out[f"overall_survival_treated_{year}"][i] == pytest.approx(r.overall_survival(year), abs=1e-12)
            assert out[f"benefit_{year}"][i] == pytest.approx(r.benefit(year), abs=1e-12)
            assert out[f"breast_cancer_death_treated_{year}"][i] == pytest.approx(
                r.breast_cancer_mortality(year), abs=1e-12
            )
            assert out[f"other_death_treated_{year}"][i] == pytest.approx(r.other_mortality(year), abs=1e-12)


def test_chunking_changes_no_result(monkeypatch):
    columns = random_columns(500, seed=5)
    whole = predict_breast_batch(columns, version="3.2")
    monkeypatch.setattr(predict_batch, "CHUNK_ROWS", 64)
    chunked = predict_breast_batch(columns, version="3.2")
    for name, values in whole.items():
        assert np.array_equal(values, chunked[name]), name


def test_bad_rows_become_an_error_column(monkeypatch):
    monkeypatch.setattr(predict_batch, "CHUNK_ROWS", 16)
    columns = random_columns(60, seed=9)
    good = predict_breast_batch(columns, version="2.2")
    columns["age"] = columns["age"].copy()
    columns["age"][3] = 20.0
    columns["chemo"] = columns["chemo"].astype(float)
    columns["chemo"][[3, 40]] = 1.0  # row 3 has two problems: age is checked first
    columns["er"] = columns["er"].astype(float)
    columns["er"][55] = np.nan
    out = predict_breast_batch(columns, version="2.2", errors="column")
    assert len(out["error"]) == 60
    assert out["error"][3] == "invalid age: 20.0; allowed: 25-85 years"
    assert out["error"][40] == "invalid chemo: 1.0; allowed: 0 (none), 2 or 3 (generation)"
    assert out["error"][55] == "invalid er: nan; allowed: 1 (positive) or 0 (negative)"
    bad = np.zeros(60, dtype=bool)
    bad[[3, 40, 55]] = True
    assert all(e is None for e in out["error"][~bad])
    for name, values in good.items():
        assert np.isnan(out[name][bad]).all()
        assert np.array_equal(out[name][~bad], values[~bad]), name


def test_raise_mode_names_rows_across_chunks(monkeypatch):
    monkeypatch.setattr(predict_batch, "CHUNK_ROWS", 16)
    columns = random_columns(60, seed=2)
    columns["size_mm"] = columns["size_mm"].copy()
    columns["size_mm"][[20, 50]] = 0.0
    columns["age"] = columns["age"].copy()
    columns["age"][45] = 90.0  # a later chunk, but age is checked before size
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(columns)
    assert caught.value.field == "age"
    assert "1 bad rows: 45" in str(caught.value)
    columns["age"][45] = 60.0
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(columns)
    assert caught.value.field == "size_mm"
    assert "2 bad rows: 20, 50" in str(caught.value)


def test_text_column_and_unknown_error_mode_are_refused():
    columns = random_columns(3, seed=1)
    columns["age"] = np.array(["fifty", "60", "70"], dtype=object)
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(columns)
    assert caught.value.field == "age"
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(random_columns(3, seed=1), errors="ignore")
    assert caught.value.field == "errors"
