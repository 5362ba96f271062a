"""Sorting, grouping and aggregating records made fresh for each test."""

import itertools
from collections import Counter
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Order:
    id: int
    customer: str
    amount: float
    items: tuple


@pytest.fixture
def orders(rng):
    customers = ["customer-%d" % index for index in range(40)]
    return [
        Order(index, rng.choice(customers), round(rng.uniform(1, 500), 2), tuple(rng.sample(range(100), 3)))
        for index in range(1500)
    ]


@pytest.mark.parametrize("case", range(100))
def test_group_and_total(orders, case):
    ordered = sorted(orders, key=lambda order: (order.customer, -order.amount, order.id))
    totals = {
        customer: round(sum(order.amount for order in group), 2)
        for customer, group in itertools.groupby(ordered, key=lambda order: order.customer)
    }
    assert abs(sum(totals.values()) - sum(order.amount for order in orders)) < 0.01 * len(orders)
    popular = Counter(item for order in orders for item in order.items).most_common(5)
    assert len(popular) == 5
    assert case >= 0
