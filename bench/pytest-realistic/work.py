"""The work each test of the pytest realistic suite does: 1 to 10 ms of deterministic CPU and allocation, the kind a
unit test of application code does (build records, serialize them and read them back, sort, group, format), keeping
nothing once the test ends. The same work as the Node suites' bench/shared/work.cjs."""

import json
import random
import re

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau".split()
SEPARATORS = re.compile(r"[\s:,()]+")


def records_for(seed):
    """150 to 1,500 records, so that the time varies about tenfold between tests."""
    return 150 + (seed * 7919) % 10 * 150


def work(seed):
    rng = random.Random(seed)
    orders = [
        {
            "id": index,
            "customer": "customer-%d" % rng.randrange(40),
            "amount": rng.randrange(50_000) / 100,
            "items": [rng.choice(WORDS) for _ in range(3)],
        }
        for index in range(records_for(seed))
    ]
    copy = json.loads(json.dumps(orders))
    copy.sort(key=lambda order: (order["customer"], -order["amount"], order["id"]))
    totals = {}
    for order in copy:
        totals[order["customer"]] = totals.get(order["customer"], 0) + order["amount"]
    text = "\n".join(
        "%s: %s (%.2f)" % (order["customer"], ", ".join(order["items"]), order["amount"]) for order in copy
    )
    return {"records": len(copy), "tokens": len([token for token in SEPARATORS.split(text) if token])}


def expected(seed):
    """Each record formats as five tokens."""
    return {"records": records_for(seed), "tokens": records_for(seed) * 5}
