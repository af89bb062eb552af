"""Explainers and the quiz."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.knowledge.education import explain, topics
from metastasis.knowledge.quiz import quiz_items, score_quiz

KEY = ["b", "a", "b", "b", "b", "c", "c", "a", "a", "b"]


def test_explainers_cover_the_issue_topics():
    assert {"what_is_metastasis", "systemic_disease", "bone_lesions", "survival_statistics"} <= set(topics())


def test_what_is_metastasis_names_every_cascade_step_and_both_routes():
    text = explain("what_is_metastasis").text.lower()
    for step in ("local invasion", "intravasation", "circulation", "arrest", "extravasation", "proliferation",
                 "angiogenesis", "blood", "lymph"):  # fmt: skip
        assert step in text


def test_bone_lesion_explainer_contrasts_breast_and_prostate():
    text = explain("bone-lesions").text
    assert "Breast cancer mostly makes osteolytic" in text and "Prostate cancer mostly makes osteoblastic" in text


def test_survival_explainer_says_what_numbers_cannot_tell():
    text = explain("survival_statistics").text
    assert "cannot tell you what will happen to you" in text


def test_unknown_topic_lists_topics():
    with pytest.raises(InvalidInputError) as info:
        explain("astrology")
    assert "what_is_metastasis" in info.value.allowed


def test_quiz_has_the_eight_classic_questions_first():
    ids = [item.id for item in quiz_items()]
    assert ids[:8] == ["any_cancer", "where_spreads", "how_spreads", "symptoms", "without_primary", "second_cancer",
                       "treatments", "new_treatments"]  # fmt: skip
    assert len(ids) == 10


def test_all_correct_answers_score_full_marks():
    result = score_quiz(KEY)
    assert (result.score, result.total, result.percent) == (10, 10, 100.0)
    assert all(answer.explanation for answer in result.answers)


def test_wrong_answers_are_marked_with_the_right_one():
    answers = ["a", *KEY[1:]]
    result = score_quiz(answers)
    assert result.score == 9
    first = result.answers[0]
    assert (first.correct, first.correct_answer, first.given) == (False, "b", "a")


@pytest.mark.parametrize("answers", [KEY[:9], [*KEY, "a"], ["z", *KEY[1:]], "babbbccaab"])
def test_bad_answer_sheets_are_refused(answers):
    with pytest.raises(InvalidInputError):
        score_quiz(answers)
