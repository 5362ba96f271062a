"""2,000 tests that each keep about 300 KB, for a run at a 100 KB limit: every test is over it, and leakwatch must
measure all of them (and confirm the largest) at little more than the runner's own cost. What each keeps is real
Python objects, 2,000 distinct strings of 100 characters in a list, as a cache or a registry would keep, not one
large buffer: the small-object allocator's arenas, not a single mapping."""

import pytest

_kept = []


@pytest.mark.parametrize("number", range(2000))
def test_keeps_300_kb(number):
    prefix = "%04d-" % number
    _kept.append([(prefix + "%05d" % index).ljust(100, "x") for index in range(2000)])
    assert len(_kept[-1]) == 2000
