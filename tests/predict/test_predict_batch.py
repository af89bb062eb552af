"""The array API gives exactly the one-patient answers, and names the column and rows of bad input."""

from __future__ import annotations

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.predict import predict_breast, predict_breast_batch
from tests.predict.conftest import one_patient, random_columns


@pytest.mark.parametrize("version", ["2.1", "2.2", "3.1", "3.2"])
def test_batch_equals_one_patient_at_a_time(version):
    columns = random_columns(40, seed=7)
    out = predict_breast_batch(columns, version=version, years=(5, 10, 15))
    for i in range(40):
        r = one_patient(columns, i, version)
        for year in (5, 10, 15):
            assert out[f"overall_survival_surgery_{year}"][i] == pytest.approx(r.overall_survival(year, ()), abs=1e-12)
            assert out[f"overall_survival_treated_{year}"][i] == pytest.approx(r.overall_survival(year), abs=1e-12)
            assert out[f"benefit_{year}"][i] == pytest.approx(r.benefit(year), abs=1e-12)
            assert out[f"breast_cancer_death_treated_{year}"][i] == pytest.approx(
                r.breast_cancer_mortality(year), abs=1e-12
            )


def test_optional_columns_default_to_unknown_and_untreated():
    out = predict_breast_batch(
        {"age": [55.0], "size_mm": [22.0], "nodes": [1], "grade": [2.0], "er": [1]}, version="2.1", years=(10,)
    )
    r = predict_breast(age=55, size_mm=22, nodes=1, grade=2, er="positive")
    assert out["overall_survival_surgery_10"][0] == pytest.approx(r.overall_survival(10, ()), abs=1e-12)
    assert out["benefit_10"][0] == 0


@pytest.mark.parametrize(
    ("column", "bad_value"),
    [("age", 20.0), ("size_mm", 0.0), ("nodes", 1.5), ("grade", 4.0), ("er", np.nan), ("her2", 2.0),
     ("chemo", 1.0), ("hormone_years", 3.0), ("trastuzumab", 2.0)],
)  # fmt: skip
def test_bad_column_values_name_column_and_rows(column, bad_value):
    columns = random_columns(30, seed=3)
    columns[column] = np.asarray(columns[column], dtype=float)
    columns[column][[4, 17]] = bad_value
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(columns)
    assert caught.value.field == column
    assert "2 bad rows: 4, 17" in str(caught.value)


def test_missing_required_column_and_bad_options():
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch({"age": [50.0], "size_mm": [10.0], "nodes": [0], "grade": [1.0]})
    assert caught.value.field == "er"
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(random_columns(3, 1), version="9")
    assert caught.value.field == "version"
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(random_columns(3, 1), years=(0,))
    assert caught.value.field == "years"
    columns = random_columns(3, 1)
    columns["nodes"] = np.array([2, 1, 0])
    columns["micrometastases_only"] = np.array([1, 0, 0])
    with pytest.raises(InvalidInputError) as caught:
        predict_breast_batch(columns)
    assert caught.value.field == "micrometastases_only"
