"""Strict, bounded reading of JSON and YAML text: the one parser guard behind case files (CLI, API, web) and
the API's JSON request bodies.

Whatever the text, reading it costs work in proportion to its length and ends in plain data or an
:class:`InvalidInputError` naming where the problem is (a JSON path such as ``$.labs[0].value``, or a dotted
field such as ``symptoms.1`` for request bodies):

* **YAML aliases are refused.** ``*name`` (and the merge key ``<<``) would make the data larger than the text:
  400 aliases of one 100 kB string made a 108 kB case into a 248 MB report, and nine nested aliases of nine
  make a few hundred bytes into 387 million values ("billion laughs"). A case writes each value where it is
  used; an anchor (``&name``) that nothing refers to is harmless and read as usual. With aliases gone, the data
  can never be larger than the text.
* **Bounded size**: at most :data:`MAX_TEXT_CHARS` characters, :data:`MAX_VALUES` values (objects, lists and
  scalars; keys not counted) nested at most :data:`MAX_DEPTH` deep. Real cases hold a few hundred values and
  nest five deep.
* **Duplicate keys are refused** (JSON and YAML): clinical data must not be silently replaced by a later value.
* **Integers of more than** :data:`MAX_DIGITS` **digits are refused** (Python refuses more than 4,300 with a
  ``ValueError``; nothing clinical needs more than a few).
* **Lone surrogates are refused** (``"\\ud800"`` in JSON): they are not characters and cannot be written out as
  UTF-8, so they would fail later, when the answer is written.
* YAML dates that do not exist (``2024-02-30``) are read as text, for the case validator to name with its path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from typing import Any, Literal

import yaml

from metastasis.errors import InvalidInputError

#: Longest text read (the API refuses bodies over 1,000,000 bytes before reading them).
MAX_TEXT_CHARS = 1_000_000
#: Most values (objects, lists and scalars) the data may hold; bundled example cases hold about 150.
MAX_VALUES = 20_000
#: Deepest nesting (the top level is depth 1); the case schema nests five levels.
MAX_DEPTH = 32
#: Most digits an integer may be written with.
MAX_DIGITS = 100
#: Longest rendering of a refused value (a refused value is not echoed whole).
MAX_SHOWN = 60

#: How a location is named: a JSON path (``$.labs[0].unit``, cases) or dotted (``symptoms.1``, request fields).
PathStyle = Literal["json", "dotted"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Pairs(list[tuple[Any, Any]]):
    """A JSON object or YAML mapping as read: its key-value pairs in order, duplicates kept until checked."""


class _LongNumber(str):
    """An integer written with more than :data:`MAX_DIGITS` digits (kept as its text, never converted)."""


class _Alias:
    """Where a YAML alias (or merge key) was used: refused once its location in the data is known."""

    def __init__(self, line: int):
        self.line = line


def _digits(text: str) -> int:
    return len(text.lstrip("+-").replace("_", ""))


def _json_int(text: str) -> int | _LongNumber:
    return _LongNumber(text) if _digits(text) > MAX_DIGITS else int(text)


class StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (libyaml's when built with it) that marks aliases, keeps every mapping's pairs
    (for the duplicate check), leaves integers too long to read unconverted and impossible dates as text."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:  # a node met again: an alias
            return _Alias(node.start_mark.line + 1)
        return super().construct_object(node, deep=deep)

    def construct_pairs_map(self, node: yaml.Node) -> Any:
        data = _Pairs()
        yield data
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:  # '<<: *base' merges an alias in
                data.append((_Alias(key_node.start_mark.line + 1), None))
                continue
            data.append((self.construct_object(key_node), self.construct_object(value_node)))

    def construct_bounded_int(self, node: yaml.Node) -> Any:
        value = str(node.value)
        return _LongNumber(value) if _digits(value) > MAX_DIGITS else self.construct_yaml_int(node)

    def construct_checked_timestamp(self, node: yaml.Node) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2024-02-30, a time zone offset of 99 hours...
            return self.construct_scalar(node)


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_pairs_map)
StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_bounded_int)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_checked_timestamp)


def shown(text: str) -> str:
    """A short, printable rendering of a refused text (lone surrogates written as ``\\ud800``)."""
    short = text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
    return short.encode("utf-8", "backslashreplace").decode("utf-8")


class _Tree:
    """Checks parsed data and builds it as plain dicts and lists, naming the location of the first problem."""

    def __init__(self, style: PathStyle, source: str):
        self.style = style
        self.source = source
        self.values = 0

    def where(self, path: tuple[str | int, ...]) -> str:
        if self.style == "dotted":
            return ".".join(str(part) for part in path) or self.source
        return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)

    def build(self, item: Any, path: tuple[str | int, ...]) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            allowed = f"at most {MAX_VALUES:,} values (a case holds hundreds)"
            raise InvalidInputError(self.source, f"more than {MAX_VALUES:,} values", allowed)
        if len(path) >= MAX_DEPTH:
            raise InvalidInputError(
                self.where(path), f"nested more than {MAX_DEPTH} deep", f"at most {MAX_DEPTH} levels of nesting"
            )
        if isinstance(item, _Pairs):
            return self.mapping(item, path)
        if isinstance(item, list | tuple):
            return [self.build(value, (*path, index)) for index, value in enumerate(item)]
        if isinstance(item, set | frozenset):
            return {self.build(value, (*path, "?")) for value in item}
        self.scalar(item, path)
        return item

    def mapping(self, pairs: _Pairs, path: tuple[str | int, ...]) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        for key, value in pairs:
            if not isinstance(key, Hashable):
                raise InvalidInputError(self.where(path), "a list or mapping used as a key", "text keys")
            here = (*path, shown(key) if isinstance(key, str) else repr(key))
            self.scalar(key, path if isinstance(key, _Alias | _LongNumber) else here)
            if key in data:
                raise InvalidInputError(
                    self.where(here),
                    shown(str(key)),
                    "each key at most once in an object or mapping",
                    detail="the key is given more than once here; a later value would silently replace an earlier one",
                )
            data[key] = self.build(value, here)
        return data

    def scalar(self, item: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(item, _LongNumber):
            raise InvalidInputError(
                self.where(path), f"a number of {_digits(item):,} digits", f"a number of at most {MAX_DIGITS} digits"
            )
        if isinstance(item, _Alias):
            raise InvalidInputError(
                self.where(path),
                f"a YAML alias of the value on line {item.line}",
                "each value written out where it is used (YAML aliases *name and merges << are not read)",
            )
        if isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InvalidInputError(
                    self.where(path),
                    shown(item),
                    "Unicode text (a lone surrogate such as \\ud800 is not a character)",
                    detail=f"character {exc.start + 1} is a lone surrogate",
                ) from None


def _check_length(text: str, source: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInputError(source, f"{len(text):,} characters", f"at most {MAX_TEXT_CHARS:,} characters")


_NOT_PLAIN = object()
_LONG_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1}}}")


class _Duplicate(Exception):
    """A key given twice: the full check says where."""


def _dict_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _Duplicate
    return data


def _loads_plain_json(text: str) -> Any:
    """The data of JSON text that cannot break a bound, parsed at C speed; ``_NOT_PLAIN`` for any other text.

    Text passes when it is ASCII without ``\\u`` escapes (so no lone surrogate), shorter than the value limit
    (so fewer values), has fewer brackets than the depth limit (so shallower) and no digit run over the digit
    limit; a duplicate key sends it to the full check, which names it. Most API bodies are such text.
    """
    if (
        len(text) >= MAX_VALUES
        or not text.isascii()
        or "\\u" in text
        or text.count("{") + text.count("[") >= MAX_DEPTH
        or _LONG_DIGITS.search(text)
    ):
        return _NOT_PLAIN
    try:
        return json.loads(text, object_pairs_hook=_dict_once)
    except (_Duplicate, RecursionError):
        return _NOT_PLAIN


def loads_json(text: str, *, style: PathStyle = "json", source: str = "body") -> Any:
    """Plain data from JSON text, checked as the module says.

    Raises
    ------
    json.JSONDecodeError
        For text that is not JSON (the caller knows how it reports a syntax error).
    InvalidInputError
        For any of the module's bounds and checks; ``field`` names where.

    Examples
    --------
    >>> loads_json('{"labs": [{"value": 2.9}]}')
    {'labs': [{'value': 2.9}]}
    >>> loads_json('{"age": 52, "age": 61}')
    Traceback (most recent call last):
    ...
    metastasis.errors.InvalidInputError: invalid $.age: 'age' (the key is given more than once here; a later \
value would silently replace an earlier one); allowed: each key at most once in an object or mapping
    """
    _check_length(text, source)
    fast = _loads_plain_json(text)
    if fast is not _NOT_PLAIN:
        return fast
    try:
        data = json.loads(text, object_pairs_hook=_Pairs, parse_int=_json_int)
    except RecursionError:
        raise InvalidInputError(
            source, f"nested more than {MAX_DEPTH} deep", f"at most {MAX_DEPTH} levels of nesting"
        ) from None
    return _Tree(style, source).build(data, ())


def loads_yaml(text: str, *, style: PathStyle = "json", source: str = "case") -> Any:
    """Plain data from YAML text, checked as the module says (aliases refused).

    Raises
    ------
    yaml.YAMLError
        For text that is not YAML.
    InvalidInputError
        For any of the module's bounds and checks; ``field`` names where.

    Examples
    --------
    >>> loads_yaml("labs:\\n- {value: 2.9, date: 2024-02-30}")
    {'labs': [{'value': 2.9, 'date': '2024-02-30'}]}
    >>> loads_yaml("a: &x [1, 2]\\nb: *x")
    Traceback (most recent call last):
    ...
    metastasis.errors.InvalidInputError: invalid $.b: 'a YAML alias of the value on line 1'; allowed: each value \
written out where it is used (YAML aliases *name and merges << are not read)
    """
    _check_length(text, source)
    data = yaml.load(text, Loader=StrictLoader)
    return _Tree(style, source).build(data, ())
