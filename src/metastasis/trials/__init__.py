"""Clinical trials: ClinicalTrials.gov API v2 records in, every eligibility criterion judged against a case.

* :func:`match_trials` - one case against many studies, ranked (:class:`TrialMatch` with each criterion's status,
  reason and the case fields used).
* :class:`Study` / :func:`parse_study` - a typed API v2 record that keeps every key it does not read.
* :func:`split_criteria` - the free text of the eligibility criteria as one criterion per bullet.
* :class:`TrialStore` - the local store (a JSON Lines file until the case store holds trials).

See docs/trials.md for the matching rules, what is recognised and what stays unknown.
"""

from metastasis.trials.criteria import Criterion, split_criteria
from metastasis.trials.engine import OVERALL_STATUSES, ParsedStudy, match_trials, parse
from metastasis.trials.models import CriterionResult, Study, TrialMatch, parse_study
from metastasis.trials.store import ImportResult, TrialStore, read_studies

__all__ = [
    "OVERALL_STATUSES",
    "Criterion",
    "CriterionResult",
    "ImportResult",
    "ParsedStudy",
    "Study",
    "TrialMatch",
    "TrialStore",
    "match_trials",
    "parse",
    "parse_study",
    "read_studies",
    "split_criteria",
]
