"""Small builders for the trial tests: a case from keyword sections, a study holding given criteria."""

from __future__ import annotations

from typing import Any

from metastasis.domain import Case
from metastasis.trials import CriterionResult, Study, match_trials, parse_study


def case(**sections: Any) -> Case:
    """A schema 1.1 case: 60 at diagnosis on 2020-01-10, seen on 2024-06-01, female, unless overridden."""
    data: dict[str, Any] = {
        "schema_version": "1.1",
        "as_of": "2024-06-01",
        "patient": {"age_at_diagnosis": 60, "sex": "female", "menopausal_status": "postmenopausal"},
        "dates": {"diagnosis": "2020-01-10"},
    }
    data.update(sections)
    return Case.from_data(data)


def metastatic_case(**sections: Any) -> Case:
    """ER+/PR+/HER2- breast cancer with liver and bone metastases since 2023-02-01, ECOG 1."""
    base: dict[str, Any] = {
        "tumour": {"t": "cT2", "n": "cN1", "m": "cM0", "er": "positive", "pr": "positive", "her2": "negative"},
        "dates": {"diagnosis": "2020-01-10", "metastasis": "2023-02-01"},
        "metastatic_sites": [{"site": "liver"}, {"site": "spine_thoracic"}],
        "performance_status": [{"scale": "ecog", "value": 1, "date": "2024-05-20"}],
    }
    base.update(sections)
    return case(**base)


def study(criteria: str, nct_id: str = "NCT00000001", **eligibility: Any) -> Study:
    return parse_study(
        {
            "protocolSection": {
                "identificationModule": {"nctId": nct_id, "briefTitle": "A test study"},
                "conditionsModule": {"conditions": ["Metastatic Breast Cancer"]},
                "eligibilityModule": {"eligibilityCriteria": criteria, **eligibility},
            }
        }
    )


def judged(text: str, patient: Case, kind: str = "inclusion") -> CriterionResult:
    """The result of the one criterion ``text`` under an Inclusion or Exclusion heading."""
    heading = "Inclusion Criteria:" if kind == "inclusion" else "Exclusion Criteria:"
    match = match_trials(patient, [study(f"{heading}\n\n* {text}")])[0]
    found = [c for c in match.criteria if c.kind == kind]
    assert len(found) == 1, found
    return found[0]
