"""The HTML report is reproducible and its inline figures can share a page.

The same input gives the same bytes (matplotlib's date and salted ids are left out), every id on the page is
unique however many figures it holds, and every in-page reference of a figure resolves to an id of that figure.
The model figures are memoised by their model inputs: the memoised SVG equals a freshly drawn one, and every
cache is bounded.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from matplotlib.figure import Figure

from metastasis import assess_case
from metastasis.assess.case.bone_simulation import lesion_scenario
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report import plot
from metastasis.report.figures import figure_svg
from metastasis.report.render import render_html

NAMES = example_case_names()
AUDIENCES = ("clinician", "patient")
_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(?:url\(#|href="#)([^")]+)')


@pytest.fixture(scope="module")
def reports():
    return {name: assess_case(load_example_case(name)) for name in NAMES}


@pytest.fixture(scope="module")
def pages(reports):
    """Every example's HTML report, rendered twice from cold caches (so that every figure is drawn twice)."""
    rendered = []
    for _ in range(2):
        plot.clear_caches()
        rendered.append({(n, a): render_html(reports[n], audience=a) for n in NAMES for a in AUDIENCES})
    return rendered


def test_the_same_report_renders_to_the_same_bytes(pages):
    first, second = pages
    for key, page in first.items():
        assert page == second[key], key
        assert "<dc:date>" not in page


def test_every_id_on_the_page_is_unique_and_every_figure_reference_resolves(pages):
    several = 0
    for key, page in pages[0].items():
        ids = _ID.findall(page)
        assert [i for i, n in Counter(ids).items() if n > 1] == [], key
        for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
            own = _ID.findall(svg)
            assert own and set(_REF.findall(svg)) <= set(own), key  # references stay inside their figure
            prefix = own[0].split("-figure_")[0]
            assert prefix.startswith("fig-") and all(i.startswith(prefix + "-") for i in own), key
        several += page.count("<svg") > 1
    assert several  # the check covered a page with more than one figure


def test_figure_svg_is_deterministic_and_prefixes_ids_and_references():
    def draw() -> Figure:
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.plot([1, 2, 3], [1, 3, 2], marker="o")
        ax.bar([1, 2], [1, 2], hatch="//")
        return fig

    svg = figure_svg(draw(), id_prefix="fig-a")
    assert svg == figure_svg(draw(), id_prefix="fig-a")
    ids = _ID.findall(svg)
    assert ids and all(i.startswith("fig-a-") for i in ids)
    assert set(_REF.findall(svg)) <= set(ids) and _REF.findall(svg)
    unnamed = figure_svg(draw())
    assert unnamed == figure_svg(draw()) and _ID.findall(unnamed)[0].startswith("svg-")
    with pytest.raises(InvalidInputError):
        figure_svg(draw(), id_prefix='x" onload="alert(1)')


@pytest.mark.parametrize(
    ("section", "draw"),
    [("spread", plot.spread_figure), ("bone_simulation", plot.bone_figure), ("prognosis", plot.predict_figure)],
)
def test_memoised_figures_equal_freshly_drawn_ones(reports, section, draw):
    drawn = 0
    for report in reports.values():
        if plot.has_figure(report, section):
            fresh = figure_svg(draw(report), id_prefix="fig-x")
            assert plot.section_svg(report, section, "x") == fresh
            drawn += 1
    assert drawn


def test_caches_are_bounded():
    for cached in (plot._spread_svg, plot._bone_svg, plot._predict_svg, lesion_scenario):
        assert cached.cache_info().maxsize is not None
