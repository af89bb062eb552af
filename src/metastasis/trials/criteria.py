"""Split the free text of ``eligibilityCriteria`` into criteria: one per bullet or numbered item.

The API sends Markdown-like text: "Inclusion Criteria:" / "Exclusion Criteria:" headings, ``*`` or ``-``
bullets and ``1.`` items, sub-bullets indented under their parent, and characters escaped with a backslash
(``\\>=``). Each bullet at any depth is one criterion with its depth and parent; a line that is not a bullet
and ends with a colon is a sub-heading, not a criterion; an indented line without a bullet continues the
criterion above; any other plain line is a criterion of its own (``bullet=False``).

Example
-------
>>> items = split_criteria("Inclusion Criteria:\\n\\n* Age \\\\>= 18\\n\\nExclusion Criteria:\\n\\n* Pregnancy")
>>> [(c.kind, c.text) for c in items]
[('inclusion', 'Age >= 18'), ('exclusion', 'Pregnancy')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ESCAPE = re.compile(r"\\([^\w\s])")
_BULLET = re.compile(
    r"^(\s*)(?:[*\-•·+]|\d{1,3}[.)]|\d{1,3}\s*-|\(?[a-zA-Z][.)]|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])\s+(.*)$"
)
_HEADING = re.compile(r"\b(inclusion|exclusion)\b[^:]*\bcriteri", re.IGNORECASE)
_NOTHING = re.compile(r"^(?:none|n/?a|not applicable)\.?$", re.IGNORECASE)
MAX_TEXT = 100_000
"""Criteria text longer than this is cut (the longest real record seen is about 15,000 characters)."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion as written: its section, text, depth and the index of its parent bullet."""

    kind: str
    text: str
    depth: int = 0
    parent: int | None = None
    bullet: bool = True
    heading: str | None = None


def unescape(text: str) -> str:
    """Remove the API's backslash escapes (``\\>`` -> ``>``)."""
    return _ESCAPE.sub(r"\1", text)


def _fold(text: str) -> str:
    # One space for every run of white space: the text reads the same, and the recogniser's patterns, which
    # try optional white space at every position, stay linear (a run of 40,000 spaces took about 26 s).
    return " ".join(text.split())


def _section(line: str) -> str | None:
    if len(line) >= 120:  # a heading is short; searching a long line first took seconds (quadratic)
        return None
    found = _HEADING.search(line)
    return found.group(1).lower() if found else None


@lru_cache(maxsize=8192)
def split_criteria(text: str) -> tuple[Criterion, ...]:
    """The criteria of one ``eligibilityCriteria`` text, in order (cached by text).

    Parameters
    ----------
    text:
        The free text as the API sends it.

    Returns
    -------
    tuple[Criterion, ...]
        Inclusion criteria before the first heading count as inclusion.
    """
    kind = "inclusion"
    heading: str | None = None
    found: list[Criterion] = []
    stack: list[tuple[int, int]] = []  # (indent, index) of the open bullets
    last_blank = True
    for raw in unescape(text[:MAX_TEXT]).splitlines():
        line = raw.rstrip()
        if not line.strip():
            last_blank = True
            continue
        bullet = _BULLET.match(line)
        if not bullet:
            section = _section(line)
            if section is not None:
                kind, heading, stack = section, None, []
                last_blank = False
                continue
            stripped = _fold(line)
            indented = len(line) - len(line.lstrip())
            if found and stack and (indented > 0 or not last_blank) and found[-1].kind == kind:
                previous = found[-1]
                found[-1] = Criterion(
                    previous.kind,
                    f"{previous.text} {stripped}",
                    previous.depth,
                    previous.parent,
                    previous.bullet,
                    previous.heading,
                )
            elif stripped.endswith(":"):
                heading, stack = stripped.rstrip(":").strip(), []
            elif not _NOTHING.match(stripped):
                found.append(Criterion(kind, stripped, 0, None, False, heading))
                stack = []
            last_blank = False
            continue
        indent = len(bullet.group(1).expandtabs(4))
        body = _fold(bullet.group(2))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = len(stack)
        if _NOTHING.match(body):
            last_blank = False
            continue
        found.append(Criterion(kind, body, depth, parent, True, heading))
        stack.append((indent, len(found) - 1))
        last_blank = False
    return tuple(found)


def count_bullets(text: str) -> int:
    """How many bullet or numbered lines the text has (what :func:`split_criteria` makes criteria of)."""
    return sum(
        1
        for line in unescape(text).splitlines()
        if (found := _BULLET.match(line.rstrip())) and not _NOTHING.match(found.group(2).strip())
    )
