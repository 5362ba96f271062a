// 20 tests that each keep 15 MB, over leakwatch's 10 MB limit: the 20 suspects leakwatch confirms.
/* global require, Buffer -- CommonJS. */
require('./start-cost.js');
const assert = require('node:assert');
const { test } = require('node:test');

const kept = [];

for (let number = 0; number < 20; number += 1) {
  test(`keeps 15 MB ${number}`, () => {
    kept.push(Buffer.alloc(15_000_000, number + 1));
    assert.ok(kept.length > 0);
  });
}
