const { RemoteService } = require('./service');

describe('RemoteService', () => {
  test('connects', () => {
    expect(new RemoteService('db.internal').connect()).toBe(true);
  });

  test('parses a large payload', () => {
    const payload = Array.from({ length: 300_000 }, (_, i) => `a,b,c,${i}`).join('\n');
    expect(new RemoteService('db.internal').parse(payload)).toBe(300_000);
  });
});

describe('queries', () => {
  let database;
  beforeEach(() => {
    database = Array.from({ length: 400_000 }, (_, i) => [`user-${i}`, i]);
  });
  afterEach(() => {
    database = undefined;
  });

  test('finds the users with an even id', () => {
    expect(database.filter(([, id]) => id % 2 === 0)).toHaveLength(200_000);
  });
});

test.each([1, 44, 81])('formats country %i', (code) => {
  expect(`name-${code}`).toMatch(/^name-\d+$/);
});
