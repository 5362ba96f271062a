"""Deterministic data for the realistic suite."""

import random

WORDS = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi "
    "chi psi omega"
).split()


def make_documents(seed, count):
    rng = random.Random(seed)
    return [
        {
            "id": index,
            "title": " ".join(rng.choice(WORDS) for _ in range(6)),
            "score": rng.random(),
            "tags": sorted({rng.choice(WORDS) for _ in range(4)}),
            "author": {"name": rng.choice(WORDS).title(), "karma": rng.randrange(10_000)},
            "comments": [{"by": rng.choice(WORDS), "text": " ".join(rng.choices(WORDS, k=12))} for _ in range(3)],
        }
        for index in range(count)
    ]
