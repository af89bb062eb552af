"""Tests of metastasis.simulate.spread."""
