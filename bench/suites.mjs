// The benchmark's suites, for scripts/bench.mjs: each a runner, the bare command that runs it, where, and how many
// tests it must run. The suites are deterministic, use nothing outside the standard library and the runner, and keep
// no memory, so leakwatch must report no leak in them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const JEST = path.join(root, 'node_modules/jest/bin/jest.js');

/**
 * @typedef {'pytest' | 'jest' | 'node-test'} Runner
 * @typedef {{ name: string, runner: Runner, cwd: string, tests: number, headline?: boolean,
 *   command: (scratch: string) => string[] }} Suite
 * `cwd` is absolute; `command` gets a fresh, empty directory of the run's own for any state the runner keeps.
 * `headline` marks the suite whose ratio the goal is stated on, one per runner.
 */

/**
 * No cache provider, so that no run leaves state (last failures, durations) for the next.
 * @param {string} suitePath
 * @param {string[]} args
 * @returns {(scratch: string) => string[]}
 */
const pytest = (suitePath, args) => () => ['pytest', '-q', '-p', 'no:cacheprovider', ...args, suitePath];

/** @type {Suite[]} */
export const SUITES = [
  // 2,000 trivial tests over a live heap of ~1,000,000 objects: the worst case for per-test overhead.
  {
    name: 'many-small',
    runner: 'pytest',
    cwd: root,
    tests: 2000,
    headline: true,
    command: pytest('bench/many-small', []),
  },
  // 300 tests doing a few milliseconds of real work each, with function- and module-scoped fixtures.
  { name: 'realistic', runner: 'pytest', cwd: root, tests: 300, command: pytest('bench/realistic', []) },
  // The same under pytest-xdist: a plugin in each worker, and a process tree for the wrapper to sample.
  { name: 'realistic -n 2', runner: 'pytest', cwd: root, tests: 300, command: pytest('bench/realistic', ['-n', '2']) },
  // 1,000 trivial tests in one file over a live heap of a million objects, in node:test's process for that file.
  {
    name: 'node-test large heap',
    runner: 'node-test',
    cwd: path.join(root, 'bench/node-test-large'),
    tests: 1000,
    headline: true,
    command: () => [process.execPath, '--test', 'quick.test.js'],
  },
  // 1,000 trivial tests in 10 files of 300,000 live objects each, over two Jest workers. A fresh cache directory per
  // run, so that Jest never turns to running in band from the timings an earlier run remembered.
  {
    name: 'jest large heap',
    runner: 'jest',
    cwd: path.join(root, 'bench/jest-large'),
    tests: 1000,
    headline: true,
    command: (scratch) => [
      process.execPath,
      JEST,
      '--ci',
      '--maxWorkers=2',
      `--cacheDirectory=${path.join(scratch, 'jest-cache')}`,
    ],
  },
];
