"""Text processing with temporary buffers, and a few tests writing files under tmp_path."""

import json
import re
from collections import Counter

import pytest

from data import WORDS

TOKEN = re.compile(r"[a-z]+")


@pytest.fixture(scope="module")
def vocabulary():
    return {word: index for index, word in enumerate(sorted(WORDS))}


@pytest.fixture
def text(rng):
    return "\n".join(" ".join(rng.choices(WORDS, k=20)) for _ in range(250))


@pytest.mark.parametrize("case", range(30))
def test_tokenize_and_count(text, vocabulary, case):
    tokens = TOKEN.findall(text)
    counts = Counter(tokens)
    encoded = [vocabulary[token] for token in tokens]
    assert sum(counts.values()) == len(encoded) == 5000
    assert case >= 0


@pytest.mark.parametrize("case", range(10))
def test_reformat(text, case):
    lines = [line.title().replace(" ", "_") for line in text.splitlines()]
    assert "\n".join(line.lower().replace("_", " ") for line in lines) == text
    assert case >= 0


@pytest.mark.parametrize("case", range(10))
def test_write_and_read_back(tmp_path, text, case):
    path = tmp_path / "words.json"
    path.write_text(json.dumps({"case": case, "lines": text.splitlines()}))
    assert json.loads(path.read_text())["lines"] == text.splitlines()
