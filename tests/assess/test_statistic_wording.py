"""Reference statistics in plain words: relative survival is a comparison, not the share of people alive."""

from __future__ import annotations

from metastasis.assess.case.prognosis import statistic_statement
from metastasis.predict.statistics import ReferenceStatistic


def _stat(measure: str, value: float) -> ReferenceStatistic:
    return ReferenceStatistic(
        id="x",
        topic="stage",
        measure=measure,
        group="Distant",
        value=value,
        period="2013-2019",
        population="SEER 22",
        sources=("seer-22-statfacts",),
    )


def test_relative_survival_is_worded_as_a_comparison() -> None:
    plain = statistic_statement(_stat("5-year relative survival", 0.32)).plain
    assert "32% as likely to be alive 5 years later" in plain
    assert "same age who did not have breast cancer" in plain
    assert "in 100 people" not in plain


def test_overall_survival_is_worded_as_people_alive() -> None:
    plain = statistic_statement(_stat("5-year overall survival", 0.338)).plain
    assert "about 34 in 100 people" in plain
    assert "alive 5 years later" in plain
