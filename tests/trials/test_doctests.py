"""The examples in the docstrings of the trial modules run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "metastasis.trials.models",
    "metastasis.trials.criteria",
    "metastasis.trials.vocabulary",
    "metastasis.trials.recognise",
    "metastasis.trials.judge",
    "metastasis.trials.engine",
    "metastasis.trials.store",
    "metastasis.interop.ctgov",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
