"""A fast structure check of the elements the import reads, compiled once per resource type from the
``fhir.resources`` R4B models themselves.

``fhir.resources`` checks each nested element (every CodeableConcept, Coding, Reference ...) with a Python
model and Python validators, about 0.1 ms per resource read. Here the same models' fields are turned into one
compiled pydantic-core schema per resource type: the element names, which are required, the primitive types
with fhir.resources' own validators (patterns, date formats, integer bounds), nested types recursively, no
``null`` inside a list of complex elements, at most one element of each choice group ``value[x]`` (exactly one
when required), and no unknown element. Nothing is written by hand: a new fhir.resources version changes the
check with it.

The check is **as strict or stricter** than fhir.resources: it refuses some things fhir.resources accepts (a
``null`` element, a ``_field`` primitive extension, an element given by its Python name), never the reverse (a
test checks this on every resource of the test bundles and on random mutations of them). So :func:`passes`
answering ``True`` means fhir.resources accepts the resource; ``False`` means "ask fhir.resources", whose verdict
and message are the ones reported (:func:`metastasis.interop.fhir.reading.validated`).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import PydanticCustomError, SchemaValidator, ValidationError, core_schema

_NONE = type(None)


def _without_none(annotation: Any) -> Any:
    """``X`` for ``X | None`` / ``Optional[X]`` (a null element is refused here: stricter than fhir.resources)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a is not _NONE]
        if len(kept) == 1:
            return kept[0]
    return annotation


def _fhir_class(annotation: Any) -> Any:
    """The fhir.resources model class behind a complex-type annotation, or ``None`` for a primitive.

    Resource-typed elements (``contained``, ``Bundle.entry.resource``) return ``False``: not checked here.
    """
    from fhir_core.types import FhirBase, FhirElementOrResourceBase

    if isinstance(annotation, type) and issubclass(annotation, FhirBase):
        if issubclass(annotation, FhirElementOrResourceBase):
            return False
        return annotation.get_model_klass()
    return None


class _Builder:
    """Turns fhir.resources model classes into pydantic-core schemas, one definition per class (recursive)."""

    def __init__(self) -> None:
        self.definitions: dict[str, core_schema.CoreSchema] = {}

    def element(self, annotation: Any) -> core_schema.CoreSchema | None:
        """The schema of one element's value, or ``None`` when the element is not checked here."""
        annotation = _without_none(annotation)
        if typing.get_origin(annotation) in (list, typing.List):  # noqa: UP006 - fhir.resources spells it so
            (item,) = typing.get_args(annotation)
            inner = self.element(item) if _fhir_class(_without_none(item)) is not None else self.primitive(item)
            return None if inner is None else core_schema.list_schema(inner)
        klass = _fhir_class(annotation)
        if klass is False:
            return None
        if klass is not None:
            return self.model(klass)
        return self.primitive(annotation)

    @staticmethod
    def primitive(annotation: Any) -> core_schema.CoreSchema:
        # fhir.resources' own schema for the type (its pattern, date or decimal validator), as in its models.
        return _primitive_schema(annotation)

    def model(self, klass: Any, *, top: str | None = None) -> core_schema.CoreSchema:
        """A reference to the definition of ``klass`` (built on first use); ``top`` names the resource type."""
        ref = f"{klass.__module__}.{klass.__qualname__}" + (":top" if top else "")
        if ref not in self.definitions:
            self.definitions[ref] = core_schema.any_schema()  # placeholder: breaks recursion (Extension.extension)
            self.definitions[ref] = self._fields(klass, ref, top)
        return core_schema.definition_reference_schema(ref)

    def _fields(self, klass: Any, ref: str, top: str | None) -> core_schema.CoreSchema:
        from metastasis.interop.fhir.reading import READ_ELEMENTS

        instance = klass.model_construct()
        required = {name for name, _ in instance.get_required_fields()}
        read = READ_ELEMENTS.get(top) if top else None
        fields: dict[str, core_schema.TypedDictField] = {}
        for name, info in klass.model_fields.items():
            key = info.alias or name
            if name == "fhir_comments" or name.endswith("__ext") or (read is not None and key not in read):
                continue  # left out: refused as unknown (stricter), or, at the top, not read (ignored)
            schema = self.element(info.annotation)
            if schema is not None:
                fields[key] = core_schema.typed_dict_field(schema, required=info.is_required() or key in required)
        if top is not None:
            fields["resourceType"] = core_schema.typed_dict_field(core_schema.literal_schema([top]), required=True)
        extra = "ignore" if top else "forbid"
        groups = _choice_groups(klass, instance, read)
        if not groups:
            return core_schema.typed_dict_schema(fields, extra_behavior=extra, ref=ref)
        body = core_schema.typed_dict_schema(fields, extra_behavior=extra)
        return core_schema.no_info_after_validator_function(_one_of_each(groups), body, ref=ref)


def _choice_groups(klass: Any, instance: Any, read: frozenset[str] | None) -> tuple[tuple[frozenset[str], bool], ...]:
    found = []
    for names in instance.get_one_of_many_fields().values():
        extra = klass.model_fields[names[0]].json_schema_extra or {}
        keys = frozenset(klass.model_fields[n].alias or n for n in names)
        if read is not None:
            keys &= read
        needed = bool(extra.get("one_of_many_required"))
        if keys or needed:
            found.append((keys, needed))
    return tuple(found)


def _one_of_each(groups: tuple[tuple[frozenset[str], bool], ...]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def check(value: dict[str, Any]) -> dict[str, Any]:
        for keys, required in groups:
            given = len(keys & value.keys())
            if given > 1 or (required and not given):
                raise PydanticCustomError("fhir_choice", "one element of a choice group [x] expected")
        return value

    return check


def _reads_every_required_element(klass: Any, read: frozenset[str]) -> bool:
    """Whether the elements read include every required element and one of every required choice group."""
    instance = klass.model_construct()
    required = {name for name, _ in instance.get_required_fields()}
    for name, info in klass.model_fields.items():
        key = info.alias or name
        if (info.is_required() or key in required) and key not in read:
            return False
    return all(keys for keys, needed in _choice_groups(klass, instance, read) if needed)


@cache
def _primitive_schema(annotation: Any) -> core_schema.CoreSchema:
    return TypeAdapter(annotation).core_schema


@cache
def _validator(resource_type: str) -> SchemaValidator | None:
    from fhir.resources.R4B import get_fhir_model_class

    from metastasis.interop.fhir.reading import READ_ELEMENTS

    read = READ_ELEMENTS.get(resource_type)
    if read is None:
        return None
    klass = get_fhir_model_class(resource_type)
    if not _reads_every_required_element(klass, read):
        return None  # fhir.resources refuses every such subset: only it may answer (passes() is always False)
    builder = _Builder()
    root = builder.model(klass, top=resource_type)
    return SchemaValidator(core_schema.definitions_schema(root, list(builder.definitions.values())))


def prepare() -> None:
    """Compile the checks of every resource type the import reads now, not at the first import (for a server's
    start-up: it takes about 0.15 s of CPU, once per process)."""
    from metastasis.interop.fhir.reading import READ_ELEMENTS

    for resource_type in READ_ELEMENTS:
        _validator(resource_type)


def passes(resource: Mapping[str, Any]) -> bool:
    """Whether the elements the import reads pass the compiled check (then fhir.resources accepts them too).

    ``False`` does not mean invalid: ask fhir.resources (:func:`metastasis.interop.fhir.reading.validated`).

    Example
    -------
    >>> passes({"resourceType": "Patient", "gender": "female", "birthDate": "1961-04-02"})
    True
    >>> passes({"resourceType": "Patient", "gender": 3})
    False
    """
    validator = _validator(str(resource.get("resourceType")))
    if validator is None:
        return False
    try:
        validator.validate_python(resource)
    except ValidationError:
        return False
    return True
