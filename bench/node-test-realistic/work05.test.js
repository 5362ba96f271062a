// One of the 40 files of the node:test realistic suite: 30 tests, each doing 1 to 10 ms of real work
// (bench/shared/work.cjs) and keeping nothing.
/* global require -- CommonJS. */
const assert = require('node:assert');
const { test } = require('node:test');
const { expected, work } = require('../shared/work.cjs');

for (let number = 0; number < 30; number += 1) {
  const seed = 150 + number;
  test(`work 5.${number}`, () => {
    assert.deepStrictEqual(work(seed), expected(seed));
  });
}
