"""spread_report: exact results next to the Monte Carlo check, with evidence; JSON-serialisable."""

from __future__ import annotations

import json

import numpy as np
import pytest

from metastasis.errors import InvalidInputError
from metastasis.simulate.spread import MarkovChain
from metastasis.simulate.spread.calendar import CalendarTime
from metastasis.simulate.spread.report import spread_report


@pytest.fixture(scope="module")
def tnbc():
    return spread_report(subtype="tnbc", steps=5, patients=50_000, seed=1)


def test_exact_and_simulated_agree(tnbc):
    assert tnbc.model == "breast default (triple-negative)" and tnbc.start == "breast"
    assert tnbc.max_abs_z < 5
    for row in tnbc.site_probabilities:
        assert len(row.by_step) == 6 and row.by_step[0] == (1.0 if row.site == "breast" else 0.0)
    for passage in tnbc.first_passage:
        assert passage.mean_steps is not None and passage.simulated_standard_error
        assert abs(passage.simulated_mean_steps - passage.mean_steps) < 5 * passage.simulated_standard_error
        assert passage.reach_probability == pytest.approx(1.0)
        assert passage.expected_years is not None and passage.expected_years > passage.mean_steps


def test_pathways_ranked_and_roles_among_metastatic_sites(tnbc):
    probs = [p.probability for p in tnbc.pathways_two_step]
    assert probs == sorted(probs, reverse=True) and len(probs) == 5
    assert all(p.sites[0] == "breast" for p in tnbc.pathways_one_step)
    assert tnbc.roles_among == ["bone", "lung", "liver", "brain"]
    assert {r.role for r in tnbc.roles} <= {"spreader", "sponge", "neutral"}


def test_evidence_and_json(tnbc):
    assert {"turkish-subtype-relapse", "iranian-mbc-series", "savci-heijink-2015"} <= set(tnbc.sources)
    assert any("later_step_median_years" in c for c in tnbc.caveats)
    data = json.loads(tnbc.model_dump_json())
    assert data["calendar"]["first_step_median_years"] == "2.5"


def test_user_chain_needs_a_start_and_has_no_calendar():
    chain = MarkovChain(sites=["a", "b", "c"], matrix=[[0, 1, 0], [0, 0.5, 0.5], [0, 0.5, 0.5]])
    with pytest.raises(InvalidInputError) as info:
        spread_report(chain)
    assert info.value.field == "start"
    report = spread_report(chain, start="a", steps=3, patients=5000, seed=2)
    assert report.model == "user matrix" and report.calendar is None
    assert report.first_passage[0].expected_years is None
    assert any("supplied by the user" in c for c in report.caveats)
    clocked = spread_report(chain, start="a", steps=3, patients=5000, seed=2, calendar=CalendarTime(1.0, 1.0))
    assert clocked.first_passage[0].expected_years == pytest.approx(1.0 / np.log(2))


def test_unreachable_sites_report_none():
    chain = MarkovChain(sites=["a", "b", "c"], matrix=[[0, 0.5, 0.5], [0, 1, 0], [0, 0, 1]])
    report = spread_report(chain, start="a", steps=2, patients=2000, seed=3)
    assert all(p.mean_steps is None and p.simulated_mean_steps is None for p in report.first_passage)
    assert [p.reach_probability for p in report.first_passage] == pytest.approx([0.5, 0.5])
    json.loads(report.model_dump_json())  # no infinities in the JSON


def test_without_years():
    report = spread_report(subtype="all", steps=2, patients=1000, seed=4, years=False)
    assert report.calendar is None and all(p.expected_years is None for p in report.first_passage)


def test_starting_at_a_metastatic_site_times_every_step_as_a_later_step():
    report = spread_report(subtype="all", start="bone", steps=2, patients=2000, seed=5)
    brain = next(p for p in report.first_passage if p.site == "brain")
    assert brain.expected_years == pytest.approx(brain.mean_steps * 1.0 / np.log(2))  # later-step median 1 y
    breast = next(p for p in report.first_passage if p.site == "breast")
    assert breast.mean_steps is None and breast.reach_probability == 0.0
    assert any("not at the primary" in c for c in report.caveats)


def test_simulated_orders_start_with_the_first_site(tnbc):
    shares = [o.share for o in tnbc.simulated_orders]
    assert shares == sorted(shares, reverse=True) and len(shares) == 5
    # Every order's first site is a metastatic site; the shares of orders starting with bone cannot exceed
    # the exact probability that bone is the first site (plus sampling error).
    first_bone = sum(o.share for o in tnbc.simulated_orders if o.sites[0] == "bone")
    bone = next(r for r in tnbc.site_probabilities if r.site == "bone").by_step[1]
    assert all(o.sites[0] != "breast" for o in tnbc.simulated_orders)
    assert first_bone <= bone + 0.01
