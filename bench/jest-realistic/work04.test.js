// One of the 50 files of the Jest realistic suite: 30 tests, each doing 1 to 10 ms of real work
// (bench/shared/work.cjs) and keeping nothing.
/* global require, test, expect -- CommonJS; Jest provides test and expect. */
const { expected, work } = require('../shared/work.cjs');

for (let number = 0; number < 30; number += 1) {
  const seed = 120 + number;
  test(`work 4.${number}`, () => {
    expect(work(seed)).toEqual(expected(seed));
  });
}
