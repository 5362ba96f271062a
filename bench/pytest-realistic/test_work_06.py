"""One of the 20 files of the pytest realistic suite: 125 tests, each doing 1 to 10 ms of real work (work.py)."""

import pytest

from work import expected, work


@pytest.mark.parametrize("number", range(125))
def test_work(number):
    seed = 750 + number
    assert work(seed) == expected(seed)
