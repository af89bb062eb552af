"""The Markdown report is neutral: case text (id, title, description, notes, lesion sites...) reaches it as text
and cannot add headings, lists, quotes, tables, code, raw HTML or links (``javascript:`` or any other).

A hostile case must give a Markdown document with the same structure, once parsed by a CommonMark parser with
raw HTML and tables on (as GitHub renders it), as the same case with plain words in those fields."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from metastasis import assess_case
from metastasis.domain import Case
from metastasis.examples.cases import example_case_text
from metastasis.report.render import markdown_text, render_markdown

HOSTILE = (
    "Intro </p><script>alert(1)</script> & &lt;b&gt; <https://evil.example> <javascript:alert(2)>\n"
    "# Heading\r\n## Second\u2028- item\n+ item\n* item\n1. first\n2) second\n> quote\n"
    "```js\nfence\n```\n~~~\nfence\n~~~\n    indented code\n| a | b |\n|---|---|\n"
    "[link](javascript:alert(3)) ![img](x.png) [ref]\n[ref]: javascript:alert(4)\n"
    "***bold*** _it_ `code` \\ --- ===\n<!-- comment --> <img src=x onerror=alert(5)>\n---\nSetext\n===\n#"
)
PLAIN = "Plain words"


def _case(text: str) -> Case:
    data: dict[str, Any] = yaml.safe_load(example_case_text("spinal-cord-compression"))
    data["id"] = data["title"] = data["description"] = text
    for group in ("treatments", "labs", "metastatic_sites", "bone_lesions"):
        for record in data.get(group, []):
            record["note"] = text
    for lesion in data.get("bone_lesions", []):
        lesion["subsite"] = text
    return Case.from_data(data)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _shape(markdown: str) -> list[Any]:
    """Block tokens (type, tag, nesting) and, inside each, the kinds of inline token other than text."""
    shape: list[Any] = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            children = token.children or []
            shape.append(sorted({c.type for c in children if c.type not in ("text", "softbreak")}))
        else:
            shape.append((token.type, token.tag, token.nesting))
    return shape


@pytest.fixture(scope="module", params=["clinician", "patient"])
def rendered(request) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    audience = request.param
    hostile = render_markdown(assess_case(_case(HOSTILE)), audience=audience)
    plain = render_markdown(assess_case(_case(PLAIN)), audience=audience)
    return hostile, plain


def test_the_hostile_text_reaches_the_report(rendered):
    hostile, _ = rendered
    assert "Setext" in hostile and "alert(1)" in hostile  # shown, as text


def test_hostile_case_text_leaves_the_structure_unchanged(rendered):
    hostile, plain = rendered
    assert _shape(hostile) == _shape(plain)


def test_no_raw_html_and_no_links_but_our_own(rendered):
    hostile, _ = rendered
    for token in _parser().parse(hostile):
        assert token.type != "html_block"
        for child in token.children or []:
            if child.type == "html_inline":
                assert re.fullmatch(r'<a id="ref-\d+">|</a>', child.content), child.content
            if child.type == "link_open":
                href = str(child.attrs["href"])  # a reference, or a source's page (library data)
                assert re.fullmatch(r"#ref-\d+|https?://[^\s]+", href) and "evil" not in href, href
            assert child.type != "image"
    out = _parser().render(hostile)
    assert "<script" not in out and "<img" not in out and "<!--" not in out and 'href="javascript' not in out


def test_lines_start_as_the_template_starts_them(rendered):
    hostile, plain = rendered

    def starts(text: str) -> list[str]:  # the markup a line opens with; text (or escaped markup) is "text"
        return ["text" if line[:1].isalnum() or line[:1] in "\\&" else line[:2] for line in text.splitlines()]

    assert starts(hostile) == starts(plain)


def test_the_text_reads_as_typed_once_rendered():
    """What a reader sees is the case text itself (on one line), not an escaped mess."""
    for text in ["<b>bold</b> & co", "[x](javascript:y)", "# not a heading", "1. not a list", "a | b", "`c` *d* _e_"]:
        out = _parser().render(markdown_text(text))
        shown = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
        assert shown == text


@pytest.mark.parametrize("text", [
    "line\nbreak", "line\r\nbreak", "line\rbreak", "line\u2028break", "line\u2029break", "line\x85break",
    "line\x0bbreak", "line\x0cbreak", "line\x1cbreak", "  padded\t\ttabs  ",
])  # fmt: skip
def test_every_line_break_collapses(text):
    escaped = markdown_text(text)
    assert len(escaped.splitlines()) == 1 and "  " not in escaped and escaped == escaped.strip()


@pytest.mark.parametrize(("text", "escaped"), [
    ("# h", "\\# h"), ("## h ##", "\\## h \\##"), ("- a", "\\- a"), ("+ a", "\\+ a"), ("* a", "\\* a"),
    ("1. a", "1\\. a"), ("12) a", "12\\) a"), ("> a", "&gt; a"), ("```", "\\`\\`\\`"), ("~~~", "\\~\\~\\~"),
    ("---", "\\---"), ("===", "\\==="), ("___", "\\_\\_\\_"), ("| a |", "\\| a \\|"), ("<b>", "&lt;b&gt;"),
    ("&amp;", "&amp;amp;"), ("[a](b)", "\\[a\\](b)"), ("a\\", "a\\\\"), ("-1.5 SD", "-1.5 SD"),
    ("3.05 mmol/L", "3.05 mmol/L"), ("emergency_now", "emergency_now"), ("C#", "C#"),
])  # fmt: skip
def test_markup_is_escaped(text, escaped):
    assert markdown_text(text) == escaped
