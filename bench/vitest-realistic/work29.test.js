// One of the 50 files of the Vitest realistic suite: 25 tests, each doing 1 to 10 ms of real work
// (bench/shared/work.cjs) and keeping nothing.
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';

const { expected, work } = createRequire(import.meta.url)('../shared/work.cjs');

for (let number = 0; number < 25; number += 1) {
  const seed = 725 + number;
  test(`work 29.${number}`, () => {
    expect(work(seed)).toEqual(expected(seed));
  });
}
