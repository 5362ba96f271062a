// One of the 100 files of the Mocha realistic suite: 25 tests, each doing 1 to 10 ms of real work
// (bench/shared/work.cjs) and keeping nothing.
/* global require, describe, it -- CommonJS; Mocha provides describe and it. */
const assert = require('node:assert');
const { expected, work } = require('../shared/work.cjs');

describe('work file 52', () => {
  for (let number = 0; number < 25; number += 1) {
    const seed = 1300 + number;
    it(`work 52.${number}`, () => {
      assert.deepStrictEqual(work(seed), expected(seed));
    });
  }
});
