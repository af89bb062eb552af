"""Render a whole-case :class:`~metastasis.assess.case.Report` as Markdown, standalone HTML, JSON or terminal text.

Markdown and HTML come from Jinja2 templates shipped with the package (``report/templates``; HTML is
autoescaped, and the inline SVG figures are the only markup passed through). The HTML report is one file:
inline CSS, embedded SVG plots, print styles. Its body (``report_body.html.j2``) and its styles
(``report.css.j2``, scoped to ``.report``) are also served on their own (:func:`render_html_body`,
:func:`report_css`) so that a web page can show the same report inside its own layout. JSON holds the report's
facts and the chosen audience's view.

Example
-------
>>> from metastasis import assess_case
>>> from metastasis.examples.cases import load_example_case
>>> report = assess_case(load_example_case("hypercalcaemia"))
>>> render(report, audience="patient", fmt="markdown").startswith("# Your breast cancer report")
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from metastasis.assess.case import Report
from metastasis.errors import InvalidInputError
from metastasis.report.view import AUDIENCES, SECTION_STATUS_WORDS, Audience, build_view

FORMATS: tuple[str, ...] = ("terminal", "markdown", "html", "json")
"""The renderings of a report."""


#: Characters with a meaning in Markdown anywhere on a line: backslash-escaped (the backslash itself too).
_MD_ANYWHERE = re.compile(r"([\\`*~\[\]|])")
#: ``_`` that could open or close emphasis (not inside a word: ``emergency_now`` stays as it is) and ``#`` that
#: starts a word (an ATX heading, or the closing run of one).
_MD_EDGES = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|(?<!\S)#")
#: What opens a block when it starts a line: a list item (``-``, ``+``, ``1.``, ``1)``), a thematic break or a
#: setext underline (a run of ``-`` or ``=``).
_MD_BLOCK_START = re.compile(r"^(?:([-+=])(?=\s|$|[-=\s]*$)|(\d{1,9})([.)])(?=\s|$))")
#: A record path or id, shown as a code span.
_MD_CODE = re.compile(r"[A-Za-z0-9$.\[\]_-]+")


def markdown_text(value: Any) -> str:
    r"""Text that reads as itself in Markdown, wherever a template puts it (the ``md`` filter).

    Every case-derived string goes through it (and, since the view mixes case text into the library's
    sentences, every string of the view), so that case text cannot add markup to the report:

    * every line break (``\n``, ``\r``, U+2028...) and run of white space collapses to one space, so the text
      cannot start a heading, list, quote, table, code fence or indented code block on a line of its own;
    * ``&``, ``<`` and ``>`` become entities: no raw HTML, no ``<...>`` autolink, no blockquote;
    * backslashes, backticks, ``*``, ``~``, brackets (so no link or image, hence no ``javascript:`` target) and
      ``|`` (table cells) are backslash-escaped, and so are ``_`` at the edge of a word and ``#`` at its start;
    * a leading list marker (``-``, ``+``, ``1.``, ``1)``) or run of ``-``/``=`` is escaped.

    Examples
    --------
    >>> print(markdown_text("# Title\n- [x](javascript:alert(1)) <b>&</b>"))
    \# Title - \[x\](javascript:alert(1)) &lt;b&gt;&amp;&lt;/b&gt;
    >>> print(markdown_text("1. first"), markdown_text("- item"), markdown_text("`code` *bold* _it_ a|b"))
    1\. first \- item \`code\` \*bold\* \_it\_ a\|b
    >>> print(markdown_text("emergency_now, 3.05 mmol/L, -1.5 SD, issue #4"))
    emergency_now, 3.05 mmol/L, -1.5 SD, issue \#4
    """
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_EDGES.sub(lambda m: "\\" + m[0], _MD_ANYWHERE.sub(r"\\\1", text))
    return _MD_BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def markdown_code(value: Any) -> str:
    """A record path or id as a code span (``md_code``): ``$.labs[0].unit`` in backticks when it is one, else
    :func:`markdown_text` (a code span shows its text literally, so only plain identifiers go in one)."""
    text = str(value)
    return f"`{text}`" if _MD_CODE.fullmatch(text) else markdown_text(text)


#: A library id in running text: ``spine_thoracic``, ``emergency_now``, ``brain.raised_icp``.
_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b")


@cache
def _code_words() -> dict[str, str]:
    """Library ids mapped to their names: sites, symptoms, lab analytes, triage conditions, rules and urgencies."""
    from metastasis.assess.triage_models import Urgency, conditions, rules, symptoms
    from metastasis.domain.vocabularies import lab_analytes, lab_label
    from metastasis.knowledge.sites import all_sites

    words = {u.value: u.value.replace("_", " ") for u in Urgency}
    words.update({a: lab_label(a) for a in lab_analytes()})
    words.update({s.id: s.label[:1].lower() + s.label[1:] for s in symptoms().values()})
    words.update({s.id: s.name for s in all_sites()})
    words.update({c_id: c.title for c_id, c in conditions().items()})
    words.update({r.id: r.title for r in rules()})
    return words


def screen_text(value: Any) -> str:
    """Running text with the library's ids replaced by their names (the ``screen`` filter of the HTML report).

    Site, symptom, analyte, triage condition, rule and urgency ids become the words they stand for; any other text
    is left as it is. The ids themselves stay in the report's technical details.

    Examples
    --------
    >>> screen_text("L1 (spine_lumbar) [emergency_now]: Matched: limb_weakness.")
    'L1 (Lumbar spine) [emergency now]: Matched: weakness in an arm or leg.'
    """
    words = _code_words()
    return _CODE.sub(lambda m: words.get(m[0], m[0]), str(value))


def _http_link(value: Any) -> str | None:
    """A web address safe as a link target (``http`` or ``https``), else ``None``."""
    text = str(value or "")
    return text if re.fullmatch(r"https?://[^\s<>\"'`]+", text) else None


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescape on for HTML)."""
    env = Environment(
        loader=PackageLoader("metastasis.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["md_code"] = markdown_code
    env.filters["http_link"] = _http_link
    env.filters["screen"] = screen_text
    return env


def _check(audience: str) -> Audience:
    if audience not in AUDIENCES:
        raise InvalidInputError("audience", audience, AUDIENCES)
    return audience  # type: ignore[return-value]


def render_markdown(report: Report, *, audience: Audience = "clinician") -> str:
    """The report as Markdown (GitHub-flavoured; figures are named and left to the HTML report)."""
    view = build_view(report, _check(audience))
    template = environment().get_template("report.md.j2")
    text = template.render(v=view, clinician=audience == "clinician", status_words=SECTION_STATUS_WORDS)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def _html_context(report: Report, audience: str, *, narrow: bool = False) -> dict[str, Any]:
    view = build_view(report, _check(audience), figures=True, narrow_figures=narrow)
    svgs = {f.id: Markup(_svg_body(f.svg)) for s in view.sections for f in s.figures if f.svg}
    # The summary shows each alert with its action; an action that repeats an alert's is not listed again there.
    other = [a for a in view.actions if not any(al.action and a.text.endswith(al.action) for al in view.alerts)]
    return {
        "v": view,
        "clinician": audience == "clinician",
        "status_words": SECTION_STATUS_WORDS,
        "svgs": svgs,
        "other_actions": other,
    }


def render_html(report: Report, *, audience: Audience = "clinician") -> str:
    """The report as one standalone HTML file: inline CSS, embedded SVG figures, print-friendly."""
    return environment().get_template("report.html.j2").render(**_html_context(report, audience))


def render_html_body(report: Report, *, audience: Audience = "clinician", heading_level: int = 2) -> Markup:
    """The report's body for a page that has its own layout: title, a one-screen summary (alerts with what to do
    now, key findings), then the details folded (``<details>``), references and, for clinicians, the technical
    details (rule ids, record paths, codes, caveats, source ids).

    No ``<html>``, ``<head>``, ``<style>`` or ``<main>``: wrap it in an element of class ``report`` and style it with
    :func:`report_css`. The title is a heading of ``heading_level`` (1-4) and the sections are one level below.
    """
    if isinstance(heading_level, bool) or heading_level not in (1, 2, 3, 4):
        raise InvalidInputError("heading_level", heading_level, "1, 2, 3 or 4")
    template = environment().get_template("report_body.html.j2")
    context = _html_context(report, audience, narrow=True)  # on a page: a phone gets its own drawing
    html = template.render(**context, level=heading_level, standalone=False)
    return Markup(html)  # autoescaped by the template; the SVG figures are the only markup passed through


def report_css() -> str:
    """The report's styles, scoped to ``.report`` (the page supplies the colour custom properties)."""
    return environment().get_template("report.css.j2").render()


def _svg_body(svg: str) -> str:
    """Matplotlib's SVG document without its XML prolog and doctype, to sit inline in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def report_json(report: Report, *, audience: Audience = "clinician") -> dict[str, Any]:
    """The report's facts and the audience's view, as JSON-ready data."""
    view = build_view(report, _check(audience))
    return {"audience": audience, "report": report.model_dump(mode="json"), "view": view.model_dump(mode="json")}


def render_json(report: Report, *, audience: Audience = "clinician") -> str:
    """:func:`report_json` as text."""
    return json.dumps(report_json(report, audience=audience), indent=2, ensure_ascii=False)


def render(report: Report, *, audience: Audience = "clinician", fmt: str = "markdown") -> str:
    """The report in one of :data:`FORMATS` (``terminal`` gives the plain text the terminal would show)."""
    if fmt not in FORMATS:
        raise InvalidInputError("format", fmt, FORMATS)
    if fmt == "markdown":
        return render_markdown(report, audience=audience)
    if fmt == "html":
        return render_html(report, audience=audience)
    if fmt == "json":
        return render_json(report, audience=audience)
    from metastasis.report.terminal import terminal_text

    return terminal_text(report, audience=audience)
