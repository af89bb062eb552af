"""Reading and writing cases as JSON or YAML files (chosen by the suffix: .json, .yaml, .yml).

Reading goes through :mod:`metastasis.domain.reading`, the one bounded, strict parser guard shared by the CLI,
the API and the web pages (no YAML aliases, no duplicate keys, bounded size and depth); a case file larger than
:data:`MAX_CASE_BYTES` is refused before it is read.

Example
-------
>>> from metastasis.domain import Case
>>> case = Case(schema_version="1.0", patient={"age_at_diagnosis": 52})
>>> text = case.to_yaml()
>>> print(text.strip())
schema_version: '1.0'
patient:
  age_at_diagnosis: 52
>>> loads_case(text, fmt="yaml") == case
True
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import yaml

from metastasis.domain.case import Case
from metastasis.domain.reading import MAX_TEXT_CHARS, loads_json, loads_yaml
from metastasis.domain.validation import validate_case
from metastasis.errors import InvalidInputError

Format = Literal["json", "yaml"]
# libyaml's dumper when PyYAML was built with it (same results, several times faster)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SUFFIXES: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
#: Largest case file read (the API's body bound; a real case file is a few kilobytes).
MAX_CASE_BYTES = MAX_TEXT_CHARS


def format_of(path: str | Path) -> Format:
    """``json`` or ``yaml`` from the file's suffix; :class:`InvalidInputError` for any other suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInputError("path", str(path), "a file ending in .json, .yaml or .yml")
    return SUFFIXES[suffix]


def parse_text(text: str, *, fmt: Format, source: str = "case") -> Any:
    """Parse JSON or YAML text into plain data, bounded and strict (:mod:`metastasis.domain.reading`).

    Every problem raises :class:`InvalidInputError`: a syntax error names the line; a YAML alias, a duplicate
    key, a lone surrogate, an integer too long, too many values or too deep a nesting name the JSON path.
    """
    try:
        if fmt == "json":
            return loads_json(text, source=source)
        return loads_yaml(text, source=source)
    except InvalidInputError:
        raise
    except json.JSONDecodeError as exc:
        raise InvalidInputError(source, f"line {exc.lineno}", "valid JSON", detail=exc.msg) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInputError(source, where, "valid YAML", detail=problem) from None
    except (ValueError, OverflowError, RecursionError):  # a value no rule above foresaw: still bad input
        raise InvalidInputError(source, "?", f"valid {fmt.upper()}", detail="a value could not be read") from None


def read_case_data(path: str | Path) -> Any:
    """The plain data of a case file (not yet validated); a missing, unreadable, binary or oversized file raises
    :class:`InvalidInputError` naming the path."""
    fmt = format_of(path)
    file = Path(path)
    try:
        if not file.is_file():
            raise InvalidInputError("path", str(path), "an existing .json, .yaml or .yml file")
        if file.stat().st_size > MAX_CASE_BYTES:
            raise InvalidInputError(
                "path", str(path), f"a case file of at most {MAX_CASE_BYTES:,} bytes", detail="the file is larger"
            )
        text = file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            "path", str(path), "a UTF-8 text file", detail=f"byte {exc.start} is not UTF-8 text"
        ) from None
    except OSError as exc:
        raise InvalidInputError("path", str(path), "a readable file", detail=exc.strerror or "cannot be read") from None
    return parse_text(text, fmt=fmt, source=str(path))


def loads_case(text: str, *, fmt: Format, source: str = "case") -> Case:
    """A case from JSON or YAML text; :class:`CaseValidationError` lists every error at once."""
    report = validate_case(parse_text(text, fmt=fmt, source=source))
    report.raise_for_errors(source=source)
    assert report.case is not None
    return report.case


def load_case(path: str | Path) -> Case:
    """Read and validate a case file (``.json``, ``.yaml`` or ``.yml``).

    Parameters
    ----------
    path:
        The file.

    Returns
    -------
    Case
        The validated case (warnings, if any, are listed by :meth:`Case.check`).

    Raises
    ------
    CaseValidationError
        When the case has errors: ``problems`` holds every problem; the message is one line.
    InvalidInputError
        When the file is missing, has another suffix or is not valid JSON/YAML.
    """
    report = validate_case(read_case_data(path))
    report.raise_for_errors(source=str(path))
    assert report.case is not None
    return report.case


def _data(case: Case) -> dict[str, Any]:
    return case.model_dump(mode="json", exclude_defaults=True)


def dumps_json(case: Case, *, indent: int = 2) -> str:
    """JSON text of a case (fields at their defaults omitted)."""
    return json.dumps(_data(case), indent=indent, ensure_ascii=False) + "\n"


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Writes dates as plain YAML dates (unquoted), enums as their values and tuples as lists, and every value
    in full where it is used: never an anchor and alias, which case files refuse."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_multi_representer(Enum, lambda dumper, value: dumper.represent_str(str(value.value)))
_Dumper.add_representer(tuple, lambda dumper, value: dumper.represent_list(list(value)))


def dumps_yaml(case: Case) -> str:
    """YAML text of a case (fields at their defaults omitted, in schema order)."""
    data = case.model_dump(mode="python", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def write_case(case: Case, path: str | Path) -> Path:
    """Write a case as JSON or YAML, by the suffix."""
    file = Path(path)
    text = dumps_json(case) if format_of(file) == "json" else dumps_yaml(case)
    file.write_text(text, "utf-8")
    return file
