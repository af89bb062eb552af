"""Operations: request models derived from library signatures and docstrings, strict JSON types, bounds, and
library errors that mean "beyond the model" turned into input errors."""

from __future__ import annotations

import inspect
import math
import typing

import pytest
from pydantic import ValidationError

from metastasis.api.catalogue import OPERATIONS, operation
from metastasis.api.operations import Limit, Operation, heading_names, parameter_descriptions
from metastasis.errors import InvalidInputError

DOC = """Do something.

Parameters
----------
site:
    Where it is.
t, n, m:
    The three categories,
    over two lines.
alp, alt, ast and their ``*_uln``:
    Enzymes and their upper limits.
x : float
    A typed heading.
**options:
    Passed on.

Returns
-------
thing:
    Not a parameter.
"""


def test_descriptions_of_single_multi_suffixed_and_typed_headings():
    described = parameter_descriptions(DOC)
    assert described["site"] == "Where it is."
    assert described["t"] == described["n"] == described["m"] == "The three categories, over two lines."
    for name in ("alp", "alt", "ast", "alp_uln", "alt_uln", "ast_uln"):
        assert described[name] == "Enzymes and their upper limits."
    assert described["x"] == "A typed heading."
    assert described["options"] == "Passed on."
    assert "thing" not in described and "Returns" not in described


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        ("site:", ["site"]),
        ("calcium, albumin, units, uln:", ["calcium", "albumin", "units", "uln"]),
        ("alp, alt, ast and their ``*_uln``:", ["alp", "alt", "ast", "alp_uln", "alt_uln", "ast_uln"]),
        ("dose_mg, interval_days, schedule:", ["dose_mg", "interval_days", "schedule"]),
        ("x : float", ["x"]),
        ("Returns", ["Returns"]),
    ],
)
def test_heading_names(heading, names):
    assert heading_names(heading) == names


def test_no_parameters_section_gives_no_descriptions():
    assert parameter_descriptions("Just a summary.\n\nExamples\n--------\n>>> 1\n") == {}
    assert parameter_descriptions("") == {}


def test_every_documented_parameter_reaches_the_schema():
    """Where the library documents its parameters, every offered parameter carries its description.

    (Functions without a Parameters section get none; docs/api.md lists them.)
    """
    documented = [op for op in OPERATIONS if "\nParameters\n" in (inspect.getdoc(op.func) or "")]
    assert len(documented) >= 20
    undescribed = {
        op.path: [name for name, info in op.request_model.model_fields.items() if not info.description]
        for op in documented
    }
    assert {path: names for path, names in undescribed.items() if names} == {}


def test_triage_laboratory_limits_are_described():
    fields = operation("triage").request_model.model_fields
    for name in ("alp", "alt", "ast", "alp_uln", "alt_uln", "ast_uln"):
        assert "upper limit of normal" in fields[name].description


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.path)
def test_request_model_mirrors_the_signature(op):
    signature = inspect.signature(op.func)
    offered = [name for name in signature.parameters if name not in op.exclude]
    model = op.request_model
    assert list(model.model_fields) == offered
    for name in offered:
        required = signature.parameters[name].default is inspect.Parameter.empty
        assert model.model_fields[name].is_required() is required
    assert model.model_config["extra"] == "forbid"


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.path)
def test_example_is_a_valid_request(op):
    request = op.request_model.model_validate(dict(op.example))
    assert request.model_fields_set == set(op.example)  # every example field is a parameter, none dropped


def test_numbers_and_booleans_are_strict():
    corrected = operation("calcium_corrected").request_model
    for bad in ("2.6", True, None):
        with pytest.raises(ValidationError):
            corrected.model_validate({"calcium": bad, "albumin": 30, "units": "si"})
    assert corrected.model_validate({"calcium": 3, "albumin": 30, "units": "si"}).calcium == 3.0  # int for float
    spread = operation("simulate_spread").request_model
    for bad in (10.0, "10", True):
        with pytest.raises(ValidationError):
            spread.model_validate({"patients": bad})
    oligo = operation("knowledge_oligometastatic").request_model
    with pytest.raises(ValidationError):
        oligo.model_validate({"lesion_count": 3, "all_treatable_locally": "yes"})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_everywhere(bad):
    with pytest.raises(ValidationError) as caught:
        operation("calcium_corrected").request_model.model_validate({"calcium": bad, "albumin": 30, "units": "si"})
    assert caught.value.errors()[0]["type"] == "finite_number"
    with pytest.raises(ValidationError):
        operation("simulate_cascade").request_model.model_validate({"fractions": {"intravasation": bad}})


def test_dates_still_accept_iso_text():
    model = operation("knowledge_presentation").request_model
    request = model.model_validate({"diagnosis_date": "2020-03-01", "metastasis_date": "2024-06-01"})
    assert request.diagnosis_date.isoformat() == "2020-03-01"


def test_limits_bound_the_field():
    model = operation("simulate_spread").request_model
    with pytest.raises(ValidationError) as caught:
        model.model_validate({"patients": 10**9})
    assert caught.value.errors()[0]["type"] == "less_than_equal"


def test_response_model_is_the_library_return_type():
    from metastasis.assess.result import ScoreResult
    from metastasis.simulate.bone.scenario import LesionSummary

    assert operation("scores_mirels").response_model is ScoreResult
    assert operation("simulate_bone").response_model is LesionSummary  # via present=


def _breaks(x: float = 1.0) -> float:
    """Fails beyond the model.

    Parameters
    ----------
    x:
        A number.
    """
    raise ArithmeticError("the solver stopped at day 12")


def test_beyond_model_errors_become_input_errors_naming_the_parameter():
    op = Operation("t/breaks", _breaks, "test", beyond_model={ArithmeticError: ("x", "a smaller x")})
    with pytest.raises(InvalidInputError) as caught:
        op.run(op.request_model.model_validate({"x": 3.0}))
    assert (caught.value.field, caught.value.value, caught.value.allowed) == ("x", 3.0, "a smaller x")
    assert "solver stopped at day 12" in str(caught.value)


def test_other_errors_are_not_disguised():
    op = Operation("t/breaks", _breaks, "test")
    with pytest.raises(ArithmeticError):
        op.run(op.request_model.model_validate({}))


def test_names_and_summaries():
    op = Operation("t/breaks-now", _breaks, "test", limits={"x": Limit(ge=0, le=2)})
    assert op.name == "t_breaks_now"
    assert op.summary == "Fails beyond the model."
    assert op.request_model.__name__ == "TBreaksNowRequest"
    schema = op.request_model.model_json_schema()["properties"]["x"]
    assert (schema["minimum"], schema["maximum"], schema["description"]) == (0, 2, "A number.")


def test_iterables_become_lists():
    fields = operation("triage").request_model.model_fields
    assert typing.get_origin(fields["symptoms"].annotation) is list
    assert fields["symptoms"].get_default() == []
