// 20 tests that each keep 15 MB, over leakwatch's 10 MB limit: the 20 suspects leakwatch confirms.
/* global require, describe, it, Buffer -- CommonJS; Mocha provides describe and it. */
const assert = require('node:assert');

const kept = [];

describe('keepers', () => {
  for (let number = 0; number < 20; number += 1) {
    it(`keeps 15 MB ${number}`, () => {
      kept.push(Buffer.alloc(15_000_000, number + 1));
      assert.ok(kept.length > 0);
    });
  }
});
