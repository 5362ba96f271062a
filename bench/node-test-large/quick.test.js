// 1,000 trivial node:test tests in one file over a live heap of a million small objects, built once at load and kept
// for the whole run: the worst case for a preload that would collect garbage fully around every test.
/* global require -- CommonJS, the way most Node test files are still written. */
const assert = require('node:assert');
const { test } = require('node:test');

const HEAP = Array.from({ length: 1_000_000 }, (_, index) => ({ id: index, even: index % 2 === 0 }));

for (let number = 0; number < 1000; number += 1) {
  test(`quick ${number}`, () => {
    assert.ok(HEAP[(number * 997) % HEAP.length].id >= 0);
  });
}
