import pytest

from service import RemoteService, country_table


class TestRemoteService:
    def test_connection(self):
        assert RemoteService("db.internal").connect()

    def test_parse_large_payload(self):
        payload = "\n".join("a,b,c,%d" % i for i in range(300_000))
        assert RemoteService("db.internal").parse(payload) == 300_000


def test_query_users(database):
    assert len([row for row in database if row[1] % 2 == 0]) == 200_000


def test_country_names():
    assert len(country_table()) == 1_000


@pytest.mark.parametrize("code", [1, 44, 81])
def test_country_lookup(code):
    assert country_table()[code].startswith("name-")
