// The benchmark's suites, for scripts/bench.mjs: each a pytest command's arguments and how many tests it must run.
// The suites are deterministic, standard library only, and keep no memory, so leakwatch must report no leak in them.

/** @typedef {{ name: string, path: string, args: string[], tests: number }} Suite */

/** @type {Suite[]} */
export const SUITES = [
  // 2,000 trivial tests over a live heap of ~300,000 objects: the worst case for per-test overhead.
  { name: 'many-small', path: 'bench/many-small', args: [], tests: 2000 },
  // 300 tests doing a few milliseconds of real work each, with function- and module-scoped fixtures.
  { name: 'realistic', path: 'bench/realistic', args: [], tests: 300 },
  // The same under pytest-xdist: a plugin in each worker, and a process tree for the wrapper to sample.
  { name: 'realistic -n 2', path: 'bench/realistic', args: ['-n', '2'], tests: 300 },
];
