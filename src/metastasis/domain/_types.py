"""Field types shared by the case models: strict dates and numbers, and controlled vocabularies.

Vocabularies owned by other packages (site ids, symptom ids, score choices) are read lazily, when a value is
validated or the JSON Schema is generated, so that importing :mod:`metastasis.domain` stays light and creates no
import cycle with :mod:`metastasis.staging` (which imports the biomarker helpers from here).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CaseModel(BaseModel):
    """Base of every case model: immutable, and unknown keys are refused (they are usually typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        raise PydanticCustomError("case_date", "expected a date without a time, written YYYY-MM-DD")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("case_date", "not a calendar date (YYYY-MM-DD)") from None
    raise PydanticCustomError("case_date", "expected a date written YYYY-MM-DD")


CaseDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
"""A calendar date: a ``datetime.date`` or text ``YYYY-MM-DD`` (no times, no other formats)."""

PositiveNumber = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
NonNegativeNumber = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(strict=True, ge=0)]


def not_allowed(value: Any, allowed: Sequence[str] | str, detail: str | None = None) -> PydanticCustomError:
    """The error raised for a value outside its vocabulary (``allowed`` is shown to the user)."""
    listed = allowed if isinstance(allowed, str) else ", ".join(str(a) for a in allowed)
    why = f" ({detail})" if detail else ""
    return PydanticCustomError(
        "not_allowed", "{shown} is not allowed{why}", {"shown": repr(value), "why": why, "allowed": listed}
    )


@cache
def _lookup(vocabulary: Vocabulary) -> Mapping[str, str]:
    """Accepted spelling -> canonical id (vocabularies are read once and never change)."""
    fold = str.lower if vocabulary.fold_case else str
    found = {} if vocabulary.aliases is None else {fold(k): v for k, v in vocabulary.aliases().items()}
    found.update({fold(v): v for v in vocabulary.values()})
    return found


@dataclass(frozen=True)
class Vocabulary:
    """``Annotated`` marker: text that must be one of a vocabulary loaded on first use.

    The JSON Schema lists the vocabulary as an ``enum``. ``aliases`` maps other accepted spellings to the
    canonical id (the canonical id is stored); ``fold_case`` compares without regard to case.

    Example
    -------
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Annotated[str, Vocabulary("colour", lambda: ("red", "blue"))]).validate_python("red")
    'red'
    """

    name: str
    values: Callable[[], Sequence[str]]
    aliases: Callable[[], Mapping[str, str]] | None = field(default=None)
    fold_case: bool = False

    def canonical(self, value: Any) -> str | None:
        """The canonical id for ``value``, or ``None`` when it is not in the vocabulary."""
        if not isinstance(value, str):
            return None
        key = value.strip().lower() if self.fold_case else value
        return _lookup(self).get(key)

    def _check(self, value: str) -> str:
        found = self.canonical(value)
        if found is None:
            raise not_allowed(value, self.values(), f"not a known {self.name}")
        return found

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = list(self.values())
        return json_schema
