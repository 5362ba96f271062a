// 30 quick tests that keep nothing.
/* global test, expect -- Jest provides them to each test file. */
for (let number = 0; number < 30; number += 1) {
  test(`quiet ${number}`, () => {
    expect(String(number * 7919).length).toBeGreaterThan(0);
  });
}
