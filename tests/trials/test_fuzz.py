"""Arbitrary criteria text never breaks splitting, recognising or matching: it only ever gives results."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.trials import match_trials, split_criteria
from metastasis.trials.recognise import recognise
from tests.trials.helpers import metastatic_case, study

WORDS = st.sampled_from(
    ["ECOG", "0-1", "or", "and/or", "no", "not", "prior", "taxane", "HER2", "+", "-", "negative", "≤", ">=", "1.5",
     "x ULN", "mg/dl", "brain", "metastases", "\\>", "*", "1.", "\n", "  ", "Inclusion Criteria:",
     "Exclusion Criteria:",
     "Karnofsky", "70%", "aged", "18", "to", "years", "platelets", "100,000/mm3", "unless", "are eligible", ":"]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))
PATIENT = metastatic_case(
    treatments=[{"kind": "chemotherapy", "drug": "paclitaxel", "start": "2023-03-01"}],
    labs=[{"analyte": "platelets", "value": 150, "unit": "10^9/L", "date": "2024-05-20"}],
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_arbitrary_text_is_split_recognised_and_matched(text):
    for item in split_criteria(text):
        found = recognise(item.text)
        assert all(0 <= f.span[0] <= f.span[1] <= len(item.text) for f in found.findings)
    match = match_trials(PATIENT, [study(text)])[0]
    assert match.status in ("eligible", "possibly_eligible", "not_eligible")
    assert all(c.status in ("met", "not_met", "unknown") and c.reason for c in match.criteria)
