"""Fixtures shared by the realistic suite; no state is kept between tests."""

import random

import pytest


@pytest.fixture
def rng(request):
    """A random generator seeded by the test's id, so each test's data is fixed."""
    return random.Random(request.node.nodeid)
