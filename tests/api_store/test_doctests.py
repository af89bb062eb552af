"""The examples in the docstrings of the case-store API modules run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["metastasis.api.auth", "metastasis.api.store_models"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
