// The detection half of `npm run bench`: leakwatch, as a user runs it (the CLI, confirming on), on the test fixtures'
// planted leaks and look-alikes, one run per runner. Each test's expected verdict comes from the fixtures' own layout:
// see `expectedVerdict`. It prints what was found, what was called a leak wrongly, how the warm-ups were told, and what
// confirming cost beside the suite.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const NODE_TEST_FILES = [
  'leaks.test.js',
  'lookalikes.test.js',
  'concurrent.test.js',
  'subtests.test.js',
  'warmups.test.js',
];

/** @typedef {{ name: string, cwd: string, command: (scratch: string) => string }} Fixture */

/** @param {string} root @returns {Fixture[]} */
function fixtures(root) {
  const node = (/** @type {string} */ runner) => path.join(root, '__tests__/fixtures/node', runner);
  return [
    { name: 'pytest', cwd: path.join(root, '__tests__/fixtures/pytest'), command: () => 'pytest leaks' },
    { name: 'pytest -n 2', cwd: path.join(root, '__tests__/fixtures/pytest'), command: () => 'pytest -n 2 leaks' },
    { name: 'pytest sites', cwd: path.join(root, '__tests__/fixtures/pytest'), command: () => 'pytest sites' },
    { name: 'Jest', cwd: node('jest'), command: (scratch) => `npx jest --maxWorkers=2 --cacheDirectory=${scratch}` },
    { name: 'Vitest', cwd: node('vitest'), command: () => 'npx vitest run' },
    { name: 'Mocha', cwd: node('mocha'), command: () => 'npx mocha' },
    { name: 'node:test', cwd: node('node-test'), command: () => `node --test ${NODE_TEST_FILES.join(' ')}` },
  ];
}

/**
 * What a fixture test should be found to be: `leak`, `warm-up`, `noise`, or `ok`. pytest's leaks live in
 * test_leaks.py (but its small one), Node runners' in leaks.test.* and two levels down in subtests.test.js; the
 * warm-ups and the order-dependent test are named. pytest's cache can be filled by either of two tests, whichever
 * runs first in its process, and the second finds it full when both are confirmed in one start: `warm-up?` accepts
 * `ok` and `noise` too. A look-alike (`ok`) may be `noise`: over the limit in the suite where no full collection fitted
 * in the time, and nothing alone.
 * @param {string} id
 */
function expectedVerdict(id) {
  if (id.includes('test_leaks.py::')) return id.endsWith('test_small_leak') ? 'ok' : 'leak';
  if (id.includes('test_sites.py::')) return id.endsWith('test_warm_up') ? 'warm-up' : 'leak';
  if (/^leaks\.test\.\w+ > /.test(id) || id.endsWith('> keeps 20 MB two levels down')) return 'leak';
  if (/::test_lazy_import$|> fills a cache on first use$/.test(id)) return 'warm-up';
  if (/::test_(fills_cache_once|uses_cache)$/.test(id)) return 'warm-up?';
  if (id.endsWith('> fills a cache only after another test primed it')) return 'noise';
  return 'ok';
}

/**
 * @param {{ root: string, cli: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<object[]>} a row per fixture
 */
export async function runDetection({ root, cli, env }) {
  const rows = [];
  for (const fixture of fixtures(root)) {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-detection-'));
    try {
      const json = path.join(scratch, 'report.json');
      const started = Date.now();
      const output = await run(
        process.execPath,
        [cli, '--no-fail', '--json', json, '--', fixture.command(scratch)],
        fixture.cwd,
        env,
      );
      const seconds = (Date.now() - started) / 1000;
      const report = JSON.parse(await readFile(json, 'utf8'));
      // The same again with tracing off: what tracing adds to confirming.
      const untraced = await run(
        process.execPath,
        [cli, '--no-fail', '--trace', 'off', '--', fixture.command(scratch)],
        fixture.cwd,
        env,
      );
      const leaks = report.tests.filter((/** @type {{ verdict: string }} */ test) => test.verdict === 'leak');
      rows.push({
        fixture: fixture.name,
        seconds,
        ...score(report.tests),
        ...timing(output),
        untracedSeconds: timing(untraced).confirmSeconds,
        withSites: leaks.filter((/** @type {{ sites: unknown[] }} */ test) => test.sites.length > 0).length,
        leaks: leaks.length,
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return rows;
}

/** @param {{ id: string, verdict: string, leaked: boolean }[]} tests */
function score(tests) {
  const expected = tests.map((test) => ({ test, want: expectedVerdict(test.id) }));
  const planted = expected.filter(({ want }) => want === 'leak');
  const warmUps = expected.filter(({ want }) => want === 'warm-up');
  return {
    tests: tests.length,
    planted: planted.length,
    found: planted.filter(({ test }) => test.verdict === 'leak').length,
    falseAlarms: expected.filter(({ test, want }) => want !== 'leak' && test.leaked).map(({ test }) => test.id),
    warmUps: warmUps.length,
    warmUpsTold: warmUps.filter(({ test }) => test.verdict === 'warm-up').length,
    // Anything else told wrongly: a look-alike not ok, a warm-up or noise called something else.
    otherwise: expected
      .filter(({ test, want }) => want !== 'leak' && !test.leaked && !fits(test.verdict, want))
      .map(({ test, want }) => `${test.id}: ${test.verdict}, not ${want}`),
  };
}

/** @param {string} verdict @param {string} want */
function fits(verdict, want) {
  if (want === 'warm-up?') return verdict === 'warm-up' || verdict === 'ok' || verdict === 'noise';
  return verdict === want || (want === 'ok' && verdict === 'noise');
}

/** The confirmation's cost, from the line leakwatch logs. @param {string} output */
function timing(output) {
  const match = /confirming took ([\d.]+) s, the suite ([\d.]+) s/.exec(output);
  const suspects = /running (\d+) suspects? again alone/.exec(output);
  // Node runners trace leaks in a start of their own, after confirming.
  const traced = /traced the allocations of .* in ([\d.]+) s/.exec(output);
  return {
    suspects: suspects ? Number(suspects[1]) : 0,
    suiteSeconds: match ? Number(match[2]) : null,
    confirmSeconds: (match ? Number(match[1]) : 0) + (traced ? Number(traced[1]) : 0),
  };
}

/** @param {any[]} rows */
export function printDetection(rows) {
  console.log('\nDetection on the test fixtures (leakwatch CLI, confirm 3, limit 10 MB):');
  console.log(
    'fixture      tests  leaks found  false alarms  warm-ups told  suspects  suite s  confirming s  untraced s  ' +
      'tracing (goal <= 2.0x)  leaks with sites  otherwise',
  );
  for (const row of rows) {
    const ratio = row.untracedSeconds > 0 ? row.confirmSeconds / row.untracedSeconds : 0;
    const goal = `${ratio.toFixed(2)}x ${ratio <= 2 ? 'MET' : 'OVER'}`;
    console.log(
      `${row.fixture.padEnd(12)} ${String(row.tests).padStart(5)}  ${`${row.found}/${row.planted}`.padStart(11)}  ` +
        `${String(row.falseAlarms.length).padStart(12)}  ${`${row.warmUpsTold}/${row.warmUps}`.padStart(13)}  ` +
        `${String(row.suspects).padStart(8)}  ${(row.suiteSeconds ?? row.seconds).toFixed(1).padStart(7)}  ` +
        `${row.confirmSeconds.toFixed(1).padStart(12)}  ${row.untracedSeconds.toFixed(1).padStart(10)}  ` +
        `${goal.padStart(22)}  ${`${row.withSites}/${row.leaks}`.padStart(16)}  ` +
        `${[...row.falseAlarms, ...row.otherwise].join('; ') || '-'}`,
    );
  }
}

/**
 * @param {string} command @param {string[]} args @param {string} cwd @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} stdout and stderr together
 */
function run(command, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', () => resolve(output));
  });
}
