"""Bundled, fictional example cases (``examples/cases/*.yaml``), used by ``metastasis example``,
``metastasis report --example``, the docs and the end-to-end tests; see :mod:`metastasis.examples.cases`."""
