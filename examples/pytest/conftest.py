import pytest


@pytest.fixture
def database():
    """A throwaway in-memory database, filled for each test and dropped at teardown."""
    rows = [("user-%d" % i, i) for i in range(400_000)]
    yield rows
    rows.clear()
