"""Library functions as HTTP operations, with request models derived from their own signatures.

An :class:`Operation` wraps one library function. Its request model is built from the function's parameters
(names, type hints, defaults) and its docstring (descriptions), so the API and the web forms can never drift
from the library: add a parameter to a function and it appears in the OpenAPI document and in the form.
Its response model is the function's own return type (or that of ``present`` where the library returns a
non-serialisable object, such as a bone-simulation run).

Caller-supplied sizes of simulations are bounded here (``limits``): each bound is shown in the OpenAPI
document and a request over it is refused with 422 before any work starts.

Request models are stricter than the library's own type coercion where JSON makes a mistake likely: numbers
and booleans must be JSON numbers and booleans (``"2.6"`` or ``true`` for a calcium is refused, not read as
2.6 or 1), and ``NaN``/``Infinity`` (which Python's JSON parser accepts) are refused for every number.
"""

from __future__ import annotations

import collections.abc
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from metastasis.errors import InvalidInputError

_SEQUENCE_ORIGINS = (collections.abc.Iterable, collections.abc.Sequence)
#: Leaf types of a parameter validated strictly (no text-to-number or number-to-boolean coercion).
_STRICT_LEAVES = frozenset({int, float, bool, type(None)})


@dataclass(frozen=True)
class Limit:
    """Documented bounds on a numeric request field (inclusive)."""

    ge: float | None = None
    le: float | None = None


@dataclass(frozen=True)
class Operation:
    """One library function served at ``POST /api/v1/<path>``.

    Parameters
    ----------
    path:
        URL path below ``/api/v1/`` (``"scores/mirels"``).
    func:
        The library function; called with the validated request fields as keyword arguments.
    group:
        OpenAPI tag (``"scores"``).
    exclude:
        Parameters not offered over HTTP (library objects such as a custom Markov chain).
    overrides:
        The HTTP type of a parameter whose library type also admits library objects (a bone-drug regimen
        given by name only: ``{"treatment": str}``).
    limits:
        Bounds per numeric parameter; the maxima of simulation sizes live here.
    present:
        Maps the function's result to the response (default: the result itself).
    beyond_model:
        Library errors meaning "the model cannot compute this for these inputs" (a solver leaving its
        representable range), each with the parameter to name and what to try instead; :meth:`run` turns them
        into :class:`InvalidInputError`, so the caller gets a 422 naming that parameter instead of a 500.
    example:
        A request body shown in the OpenAPI document and used by the tests.
    """

    path: str
    func: Callable[..., Any]
    group: str
    exclude: frozenset[str] = frozenset()
    overrides: Mapping[str, Any] = field(default_factory=dict)
    limits: Mapping[str, Limit] = field(default_factory=dict)
    present: Callable[[Any], Any] | None = None
    beyond_model: Mapping[type[Exception], tuple[str, str]] = field(default_factory=dict)
    example: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """A stable identifier (``"scores_mirels"``), used for OpenAPI operation ids and web routes."""
        return self.path.replace("/", "_").replace("-", "_")

    @property
    def summary(self) -> str:
        """First line of the library function's docstring."""
        return (inspect.getdoc(self.func) or self.path).splitlines()[0]

    @cached_property
    def request_model(self) -> type[BaseModel]:
        """A pydantic model of the function's parameters (unknown fields and non-finite numbers are refused)."""
        hints = typing.get_type_hints(self.func)
        described = parameter_descriptions(inspect.getdoc(self.func) or "")
        fields: dict[str, Any] = {}
        for parameter in inspect.signature(self.func).parameters.values():
            if parameter.name in self.exclude or parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                continue
            annotation = self.overrides.get(parameter.name) or _json_type(hints.get(parameter.name, Any))
            default = ... if parameter.default is inspect.Parameter.empty else _json_default(parameter.default)
            limit = self.limits.get(parameter.name, Limit())
            fields[parameter.name] = (
                annotation,
                Field(
                    default=default,
                    description=described.get(parameter.name),
                    ge=limit.ge,
                    le=limit.le,
                    strict=True if _leaves(annotation) <= _STRICT_LEAVES else None,
                ),
            )
        title = "".join(part.capitalize() for part in re.split(r"[/_-]", self.path)) + "Request"
        config = ConfigDict(
            extra="forbid",
            allow_inf_nan=False,
            json_schema_extra={"examples": [dict(self.example)]} if self.example else None,
        )
        return create_model(title, __config__=config, **fields)

    @cached_property
    def response_model(self) -> Any:
        """The library's own result type."""
        target = self.present or self.func
        return typing.get_type_hints(target).get("return", Any)

    def run(self, request: BaseModel) -> Any:
        """Call the library function with the request's fields and present the result.

        Raises
        ------
        InvalidInputError
            From the library, or for a :attr:`beyond_model` error (naming its parameter).
        """
        arguments = {name: getattr(request, name) for name in type(request).model_fields}
        try:
            result = self.func(**arguments)
        except tuple(self.beyond_model) as exc:
            name, allowed = next(blame for kind, blame in self.beyond_model.items() if isinstance(exc, kind))
            raise InvalidInputError(name, arguments.get(name), allowed, detail=str(exc)) from exc
        return self.present(result) if self.present else result


def _leaves(annotation: Any) -> set[Any]:
    """The leaf types of an annotation: ``list[float] | None`` -> ``{float, NoneType}``."""
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list) and arguments:
        return set().union(*(_leaves(arg) for arg in arguments))
    return {annotation}


def _json_type(annotation: Any) -> Any:
    """Make a parameter's type expressible in JSON: any iterable of X becomes a list of X."""
    origin = typing.get_origin(annotation)
    if origin in _SEQUENCE_ORIGINS:
        (item,) = typing.get_args(annotation) or (Any,)
        return list[item]  # type: ignore[valid-type]
    return annotation


def _json_default(default: Any) -> Any:
    return list(default) if isinstance(default, tuple) else default


_SECTION_TITLES = frozenset({"Returns", "Raises", "Examples", "Example", "Notes", "References", "See Also", "Yields"})
_NAME = re.compile(r"^\*{0,2}([A-Za-z_]\w*)$")
_SUFFIXED = re.compile(r"^their \*(\w+)$")


def heading_names(heading: str) -> list[str]:
    """The parameter names a docstring heading line introduces.

    Handles one name (``"site:"``), several (``"t, n, m:"``), a type after the colon (``"x : float"``) and
    suffixed companions (``"alp, alt, ast and their ``*_uln``:"`` names ``alp_uln``, ``alt_uln``, ``ast_uln``).

    Examples
    --------
    >>> heading_names("alp, alt, ast and their ``*_uln``:")
    ['alp', 'alt', 'ast', 'alp_uln', 'alt_uln', 'ast_uln']
    >>> heading_names("step, t_eval:")
    ['step', 't_eval']
    """
    text = heading.replace("`", "").split(":")[0]
    names: list[str] = []
    for part in re.split(r",|\band\b", text):
        part = part.strip()
        suffixed = _SUFFIXED.match(part)
        if suffixed:
            names += [name + suffixed[1] for name in list(names)]
        elif named := _NAME.match(part):
            names.append(named[1])
    return names


def parameter_descriptions(docstring: str) -> dict[str, str]:
    """Parameter descriptions from a numpy-style ``Parameters`` section.

    A heading line names one or more parameters (``"calcium, albumin, units, uln:"``, see
    :func:`heading_names`); the indented lines below it describe them all.

    Examples
    --------
    >>> parameter_descriptions("Do it.\\n\\nParameters\\n----------\\nx, y:\\n    The point.\\n")
    {'x': 'The point.', 'y': 'The point.'}
    """
    lines = docstring.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Parameters") + 2
    except StopIteration:
        return {}
    described: dict[str, str] = {}
    names: list[str] = []
    text: list[str] = []

    def flush() -> None:
        for name in names:
            described[name] = " ".join(text).strip()

    for line in lines[start:]:
        if not line.strip():
            continue
        if line.startswith(" "):
            text.append(line.strip())
            continue
        flush()
        if line.strip() in _SECTION_TITLES or set(line.strip()) == {"-"}:
            names = []
            break
        names, text = heading_names(line), []
    flush()
    return {name: text for name, text in described.items() if text}
