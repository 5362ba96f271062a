"""JSON round trips and queries over a corpus built once per module."""

import json

import pytest

from data import make_documents


@pytest.fixture(scope="module")
def corpus():
    return make_documents(seed=1, count=400)


@pytest.fixture
def page(corpus, request):
    start = request.node.callspec.params["page_number"] * 4 % len(corpus)
    return corpus[start : start + 60]


@pytest.mark.parametrize("page_number", range(100))
def test_round_trip(page, page_number):
    text = json.dumps(page, sort_keys=True)
    assert json.loads(text) == page
    assert len(json.dumps(json.loads(text), indent=2)) > len(text)


@pytest.mark.parametrize("page_number", range(50))
def test_query(page, page_number):
    best = sorted(page, key=lambda document: (-document["score"], document["id"]))[:10]
    by_tag = {}
    for document in page:
        for tag in document["tags"]:
            by_tag.setdefault(tag, []).append(document["id"])
    assert len(best) == 10
    assert sum(len(ids) for ids in by_tag.values()) == sum(len(document["tags"]) for document in page)
    assert json.loads(json.dumps(by_tag)) == by_tag
