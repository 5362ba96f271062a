"""2,000 trivial tests: the per-test cost of the harness dominates their run time."""

import pytest


@pytest.mark.parametrize("number", range(1000))
def test_arithmetic(number):
    assert number * 2 - number == number


@pytest.mark.parametrize("number", range(500))
def test_text(number):
    assert str(number).zfill(4).lstrip("0") in ("", str(number))


@pytest.mark.parametrize("number", range(500))
def test_lookup(heap, number):
    key = "user:%06d" % (number * 37)
    assert heap[key][0] == key
