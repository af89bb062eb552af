"""Prognosis: PREDICT Breast, NPI and CTS5, late recurrence, reference statistics and cohort survival analysis.

* :func:`predict_breast` — PREDICT Breast (v2.1, 2.2, 3.1, 3.2) for one patient; :func:`predict_breast_batch`
  for arrays of patients.
* :func:`nottingham_prognostic_index`, :func:`cts5` — closed-form prognostic scores.
* :func:`late_recurrence` — distant recurrence after 5 years of endocrine therapy (Pan 2017; Colleoni 2016).
* :func:`reference_statistics` — published survival figures with their period, population and caveats.
* :mod:`metastasis.predict.cohort` — Kaplan-Meier, log-rank and Cox models of your own cohort (lifelines).
"""

from metastasis.predict.predict_batch import predict_breast_batch
from metastasis.predict.predict_breast import PredictInputs, PredictResult, predict_breast

__all__ = ["PredictInputs", "PredictResult", "predict_breast", "predict_breast_batch"]
