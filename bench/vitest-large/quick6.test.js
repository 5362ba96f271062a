// 100 trivial Vitest tests over a live heap of 300,000 small objects, built once when the file loads and kept for the
// whole file; ten such files make the Vitest large-heap suite.
import { expect, test } from 'vitest';

const HEAP = Array.from({ length: 300_000 }, (_, index) => ({ id: index, even: index % 2 === 0 }));

for (let number = 0; number < 100; number += 1) {
  test(`quick 6.${number}`, () => {
    expect(HEAP[(number * 997) % HEAP.length].id).toBeGreaterThanOrEqual(0);
  });
}
