// 30 quick tests that keep nothing.
import { expect, test } from 'vitest';

for (let number = 0; number < 30; number += 1) {
  test(`quiet ${number}`, () => {
    expect(String(number * 7919).length).toBeGreaterThan(0);
  });
}
