"""Forms built from the library's own signatures, and posted forms converted back into requests."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from metastasis.api.catalogue import operation
from metastasis.errors import InvalidInputError
from metastasis.web.forms import choice_text, form_fields, label_of, parse_form, submit


class Example(BaseModel):
    site: Literal["upper_limb", "lower_limb"]
    size_mm: float = Field(ge=0, le=500, description="Tumour size.")
    nodes: int | None = None
    smoker: bool = False
    sites: list[str] = []
    note: str | None = None


def test_labels_and_choice_texts_are_readable() -> None:
    assert label_of("size_mm") == "Size (mm)"
    assert label_of("crp_mg_dl") == "CRP (mg/dL)"
    assert label_of("her2") == "HER2"
    assert choice_text("lt_one_third") == "< one third"
    assert choice_text("lower_limb") == "lower limb"


def test_each_parameter_gets_the_control_its_type_needs() -> None:
    fields = {f.name: f for f in form_fields(Example)}
    assert fields["site"].kind == "select"
    assert fields["site"].choices == (("upper_limb", "upper limb"), ("lower_limb", "lower limb"))
    assert fields["site"].required
    assert (fields["size_mm"].kind, fields["size_mm"].min, fields["size_mm"].max) == ("number", 0, 500)
    assert fields["size_mm"].hint == "Tumour size."
    assert (fields["nodes"].kind, fields["nodes"].step, fields["nodes"].required) == ("number", "1", False)
    assert fields["smoker"].kind == "checkbox"
    assert fields["sites"].kind == "multi"
    assert fields["note"].kind == "text"


def test_library_vocabularies_turn_text_parameters_into_choices() -> None:
    fields = {f.name: f for f in form_fields(Example, choices={"note": (("a", "A"),)}, hide=["smoker"])}
    assert fields["note"].kind == "select"
    assert "smoker" not in fields


def test_posted_values_are_kept_for_redisplay() -> None:
    fields = {f.name: f for f in form_fields(Example, {"site": "lower_limb", "size_mm": "abc"})}
    assert fields["site"].value == "lower_limb"
    assert fields["size_mm"].value == "abc"


def test_a_posted_form_becomes_request_data() -> None:
    form = FormData(
        [
            ("site", "upper_limb"),
            ("size_mm", "22.5"),
            ("nodes", ""),
            ("sites", "bone"),
            ("sites", "liver"),
            ("smoker", "true"),
        ]
    )
    assert parse_form(Example, form) == {
        "site": "upper_limb",
        "size_mm": 22.5,
        "smoker": True,
        "sites": ["bone", "liver"],
    }


def test_an_unticked_checkbox_is_false_and_empty_fields_are_left_to_their_defaults() -> None:
    assert parse_form(Example, FormData([("site", "upper_limb")])) == {"site": "upper_limb", "smoker": False}


def test_text_in_a_number_box_names_the_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_form(Example, FormData([("nodes", "two")]))
    assert (caught.value.field, caught.value.value) == ("nodes", "two")


def test_submit_runs_the_library_function() -> None:
    # Mirels 1989: lower limb 2 + functional pain 3 + lytic 3 + more than two thirds of the cortex 3 = 11.
    form = FormData([("site", "lower_limb"), ("pain", "functional"), ("lesion", "lytic"), ("size", "gt_two_thirds")])
    done = submit(operation("scores_mirels"), form)
    assert done.problems is None
    assert done.result.total == 11


def test_submit_collects_every_problem_instead_of_raising() -> None:
    form = FormData([("site", "arm"), ("pain", "functional")])
    done = submit(operation("scores_mirels"), form)
    assert done.result is None
    assert set(done.by_field) == {"site", "lesion", "size"}
    assert done.values["site"] == "arm"


def test_library_refusals_come_back_as_problems() -> None:
    done = submit(operation("staging_breast"), FormData([("t", "pT9"), ("n", "pN0"), ("m", "cM0")]))
    assert done.result is None
    assert done.problems is not None
    assert done.problems[0].field == "t"
    assert done.problems[0].value == "pT9"


class Awkward(BaseModel):
    hormone_years: Literal[0, 5, 10] = 0
    chemotherapy: bool | Literal["yes", "no"]
    smoker: bool | None = None
    fractions: dict[str, float] | None = None
    note: str | None = Field(default=None, description="See :func:`metastasis.staging.stage_breast` and ``t``.")


def test_awkward_parameter_types_get_usable_controls() -> None:
    fields = {f.name: f for f in form_fields(Awkward)}
    assert fields["hormone_years"].choices == (("0", "0"), ("5", "5"), ("10", "10"))
    assert (fields["chemotherapy"].kind, [v for v, _ in fields["chemotherapy"].choices]) == ("select", ["yes", "no"])
    assert fields["smoker"].kind == "select"  # a checkbox could not say "not known"
    assert not fields["smoker"].required
    assert "fractions" not in fields  # a mapping has no form control
    assert fields["note"].hint == "See stage_breast and t."


def test_awkward_posted_values_become_the_types_the_model_expects() -> None:
    form = FormData([("hormone_years", "5"), ("chemotherapy", "yes"), ("smoker", "false"), ("fractions", "x")])
    assert parse_form(Awkward, form) == {"hormone_years": 5, "chemotherapy": "yes", "smoker": False}
    assert parse_form(Awkward, FormData([("smoker", "")])) == {}  # not known stays unset


def test_acronyms_stay_capitalised_in_labels() -> None:
    assert label_of("cns") == "CNS"
    assert label_of("sins") == "SINS"
