"""The examples in the docstrings of the FHIR modules run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "metastasis.interop.fhir",
    "metastasis.interop.fhir.codes",
    "metastasis.interop.fhir.exporter",
    "metastasis.interop.fhir.importer",
    "metastasis.interop.fhir.io",
    "metastasis.interop.fhir.observations",
    "metastasis.interop.fhir.reading",
    "metastasis.interop.fhir.structure",
    "metastasis.interop.fhir.to_store",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
