"""Keeps a live heap like a real application's: ~1,000,000 small objects (~286,000 of them tracked by the collector).

It makes a full gc.collect() cost tens of milliseconds, which is the worst case for a plugin that would collect fully
around every test. Built once at import, deterministically, and kept for the whole run.
"""

import pytest


def _build_heap(records):
    heap = {}
    for index in range(records):
        key = "user:%06d" % index
        heap[key] = (key, "name-%d" % index, [index, "tag-%d" % (index % 97)], index + 0.5)
    return heap


HEAP = _build_heap(143_000)


@pytest.fixture(scope="session")
def heap():
    return HEAP
