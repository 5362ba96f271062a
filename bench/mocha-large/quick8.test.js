// 100 trivial Mocha tests over the suite's live heap of a million small objects (heap.js); ten such files make the
// Mocha large-heap suite, all in Mocha's one process.
/* global require, describe, it -- CommonJS; Mocha provides describe and it. */
const assert = require('node:assert');
const { HEAP } = require('./heap.js');

describe('quick 8', () => {
  for (let number = 0; number < 100; number += 1) {
    it(`quick 8.${number}`, () => {
      assert.ok(HEAP[(number * 997) % HEAP.length].id >= 0);
    });
  }
});
