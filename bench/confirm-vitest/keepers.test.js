// 20 tests that each keep 15 MB, over leakwatch's 10 MB limit: the 20 suspects leakwatch confirms.
import { Buffer } from 'node:buffer';
import { expect, test } from 'vitest';

const kept = [];

for (let number = 0; number < 20; number += 1) {
  test(`keeps 15 MB ${number}`, () => {
    kept.push(Buffer.alloc(15_000_000, number + 1));
    expect(kept.length).toBeGreaterThan(0);
  });
}
