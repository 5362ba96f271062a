// 30 quick tests that keep nothing.
/* global require -- CommonJS. */
require('./start-cost.js');
const assert = require('node:assert');
const { test } = require('node:test');

for (let number = 0; number < 30; number += 1) {
  test(`quiet ${number}`, () => {
    assert.ok(String(number * 7919).length > 0);
  });
}
