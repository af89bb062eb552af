"""The stage page explains the patient's own T, N and M, one by one, and never contradicts them.

Expected stages and meanings typed from the AJCC 8th edition breast chapter (2018 update): clinical prognostic
block A (T1 N1mi) G1 HER2- ER+ PR+ is stage IA, while the anatomic stage of T1 N1mi M0 is IB; N1mi means nodal
micrometastases of at most 2.0 mm; N3 includes supraclavicular and infraclavicular nodes.
"""

from __future__ import annotations

import pytest
import textstat
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.staging.tables import CATEGORY_CODE
from tests.web.test_patient_html import Node, parse


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _post(client: TestClient, **fields: str) -> Node:
    response = client.post("/patient/stage", data=fields)
    assert response.status_code == 200
    return parse(response.text)


def _pairs(root: Node) -> dict[str, str]:
    dl = root.by_id("result").find_all("dl", class_="tnm")[0]
    terms = [dt.text() for dt in dl.find_all("dt")]
    meanings = [dd.text() for dd in dl.find_all("dd")]
    return dict(zip(terms, meanings, strict=True))


def test_node_positive_stage_ia_is_explained_category_by_category(client):
    root = _post(client, t="T1", n="N1mi", m="M0", grade="1", er="positive", pr="positive", her2="negative")
    result = root.by_id("result")
    assert result.find_all("p", class_="stage-big")[0].text() == "Stage IA"
    pairs = _pairs(root)
    assert list(pairs) == ["T1", "N1mi", "M0"]  # the codes are labels beside the sentences
    assert "2 cm" in pairs["T1"]
    assert "Very small areas of cancer were found in the lymph nodes" in pairs["N1mi"]
    assert "distant parts of the body" in pairs["M0"]
    for meaning in pairs.values():
        assert not CATEGORY_CODE.search(meaning)
    text = result.text()
    assert "not spread to the lymph nodes" not in text
    assert "From T, N and M alone, the stage would be 1B" in text
    assert "ER, PR and HER2" in text


def test_n3_meaning_names_the_nodes_and_the_stage_text_does_not(client):
    root = _post(client, t="T1", n="N3", m="M0")
    pairs = _pairs(root)
    assert "collarbone" in pairs["N3"]
    assert "could be lower or higher" in root.by_id("result").text()  # no grade or receptor results given


def test_every_explanation_paragraph_reads_at_grade_8_or_below(client):
    root = _post(client, t="T2", n="N2", m="M0", grade="3", er="negative", pr="negative", her2="negative")
    for node in root.by_id("result").find_all(class_="lib"):
        text = node.text()
        if node.tag != "dl":
            assert textstat.flesch_kincaid_grade(text) <= 8.0, text


def test_the_plain_text_sources_are_listed(client):
    root = _post(client, t="T2", n="N1", m="M0")
    references = [li.text() for li in root.by_id("page-sources").find_all("li")]
    # Radiopaedia's staging article and Cancer Research UK's TNM page are behind the plain-language text.
    assert any(text.startswith("Radiopaedia.org. Breast cancer staging") for text in references)
    assert any(text.startswith("Cancer Research UK. TNM staging for breast cancer") for text in references)
    assert len(references) == len(set(references))
