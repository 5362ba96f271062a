/** Finding a test's line from its titles, for runners that do not tell it. */
import { describe, expect, it } from 'vitest';
import { findTestLine } from '../src/locate-test.js';

const SOURCE = `import { describe, it } from 'vitest';

describe('cart', () => {
  it('adds', () => {});
  describe("when empty", () => {
    it.only('adds', async () => {});
    test(\`totals\`, () => {});
  });
});

for (const name of names) {
  it(name, () => {});
}

describe(\`\${kind} cart\`, () => {
  it('removes', () => {});
});
`;

describe('findTestLine', () => {
  it.each([
    [['cart', 'adds'], 4],
    [['cart', 'when empty', 'adds'], 6],
    [['cart', 'when empty', 'totals'], 7],
    [['paid cart', 'removes'], 16],
  ])('finds %j at line %i, following its describe blocks', (titles, line) => {
    expect(findTestLine(SOURCE, titles)).toBe(line);
  });

  it('gives null for a title made at run time, never a guess', () => {
    expect(findTestLine(SOURCE, ['widget'])).toBe(null);
    expect(findTestLine(SOURCE, ['cart', 'a (b) [c]'])).toBe(null);
  });
});
