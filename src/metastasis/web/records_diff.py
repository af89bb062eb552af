"""What changed between two versions of a record: a line diff of the two cases as pretty-printed JSON."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

#: Most diff lines shown (a whole case is a few hundred lines; the page stays bounded whatever the versions).
MAX_LINES = 2_000


@dataclass(frozen=True)
class DiffLine:
    """One line of the diff: ``kind`` is ``added``, ``removed``, ``context`` or ``hunk`` (a ``@@`` header)."""

    kind: str
    text: str


def case_lines(case: dict[str, Any]) -> list[str]:
    """The case as sorted, indented JSON lines (a stable text to compare)."""
    return json.dumps(case, indent=2, sort_keys=True, ensure_ascii=False, default=str).splitlines()


def version_diff(old: dict[str, Any], new: dict[str, Any], *, context: int = 3) -> list[DiffLine]:
    """The lines that differ between two cases, with ``context`` lines around each change.

    Example
    -------
    >>> [(d.kind, d.text.strip()) for d in version_diff({"a": 1}, {"a": 2}) if d.kind != "hunk"]
    [('context', '{'), ('removed', '"a": 1'), ('added', '"a": 2'), ('context', '}')]
    """
    lines = difflib.unified_diff(case_lines(old), case_lines(new), lineterm="", n=context)
    out: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            out.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("removed", line[1:]))
        else:
            out.append(DiffLine("context", line[1:]))
        if len(out) >= MAX_LINES:
            out.append(DiffLine("hunk", f"... cut at {MAX_LINES:,} lines"))
            break
    return out
