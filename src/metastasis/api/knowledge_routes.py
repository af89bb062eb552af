"""Read-only vocabularies and records a client needs: symptom codes, sites, explainers, quiz questions, sources.

Each route returns the library's own records (``Site``, ``Explainer``, ``Source``...); the quiz questions are
the library's ``QuizItem`` less its answer key, so that a client can show the quiz without giving it away
(``POST /api/v1/quiz/score`` marks it). An unknown id answers 404 naming the id and where the valid ones are
listed. No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations.
"""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, create_model

from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.assess.triage import symptom_vocabulary
from metastasis.errors import InvalidInputError
from metastasis.evidence import Source, all_sources
from metastasis.knowledge import Site, all_sites, facts, get_site
from metastasis.knowledge.education import Explainer, explain, topics
from metastasis.knowledge.guides import (
    GlossaryEntry,
    Organisation,
    QuestionList,
    glossary,
    organisations,
    question_lists,
)
from metastasis.knowledge.models import Facts
from metastasis.knowledge.quiz import QuizItem, quiz_items

#: Fields of a quiz item that give the answer away (the explainer a question links back to is shown with the
#: explanation, after scoring).
ANSWER_FIELDS = frozenset({"answer", "explanation", "topic"})

QuizQuestion: type[BaseModel] = create_model(
    "QuizQuestion",
    __config__=ConfigDict(frozen=True),
    __doc__="One multiple-choice question of the quiz, without its answer (score answers with POST /quiz/score).",
    **{name: (info.annotation, info) for name, info in QuizItem.model_fields.items() if name not in ANSWER_FIELDS},
)


def not_found(field: str, value: str, listed_at: str) -> ApiError:
    """404 for an unknown id, saying where the valid ids are listed."""
    return ApiError(
        404,
        [
            ErrorItem(
                field=field, value=value, allowed=f"an id listed by GET {listed_at}", message=f"no {field} {value!r}"
            )
        ],
    )


def symptoms() -> dict[str, str]:
    """The triage symptom codes with their plain-language labels (the values ``POST /triage`` accepts)."""
    return symptom_vocabulary()


def sites() -> list[Site]:
    """Every metastatic site with its codes (SNOMED CT, ICD-10-CM), in catalogue order."""
    return list(all_sites())


def site(site_id: str) -> Site:
    """One metastatic site with its codes."""
    try:
        return get_site(site_id)
    except InvalidInputError:
        raise not_found("site_id", site_id, "/api/v1/sites") from None


def site_facts() -> Facts:
    """Where breast cancer spreads: published site frequencies and where bone ranks, with their sources."""
    return facts()


def learn_topics() -> dict[str, str]:
    """The plain-language explainers for patients and families: topic id and title."""
    return topics()


def learn(topic: str) -> Explainer:
    """One plain-language explainer (``-`` and ``_`` are interchangeable in the topic id): the one-sentence answer,
    paragraphs and sections, what to do or ask, when to get help now, related topics, the next step, sources and
    review status."""
    try:
        return explain(topic)
    except InvalidInputError:
        raise not_found("topic", topic, "/api/v1/learn") from None


def glossary_terms() -> list[GlossaryEntry]:
    """The words the patient pages use, each with a plain-language definition and its sources."""
    return list(glossary())


def questions_to_ask() -> list[QuestionList]:
    """Questions to ask the care team at each step (diagnosis, bone drugs, bone treatment, a trial, a second
    opinion), with the explainers that go with them."""
    return list(question_lists())


def support_organisations() -> list[Organisation]:
    """Organisations that help, what they do, their websites, and phone numbers with the date of the copy they
    were read in."""
    return list(organisations())


def quiz() -> list[Any]:
    """The quiz questions in order, without their answers."""
    return [QuizQuestion.model_validate(item.model_dump(exclude=set(ANSWER_FIELDS))) for item in quiz_items()]


def sources() -> dict[str, Source]:
    """Every registered source by id, with its citation, link and verification status."""
    return dict(all_sources())


def source(source_id: str) -> Source:
    """One source: the citation behind the ids in every result's ``sources``."""
    found = all_sources().get(source_id)
    if found is None:
        raise not_found("source_id", source_id, "/api/v1/sources")
    return found


#: (path, endpoint, response model, tag) of every read-only route.
ROUTES: tuple[tuple[str, Any, Any, str], ...] = (
    ("/triage/symptoms", symptoms, dict[str, str], "triage"),
    ("/sites", sites, list[Site], "knowledge"),
    ("/sites/facts", site_facts, Facts, "knowledge"),
    ("/sites/{site_id}", site, Site, "knowledge"),
    ("/learn", learn_topics, dict[str, str], "education"),
    ("/learn/{topic}", learn, Explainer, "education"),
    ("/glossary", glossary_terms, list[GlossaryEntry], "education"),
    ("/questions-to-ask", questions_to_ask, list[QuestionList], "education"),
    ("/support-organisations", support_organisations, list[Organisation], "education"),
    ("/quiz", quiz, list[QuizQuestion], "education"),  # type: ignore[valid-type]
    ("/sources", sources, dict[str, Source], "evidence"),
    ("/sources/{source_id}", source, Source, "evidence"),
)


def add_knowledge_routes(router: APIRouter) -> None:
    """Add the read-only routes to ``router`` (under its prefix)."""
    for path, endpoint, model, tag in ROUTES:
        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            response_model=model,
            tags=[tag],
            operation_id=f"get_{endpoint.__name__}",
            name=f"api.{endpoint.__name__}",
            responses={404: {"model": ErrorBody, "description": "No record with that id."}} if "{" in path else None,
        )
