"""The glossary, the "questions to ask" lists and the organisations that help, for patients and families.

Read from ``knowledge/data/glossary.yaml``, ``questions.yaml`` and ``support.yaml``; every entry cites its sources.
:func:`link_terms` splits a text into pieces, each a glossary term (to link) or plain text, so that a page can link
the words it uses to their definitions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from pydantic import Field, model_validator

from metastasis.errors import DataIntegrityError
from metastasis.evidence import get_source
from metastasis.knowledge._data import load_models
from metastasis.knowledge.education import topics
from metastasis.knowledge.models import _Cited


class GlossaryEntry(_Cited):
    """One term with its plain-language definition (the definition does not repeat the term)."""

    term: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    definition: str = Field(min_length=10)

    @property
    def anchor(self) -> str:
        """The element id of the entry on the glossary page, e.g. ``term-cdk4-6-inhibitor``."""
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


class QuestionList(_Cited):
    """Questions to ask the care team at one moment of the pathway, with the explainers that go with them."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    title: str
    questions: tuple[str, ...] = Field(min_length=1)
    topics: tuple[str, ...] = ()


class Organisation(_Cited):
    """An organisation that helps, what it does, its website, and a phone number only with the stored copy's date."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: str
    country: str
    helps_with: tuple[str, ...] = Field(min_length=1)
    website: str = Field(pattern=r"^https://\S+$")
    phone: str | None = None
    phone_hours: str | None = None
    phone_copy_date: str | None = None
    phone_source: str | None = None

    @model_validator(mode="after")
    def _phone_has_a_dated_source(self) -> Organisation:
        if self.phone is not None:
            if not (
                self.phone_hours and self.phone_copy_date and self.phone_source and self.phone_source in self.sources
            ):
                raise ValueError(
                    f"{self.id}: a phone number needs phone_hours, phone_copy_date and a cited phone_source"
                )
            get_source(self.phone_source)
        return self


@cache
def glossary() -> tuple[GlossaryEntry, ...]:
    """Every glossary entry, in the file's order.

    Example
    -------
    >>> next(e for e in glossary() if e.term == "HER2").definition.startswith("A protein")
    True
    """
    entries = load_models("metastasis.knowledge", "glossary.yaml", GlossaryEntry)
    seen: set[str] = set()
    for entry in entries:
        for word in (entry.term, *entry.aliases):
            if word.lower() in seen:
                raise DataIntegrityError(f"glossary.yaml: {word!r} is defined twice")
            seen.add(word.lower())
    return entries


@cache
def _by_word() -> Mapping[str, GlossaryEntry]:
    return MappingProxyType({word.lower(): e for e in glossary() for word in (e.term, *e.aliases)})


@cache
def _pattern() -> re.Pattern[str]:
    words = sorted(_by_word(), key=len, reverse=True)  # longest first: "bone scan" before "bone"
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


def define(word: str) -> GlossaryEntry | None:
    """The glossary entry for a term or one of its aliases (case-insensitive), or None.

    Example
    -------
    >>> define("Metastases").term
    'metastasis'
    """
    return _by_word().get(word.strip().lower()) if isinstance(word, str) else None


def terms_in(text: str) -> list[GlossaryEntry]:
    """The glossary entries whose term or alias appears in ``text``, each once, in order of first use."""
    found: dict[str, GlossaryEntry] = {}
    for match in _pattern().finditer(text):
        entry = _by_word()[match.group(0).lower()]
        found.setdefault(entry.term, entry)
    return list(found.values())


def link_terms(text: str, already: set[str] | None = None) -> list[tuple[str, GlossaryEntry | None]]:
    """Split ``text`` into pieces, linking the first use of each glossary term (terms in ``already`` are not
    linked again; the set is updated, so that a page links each term once).

    Example
    -------
    >>> [(t, e.term if e else None) for t, e in link_terms("A biopsy and a biopsy.")]
    [('A ', None), ('biopsy', 'biopsy'), (' and a biopsy.', None)]
    """
    done = already if already is not None else set()
    pieces: list[tuple[str, GlossaryEntry | None]] = []
    last = 0
    for match in _pattern().finditer(text):
        entry = _by_word()[match.group(0).lower()]
        if entry.term in done:
            continue
        done.add(entry.term)
        if match.start() > last:
            pieces.append((text[last : match.start()], None))
        pieces.append((match.group(0), entry))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], None))
    return pieces


@cache
def question_lists() -> tuple[QuestionList, ...]:
    """The "questions to ask" lists, in the order of the pathway; their topics must be explainers."""
    lists = load_models("metastasis.knowledge", "questions.yaml", QuestionList)
    known = topics()
    for item in lists:
        missing = [t for t in item.topics if t not in known]
        if missing:
            raise DataIntegrityError(f"questions.yaml: {item.id}: unknown topics {missing}")
    return lists


@cache
def organisations() -> tuple[Organisation, ...]:
    """The organisations that help, with what they do and how to reach them.

    Example
    -------
    >>> next(o for o in organisations() if o.id == "macmillan").phone
    '0808 808 00 00'
    """
    return load_models("metastasis.knowledge", "support.yaml", Organisation)
