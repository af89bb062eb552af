"""The HTML report is reproducible: the same case gives the same bytes (no rendering date, no random ids), and
every ``id`` in the page is unique (the inline SVG figures included), so that links and ARIA references resolve.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from metastasis import assess_case
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report.render import render_html


def _render(name: str, audience: str) -> str:
    return render_html(assess_case(load_example_case(name)), audience=audience)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", example_case_names())
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_two_renders_give_the_same_bytes(name, audience):
    first, second = _render(name, audience), _render(name, audience)
    if first != second:
        at = next(i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b)
        pytest.fail(f"the renders differ at character {at}: {first[max(at - 60, 0) : at + 40]!r}")
    assert first.encode("utf-8") == second.encode("utf-8")


@pytest.mark.parametrize("name", example_case_names())
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_every_id_is_unique(name, audience):
    ids = Counter(re.findall(r"""\bid\s*=\s*["']([^"']*)["']""", _render(name, audience)))
    assert ids, "the report has ids (sections, references)"
    assert [i for i, n in ids.items() if n > 1] == []
