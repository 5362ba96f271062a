// 30 quick tests that keep nothing.
/* global require, describe, it -- CommonJS; Mocha provides describe and it. */
const assert = require('node:assert');

describe('quiet', () => {
  for (let number = 0; number < 30; number += 1) {
    it(`quiet ${number}`, () => {
      assert.ok(String(number * 7919).length > 0);
    });
  }
});
