"""The patient explanation: content, plain language (Flesch-Kincaid grade <= 9) and a next step."""

from __future__ import annotations

import itertools

import pytest
import textstat

from metastasis.staging import stage_breast

CASES = list(
    itertools.product(
        ["TX", "T0", "Tis", "T1c", "T2", "T3", "T4d"],
        ["NX", "N0", "N1mi", "N1", "N2", "N3"],
        ["M0", "M1"],
    )
)


@pytest.mark.parametrize(("t", "n", "m"), CASES)
def test_every_explanation_is_plain_and_says_what_to_do(t, n, m):
    text = stage_breast(t, n, m, grade=2, er="+", pr="+", her2="-").explain()
    assert textstat.flesch_kincaid_grade(text) <= 9
    assert "What to do now" in text
    assert "averages" in text  # statistics are averages


def test_metastatic_explanation_says_stage_4_and_whole_body_treatment():
    text = stage_breast("cT2", "cN1", "cM1").explain()
    assert "stage 4" in text.lower()
    assert "metastatic" in text and "whole body" in text


def test_explanation_covers_t_n_and_m():
    text = stage_breast("pT2", "pN1a", "cM0", grade=2, er="+", pr="-", her2="-").explain()
    assert "bigger than 2 cm but not bigger than 5 cm" in text
    assert "1 to 3 lymph nodes under the arm" in text
    assert "No spread to distant parts of the body was found." in text
    assert "stage 2B" in text


def test_no_stage_explanation_says_so_without_inventing_one():
    text = stage_breast("cT0", "cN0", "cM0").explain()
    assert "could not be given" in text
    assert "Your stage" not in text
