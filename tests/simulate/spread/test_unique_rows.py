"""The fast row de-duplication of the spread walk's site orders equals numpy's own, rows and counts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.simulate.spread.sampling import _unique_rows


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 400), st.integers(0, 2**32 - 1))
def test_unique_rows_equals_numpy(n_sites, n_rows, seed):
    codes = np.random.default_rng(seed).integers(0, n_sites + 1, size=(n_rows, n_sites))
    rows, counts = _unique_rows(codes, n_sites + 1)
    expected_rows, expected_counts = np.unique(codes, axis=0, return_counts=True)
    assert np.array_equal(rows, expected_rows) and np.array_equal(counts, expected_counts)


def test_too_wide_for_int64_falls_back():
    codes = np.zeros((3, 40), dtype=np.int64)  # 41**40 does not fit in int64
    codes[1, 0] = 1
    rows, counts = _unique_rows(codes, 41)
    assert rows.shape == (2, 40) and counts.tolist() == [2, 1]
