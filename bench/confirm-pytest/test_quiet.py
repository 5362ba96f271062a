"""30 quick tests that keep nothing."""

import pytest


@pytest.mark.parametrize("number", range(30))
def test_quiet(number):
    assert sorted(str(number * 7919))
