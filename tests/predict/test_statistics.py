"""Reference statistics, typed from prognosis.md section 3 and clinical_scores.md section 9."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.predict.statistics import reference_statistics


def _by_id():
    return {s.id: s for s in reference_statistics().statistics}


@pytest.mark.parametrize(
    ("stat_id", "value", "source"),
    [("acs-seer-localized", 0.99, "acs-seer-summary-stage"), ("acs-seer-regional", 0.87, "acs-seer-summary-stage"),
     ("acs-seer-distant", 0.32, "acs-seer-summary-stage"), ("cdc-uscs-all", 0.90, "cdc-uscs-breast"),
     ("seer18-all", 0.892, "seer-18-statfacts-archived"),
     ("esme-2020-all", 39.5, "deluche-2020-esme"), ("esme-2020-hr-pos-her2-neg", 43.3, "deluche-2020-esme"),
     ("esme-2020-her2-pos", 50.1, "deluche-2020-esme"), ("esme-2020-triple-negative", 14.8, "deluche-2020-esme"),
     ("esme-2018-triple-negative", 14.52, "gobbini-2018-esme"),
     ("svensson-breast-1y", 0.51, "kn-svensson-2017"), ("svensson-lung-1y", 0.10, "kn-svensson-2017"),
     ("svensson-breast-5y", 0.13, "kn-svensson-2017"), ("seer-bone-only-breast-5y", 0.321, "zhang-2023-bone-only-seer"),
     ("seer-isolated-bone-breast-5y", 0.411, "seer-bone-at-diagnosis-2020")],
)  # fmt: skip
def test_published_values(stat_id, value, source):
    stat = _by_id()[stat_id]
    assert stat.value == value
    assert source in stat.sources
    assert stat.period and stat.population


def test_esme_intervals_and_sizes():
    stats = _by_id()
    assert stats["esme-2020-her2-pos"].interval == (47.6, 53.1)
    assert stats["esme-2020-triple-negative"].n == 2963
    assert stats["svensson-breast-1y"].interval == (0.50, 0.53)


def test_every_result_says_statistics_describe_groups():
    for topic in ("stage", "overall", "metastatic_subtype", "bone_metastasis"):
        r = reference_statistics(topic=topic)
        assert r.statistics and all(s.topic == topic for s in r.statistics)
        assert "not one person" in r.caveats[0]
        assert len(r.reasons) == len(r.statistics)


def test_unverified_figures_are_marked():
    r = reference_statistics(topic="stage")
    unverified = {s.id for s in r.statistics if not s.verified}
    assert {"seer22-localized", "acs-ajcc-stage-iv"} <= unverified
    assert "acs-seer-distant" not in unverified
    assert "seer22-distant" in r.caveats[1]


def test_display_values():
    stats = _by_id()
    assert stats["acs-seer-localized"].display_value() == "more than 99%"
    assert stats["esme-2020-her2-pos"].display_value() == "50.1 months"


def test_group_filter_and_errors():
    r = reference_statistics(group="triple")
    assert {s.id for s in r.statistics} == {"esme-2020-triple-negative", "esme-2018-triple-negative"}
    with pytest.raises(InvalidInputError) as caught:
        reference_statistics(topic="lung")
    assert caught.value.field == "topic"
    with pytest.raises(InvalidInputError) as caught:
        reference_statistics(topic="stage", group="melanoma")
    assert caught.value.field == "group"
