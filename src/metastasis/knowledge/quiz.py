"""A quiz on metastasis with answers, explanations and scoring."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.knowledge._data import load_models
from metastasis.knowledge.models import _Cited


class QuizItem(_Cited):
    """One multiple-choice question with its answer key and explanation."""

    id: str
    question: str
    choices: dict[str, str]
    answer: str
    explanation: str
    topic: str | None = None
    """The explainer the explanation links back to (checked when the quiz is read)."""

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> QuizItem:
        if self.answer not in self.choices:
            raise ValueError(f"{self.id}: answer {self.answer!r} is not one of {sorted(self.choices)}")
        return self


class QuizAnswer(BaseModel):
    """How one question was answered."""

    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    given: str
    correct_answer: str
    correct: bool
    explanation: str
    topic: str | None = None
    """The explainer the explanation links back to."""


class QuizScore(Evidenced):
    """The score of a completed quiz."""

    score: int
    total: int
    answers: list[QuizAnswer]

    @property
    def percent(self) -> float:
        """Share of correct answers, in percent."""
        return 100.0 * self.score / self.total


def _check_topics(items: tuple[QuizItem, ...], name: str) -> tuple[QuizItem, ...]:
    from metastasis.knowledge.education import topics  # the quiz module stays importable on its own

    known = topics()
    bad = [item.id for item in items if item.topic is not None and item.topic not in known]
    if bad:
        raise DataIntegrityError(f"{name}: questions {bad} link to unknown topics")
    return items


@cache
def topic_quiz() -> tuple[QuizItem, ...]:
    """The self-check questions of the explainer pages (each names its topic), apart from the scored quiz.

    Example
    -------
    >>> all(item.topic for item in topic_quiz())
    True
    """
    items = _check_topics(load_models("metastasis.knowledge", "topic_quiz.yaml", QuizItem), "topic_quiz.yaml")
    if any(item.topic is None for item in items):
        raise DataIntegrityError("topic_quiz.yaml: every question names its topic")
    return items


def topic_quiz_items(topic: str) -> list[QuizItem]:
    """The questions (scored quiz and self-check) whose explanation links back to this explainer.

    Example
    -------
    >>> [item.id for item in topic_quiz_items("jaw_care")]
    ['jaw_dentist']
    """
    return [item for item in (*quiz_items(), *topic_quiz()) if item.topic == topic]


@cache
def quiz_items() -> tuple[QuizItem, ...]:
    """The quiz questions in order.

    Example
    -------
    >>> quiz_items()[0].id
    'any_cancer'
    """
    return _check_topics(load_models("metastasis.knowledge", "quiz.yaml", QuizItem), "quiz.yaml")


def score_quiz(answers: Sequence[str]) -> QuizScore:
    """Score one answer key (``a``, ``b``...) per question, in order.

    Example
    -------
    >>> score_quiz(["b", "a", "b", "b", "b", "c", "c", "a", "a", "b"]).score
    10
    """
    items = quiz_items()
    if isinstance(answers, str) or len(answers) != len(items):
        raise InvalidInputError("answers", answers, f"exactly {len(items)} answers, one per question, in order")
    results: list[QuizAnswer] = []
    for item, given in zip(items, answers, strict=True):
        key = given.strip().lower() if isinstance(given, str) else given
        if key not in item.choices:
            raise InvalidInputError(f"answer to {item.id}", given, sorted(item.choices))
        results.append(
            QuizAnswer(
                id=item.id,
                question=item.question,
                given=key,
                correct_answer=item.answer,
                correct=key == item.answer,
                explanation=item.explanation,
                topic=item.topic,
            )
        )
    reasons = [
        Reason(rule=f"quiz.{item.id}", text=f"Answer key {item.answer}.", sources=item.sources) for item in items
    ]
    return QuizScore(score=sum(r.correct for r in results), total=len(items), answers=results, reasons=reasons)
