"""Every catalogue entry of issue 4 carries source ids, and every id resolves to a registered source.

The YAML files are read raw here (not through the package's models) so that the check is independent of the
loaders' own validation.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from metastasis.evidence import Verification, all_sources, get_source

FILES = [
    ("metastasis.knowledge", "sites.yaml"),
    ("metastasis.knowledge", "primaries.yaml"),
    ("metastasis.knowledge", "facts.yaml"),
    ("metastasis.knowledge", "patterns.yaml"),
    ("metastasis.knowledge", "options.yaml"),
    ("metastasis.knowledge", "explainers.yaml"),
    ("metastasis.knowledge", "quiz.yaml"),
    ("metastasis.assess", "triage_symptoms.yaml"),
    ("metastasis.assess", "triage_rules.yaml"),
    ("metastasis.assess", "triage_workup.yaml"),
    ("metastasis.assess", "triage_actions.yaml"),
]


def _raw(package: str, name: str) -> Any:
    return yaml.safe_load(resources.files(package).joinpath("data").joinpath(name).read_text(encoding="utf-8"))


def _cited(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = list(node.get("sources", []))
        for key, value in node.items():
            if key != "sources":
                found += _cited(value)
        return found
    if isinstance(node, list):
        return [source for item in node for source in _cited(item)]
    return []


@pytest.mark.parametrize(("package", "name"), FILES)
def test_every_cited_source_id_resolves(package, name):
    cited = _cited(_raw(package, name))
    assert cited, f"{name} cites nothing"
    unknown = sorted(set(cited) - set(all_sources()))
    assert not unknown, f"{name} cites unregistered ids {unknown}"


@pytest.mark.parametrize(
    ("package", "name"),
    [(p, n) for p, n in FILES if n in {"sites.yaml", "primaries.yaml", "options.yaml", "explainers.yaml",
                                       "quiz.yaml", "triage_symptoms.yaml", "triage_rules.yaml"}],
)  # fmt: skip
def test_every_entry_has_at_least_one_source(package, name):
    for entry in _raw(package, name):
        assert entry.get("sources"), f"{name}: {entry.get('id')} has no source"
        for code in entry.get("codes", []):
            assert code.get("sources"), f"{name}: a code of {entry['id']} has no source"


def test_every_workup_entry_has_a_source():
    data = _raw("metastasis.assess", "triage_workup.yaml")
    assert data["first_metastasis"]["sources"]
    for group in ("sites", "conditions"):
        for key, entry in data[group].items():
            assert entry["sources"], f"work-up {key} has no source"


def test_a_code_marked_verified_rests_on_a_verified_source():
    for entry in _raw("metastasis.knowledge", "sites.yaml"):
        for code in entry.get("codes", []):
            if code["verification"] == "verified":
                statuses = {get_source(s).verification for s in code["sources"]}
                assert Verification.VERIFIED in statuses, f"{entry['id']} {code['code']}"


def test_issue_sources_that_could_not_be_found_are_marked_unverified():
    assert get_source("bta-early-start-6-months").verification is Verification.UNVERIFIED
    assert get_source("eso-esmo-abc5").verification is Verification.UNVERIFIED
    assert get_source("nice-cg75-mscc").verification is Verification.VERIFIED
