// The benchmark's suites, for scripts/bench.mjs: each a runner, the bare command that runs it, where, how many tests
// it must run, and which of the cost goals of issue 12 it measures. The suites are deterministic and use nothing
// outside the standard library and the runner. Most keep no memory, so leakwatch must report no leak in them; the
// small-limit and confirmation suites keep memory on purpose, and say in `keeps` how many tests leakwatch must find.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const JEST = path.join(root, 'node_modules/jest/bin/jest.js');
const VITEST = path.join(root, 'node_modules/vitest/vitest.mjs');
const MOCHA = path.join(root, 'node_modules/mocha/bin/mocha.js');
const bench = (/** @type {string} */ directory) => path.join(root, 'bench', directory);

/**
 * @typedef {'pytest' | 'jest' | 'vitest' | 'mocha' | 'node-test'} Runner
 * @typedef {'bare' | 'hooks' | 'plugin' | 'wrapped'} Variant
 * @typedef {'per-test' | 'realistic' | 'small-limit' | 'confirmation'} Goal
 * @typedef {{ name: string, runner: Runner, cwd: string, tests: number, headline?: boolean, goal?: Goal,
 *   limit?: number, keeps?: number, confirm?: number, variants?: readonly Variant[], maxRounds?: number,
 *   command: (scratch: string) => string[] }} Suite
 * `cwd` is absolute; `command` gets a fresh, empty directory of the run's own for any state the runner keeps.
 * `headline` marks the suite whose ratio the older 1.1× goal is stated on, one per runner; `goal`, the goal of issue
 * 12 that the suite measures. `limit` is leakwatch's limit in bytes (its default, 10 MB, when absent); `keeps`, how
 * many tests keep more than it (none when absent); `confirm`, the CLI's --confirm for the wrapped run (leakwatch's
 * default when absent). `variants` are the ways it runs (bare, plugin and wrapped when absent; `hooks` is a no-op
 * preload registering the runner's hooks as leakwatch's does); `maxRounds` caps its rounds, for suites too long to
 * run every round.
 */

/**
 * No cache provider, so that no run leaves state (last failures, durations) for the next.
 * @param {string} suitePath
 * @param {string[]} args
 * @returns {(scratch: string) => string[]}
 */
const pytest = (suitePath, args) => () => ['pytest', '-q', '-p', 'no:cacheprovider', ...args, suitePath];

/**
 * Two workers, and a fresh cache directory per run, so that Jest never turns to running in band from the timings an
 * earlier run remembered.
 * @returns {(scratch: string) => string[]}
 */
const jest = () => (scratch) => [
  process.execPath,
  JEST,
  '--ci',
  '--maxWorkers=2',
  `--cacheDirectory=${path.join(scratch, 'jest-cache')}`,
];

/**
 * Vitest and Mocha as their configuration in the suite's directory says; Vitest without its results cache, which
 * would order a run's files by the durations an earlier run remembered.
 */
const vitest = () => () => [process.execPath, VITEST, 'run', '--no-cache'];
const mocha = () => () => [process.execPath, MOCHA];

/**
 * The suites of issue 12's fifth goal: bare, for one start's cost, and wrapped, confirming 20 suspects; no plugin
 * variant, which would tell nothing here. Three rounds at most: where leakwatch starts the command once per suspect,
 * a wrapped run takes most of a minute.
 */
const CONFIRMATION = /** @type {const} */ ({
  goal: 'confirmation',
  tests: 50,
  keeps: 20,
  variants: ['bare', 'wrapped'],
  maxRounds: 3,
});

/** @type {Suite[]} */
export const SUITES = [
  // --- Per-test marginal cost: quick tests over a large live heap, the worst case for a preload that would collect
  // garbage fully around every test.
  // 2,000 trivial tests over a live heap of ~1,000,000 objects.
  {
    name: 'many-small',
    runner: 'pytest',
    cwd: root,
    tests: 2000,
    headline: true,
    goal: 'per-test',
    command: pytest('bench/many-small', []),
  },
  // 1,000 trivial tests in one file over a live heap of a million objects, in node:test's process for that file.
  {
    name: 'node-test large heap',
    runner: 'node-test',
    cwd: bench('node-test-large'),
    tests: 1000,
    headline: true,
    goal: 'per-test',
    variants: ['bare', 'hooks', 'plugin', 'wrapped'],
    command: () => [process.execPath, '--test', 'quick.test.js'],
  },
  // 1,000 trivial tests in 10 files of 300,000 live objects each, over two Jest workers.
  {
    name: 'jest large heap',
    runner: 'jest',
    cwd: bench('jest-large'),
    tests: 1000,
    headline: true,
    goal: 'per-test',
    command: jest(),
  },
  // 1,000 trivial tests in 10 files of 300,000 live objects each, in Vitest's workers.
  {
    name: 'vitest large heap',
    runner: 'vitest',
    cwd: bench('vitest-large'),
    tests: 1000,
    headline: true,
    goal: 'per-test',
    command: vitest(),
  },
  // 1,000 trivial tests in 10 files over one live heap of a million objects, in Mocha's one process.
  {
    name: 'mocha large heap',
    runner: 'mocha',
    cwd: bench('mocha-large'),
    tests: 1000,
    headline: true,
    goal: 'per-test',
    variants: ['bare', 'hooks', 'plugin', 'wrapped'],
    command: mocha(),
  },

  // --- Realistic suites: tests doing 1 to 10 ms of real work each (bench/shared/work.cjs, bench/pytest-realistic/
  // work.py), 10 to 30 s bare; wrapped with confirming off.
  // 300 tests doing a few milliseconds of real work each, with function- and module-scoped fixtures: short, kept for
  // the figures quoted before the longer suites.
  { name: 'realistic', runner: 'pytest', cwd: root, tests: 300, command: pytest('bench/realistic', []) },
  // The same under pytest-xdist: a plugin in each worker, and a process tree for the wrapper to sample.
  { name: 'realistic -n 2', runner: 'pytest', cwd: root, tests: 300, command: pytest('bench/realistic', ['-n', '2']) },
  // 2,500 tests in 20 files.
  {
    name: 'pytest realistic',
    runner: 'pytest',
    cwd: root,
    tests: 2500,
    goal: 'realistic',
    confirm: 0,
    command: pytest('bench/pytest-realistic', []),
  },
  // 1,200 tests in 40 files, a process each.
  {
    name: 'node-test realistic',
    runner: 'node-test',
    cwd: bench('node-test-realistic'),
    tests: 1200,
    goal: 'realistic',
    confirm: 0,
    command: () => [process.execPath, '--test'],
  },
  // 1,500 tests in 50 files, over two workers.
  {
    name: 'jest realistic',
    runner: 'jest',
    cwd: bench('jest-realistic'),
    tests: 1500,
    goal: 'realistic',
    confirm: 0,
    command: jest(),
  },
  // 1,250 tests in 50 files.
  {
    name: 'vitest realistic',
    runner: 'vitest',
    cwd: bench('vitest-realistic'),
    tests: 1250,
    goal: 'realistic',
    confirm: 0,
    command: vitest(),
  },
  // 2,500 tests in 100 files.
  {
    name: 'mocha realistic',
    runner: 'mocha',
    cwd: bench('mocha-realistic'),
    tests: 2500,
    goal: 'realistic',
    confirm: 0,
    command: mocha(),
  },

  // --- A small limit: 2,000 tests each keeping 300 KB of small Python objects, at a 100 KB limit, so that every test
  // is a suspect; wrapped as a user runs it, confirming the 20 largest.
  {
    name: 'pytest small limit',
    runner: 'pytest',
    cwd: root,
    tests: 2000,
    goal: 'small-limit',
    limit: 100_000,
    keeps: 2000,
    command: pytest('bench/small-limit', []),
  },

  // --- Confirming 20 suspects: 20 tests keeping 15 MB each and 30 quiet ones, behind a fixed start of one second (a
  // conftest, a globalSetup or a global fixture sleeping; for node:test, a module each file's process loads).
  {
    name: 'pytest confirm 20',
    runner: 'pytest',
    cwd: root,
    ...CONFIRMATION,
    command: pytest('bench/confirm-pytest', []),
  },
  {
    name: 'node-test confirm 20',
    runner: 'node-test',
    cwd: bench('confirm-node-test'),
    ...CONFIRMATION,
    command: () => [process.execPath, '--test', 'keepers.test.js', 'quiet.test.js'],
  },
  { name: 'jest confirm 20', runner: 'jest', cwd: bench('confirm-jest'), ...CONFIRMATION, command: jest() },
  { name: 'vitest confirm 20', runner: 'vitest', cwd: bench('confirm-vitest'), ...CONFIRMATION, command: vitest() },
  { name: 'mocha confirm 20', runner: 'mocha', cwd: bench('confirm-mocha'), ...CONFIRMATION, command: mocha() },
];
