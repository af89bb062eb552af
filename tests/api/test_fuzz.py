"""Property tests: random JSON posted to every operation and to the case routes only ever answers 200 or 422
(never a 500), and every 422 names a field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.api.catalogue import OPERATIONS

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.sampled_from([0, -1, 2**31, 10**30, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "yes", "no", "positive", "+", "2", "1a", "T2", "bone", "none", "2024-02-30", "2024-01-31"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8,
)
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mutated(example: dict[str, Any], fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """The example with some fields replaced by random JSON, some dropped and perhaps an unknown one added."""
    replace = st.dictionaries(st.sampled_from(fields), JSON, max_size=3) if fields else st.just({})
    drop = st.sets(st.sampled_from(fields), max_size=2) if fields else st.just(set())
    extra = st.dictionaries(st.text(min_size=1, max_size=6), JSON, max_size=1)
    return st.builds(
        lambda r, d, e: {**{k: v for k, v in example.items() if k not in d}, **r, **e}, replace, drop, extra
    )


def assert_clean(response) -> None:
    assert response.status_code in (200, 422), response.text[:500]
    if response.status_code == 422:
        detail = response.json()["detail"]
        assert detail and all(item["field"] and item["message"] for item in detail)


def post_json(client, path: str, body: Any):
    raw = json.dumps(body, allow_nan=True).encode()  # NaN and Infinity literals on purpose
    return client.post(path, content=raw, headers={"content-type": "application/json"})


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.path)
def test_operation_never_fails_on_random_json(client, op):
    fields = list(op.request_model.model_fields)

    @FUZZ
    @given(body=st.one_of(mutated(dict(op.example), fields), JSON))
    def check(body):
        assert_clean(post_json(client, f"/api/v1/{op.path}", body))

    check()


CASE_FIELDS = ["schema_version", "id", "as_of", "patient", "tumour", "dates", "metastatic_sites", "bone_lesions",
               "labs", "symptoms", "performance_status", "treatments", "events", "reviews"]  # fmt: skip


@FUZZ
@given(body=st.one_of(mutated({"schema_version": "1.0"}, CASE_FIELDS), JSON))
def test_case_validation_never_fails_on_random_json(client, body):
    response = post_json(client, "/api/v1/case/validate", body)
    assert_clean(response)
    assert response.status_code == 200 or not isinstance(body, dict)


@pytest.fixture(scope="module")
def example_case(client) -> dict:
    return client.get("/api/v1/case/examples/spinal-cord-compression").json()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(part=st.sampled_from(["patient", "tumour", "labs", "symptoms", "bone_lesions", "dates"]), value=JSON)
def test_report_never_fails_on_a_mutated_case(client, example_case, part, value):
    assert_clean(post_json(client, "/api/v1/report", {**example_case, part: value}))


@FUZZ
@given(text=st.text(max_size=200))
def test_case_yaml_never_fails_on_random_text(client, text):
    response = client.post("/api/v1/case/validate", content=text.encode(), headers={"content-type": "application/yaml"})
    assert_clean(response)
