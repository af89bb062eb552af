"""The concept vocabularies load once and refuse an inconsistent file."""

from __future__ import annotations

import pytest

from metastasis.errors import DataIntegrityError
from metastasis.evidence import get_source
from metastasis.trials import vocabulary as module
from metastasis.trials.vocabulary import vocabulary
from tests.trials.helpers import judged, metastatic_case


def test_every_group_cites_registered_sources():
    vocab = vocabulary()
    for group, ids in vocab.sources.items():
        assert ids, group
        for source_id in ids:
            get_source(source_id)
    assert "recist-1.1" in vocab.sources["measurable"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("could_be: [chemotherapy, other]", "could_be: [chemo, other]", "unknown treatment kind"),
        ("analyte: bilirubin", "analyte: bilirubine", "unknown analyte"),
        ("case_sites: [liver]", "case_sites: [hepar]", "unknown site"),
        ("'/mcl': /µL", "'/mcl': /mcL", "unknown unit"),
        ("triple_negative: '", "triple_negative: '(", "bad pattern"),
        ("sources: [recist-1.1]", "sources: [no-such-source]", "unknown source id"),
    ],
)
def test_an_inconsistent_file_is_refused(monkeypatch, old, new, message):
    text = module._text()
    assert old in text
    monkeypatch.setattr(module, "_text", lambda: text.replace(old, new, 1))
    vocabulary.cache_clear()
    try:
        with pytest.raises(DataIntegrityError, match=message):
            vocabulary()
    finally:
        monkeypatch.undo()
        vocabulary.cache_clear()
        vocabulary()


def test_spinal_cord_compression_from_events():
    text = "Spinal cord compression"
    event = metastatic_case(events=[{"kind": "spinal_cord_compression", "date": "2024-04-01"}])
    assert judged(text, event, "exclusion").status == "met"
    assert judged(text, metastatic_case(), "exclusion").status == "unknown"
