// A live heap of a million small objects, built once when the first test file loads and kept for the whole run: the
// worst case for a preload that would collect garbage fully around every test.
/* global module -- CommonJS. */
const HEAP = Array.from({ length: 1_000_000 }, (_, index) => ({ id: index, even: index % 2 === 0 }));

module.exports = { HEAP };
