// The work each test of the Node realistic suites does: 1 to 10 ms of deterministic CPU and allocation, the kind a
// unit test of application code does (build records, serialize them and read them back, sort, group, format), and
// nothing kept once the test ends. CommonJS, so that every runner loads it as it is (Vitest through createRequire).

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(
  ' ',
);

/** A small seeded generator (mulberry32): every run of a test does the same work. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many records test number `seed` works on: 400 to 4,000, so its time varies about tenfold between tests. */
function recordsFor(seed) {
  return 400 + ((seed * 7919) % 10) * 400;
}

/**
 * The work of test number `seed`.
 * @param {number} seed
 * @returns {{ records: number, tokens: number }} figures the test checks against `expected(seed)`
 */
function work(seed) {
  const next = random(seed);
  const orders = Array.from({ length: recordsFor(seed) }, (_, id) => ({
    id,
    customer: `customer-${Math.floor(next() * 40)}`,
    amount: Math.round(next() * 50_000) / 100,
    items: [0, 1, 2].map(() => WORDS[Math.floor(next() * WORDS.length)]),
  }));
  const copy = JSON.parse(JSON.stringify(orders));
  copy.sort((a, b) => a.customer.localeCompare(b.customer) || b.amount - a.amount || a.id - b.id);
  const totals = new Map();
  for (const order of copy) totals.set(order.customer, (totals.get(order.customer) ?? 0) + order.amount);
  const text = copy
    .map((order) => `${order.customer}: ${order.items.join(', ')} (${order.amount.toFixed(2)})`)
    .join('\n');
  return { records: copy.length, tokens: text.split(/[\s:,()]+/).filter(Boolean).length };
}

/** What `work(seed)` gives: each record formats as five tokens. */
function expected(seed) {
  return { records: recordsFor(seed), tokens: recordsFor(seed) * 5 };
}

module.exports = { work, expected };
