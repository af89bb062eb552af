from __future__ import annotations

import pytest

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason, Verification, all_sources, check_cited, get_source


def test_registry_loads_with_full_records():
    sources = all_sources()
    assert "ajcc8-breast" in sources and "seer-eod-2.1-breast" in sources
    for source in sources.values():
        assert source.citation and isinstance(source.verification, Verification)


def test_unknown_source_id_fails_loudly():
    with pytest.raises(DataIntegrityError, match="no-such-source"):
        get_source("no-such-source")
    with pytest.raises(DataIntegrityError):
        check_cited(["ajcc8-breast", "no-such-source"])


def test_a_reason_cannot_cite_an_unknown_source():
    with pytest.raises(DataIntegrityError):
        Reason(rule="x", text="y", sources=("no-such-source",))


def test_result_sources_are_the_union_of_its_reasons_in_order():
    result = Evidenced(
        reasons=[
            Reason(rule="a", text="a", sources=("seer-eod-2.1-breast", "ajcc8-breast")),
            Reason(rule="b", text="b", sources=("ajcc8-breast", "uicc8-tnm")),
        ]
    )
    assert result.sources == ["seer-eod-2.1-breast", "ajcc8-breast", "uicc8-tnm"]
    assert [s.id for s in result.references()] == result.sources


def test_seer_source_link_and_doi_shape():
    source = get_source("seer-eod-2.1-breast")
    assert source.link == source.url and source.verification is Verification.VERIFIED


def test_invalid_input_error_names_field_value_and_allowed():
    err = InvalidInputError("grade", "G4", ["1", "2", "3"], detail="out of range")
    assert str(err) == "invalid grade: 'G4' (out of range); allowed: 1, 2, 3"
    assert err.to_dict()["field"] == "grade" and isinstance(err, ValueError)
