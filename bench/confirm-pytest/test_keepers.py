"""20 tests that each keep 15 MB, over leakwatch's 10 MB limit: the 20 suspects leakwatch confirms."""

import pytest

_kept = []


@pytest.mark.parametrize("number", range(20))
def test_keeps_15_mb(number):
    # Written, not just allocated, so that every page is resident.
    _kept.append(bytes([number]) * 15_000_000)
