/**
 * Real pytest runs, plain and with pytest-xdist, through the bundled action, on suites with planted leaks and
 * look-alikes (__tests__/fixtures/pytest). Every test of the suite has its expected verdict here.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestResult } from '../src/report.js';
import { PYTEST_LEAKS as LEAKS, PYTEST_LOOKALIKES as QUIET } from './helpers/pytest-fixture.js';
import { FIXTURES, failure, runAction, type ActionRun } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;

/** Within 1 MB of what the test planted: allocators and pages round a little. */
function expectAbout(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThan(MB);
}

function byId(tests: readonly TestResult[]): Map<string, TestResult> {
  return new Map(tests.map((test) => [test.id, test]));
}

describe.each([
  ['plain pytest', 'pytest leaks', ['main']],
  ['pytest-xdist with 2 workers', 'pytest -n 2 leaks', ['gw0', 'gw1']],
])('%s on planted leaks and look-alikes', (_name, command, workers) => {
  let run: ActionRun;
  let tests: Map<string, TestResult>;
  beforeAll(async () => {
    run = await runAction({ inputs: { command, limit: '10MB' }, workspace });
    tests = byId(run.report?.tests ?? []);
  });

  it('measures every test of the suite', () => {
    expect([...tests.keys()].sort()).toEqual([...Object.keys(LEAKS), ...QUIET].sort());
    expect(run.outputs.tests).toBe(String(tests.size));
  });

  it('reports each planted leak with about the size it kept, confirmed on each of 3 runs alone', () => {
    for (const [id, size] of Object.entries(LEAKS)) {
      const test = tests.get(id);
      expect(test?.leaked, id).toBe(true);
      expect(test?.verdict, id).toBe('leak');
      expectAbout(test?.delta ?? 0, size);
      expect(test?.confirmation?.runs, id).toHaveLength(3);
      for (const alone of test?.confirmation?.runs ?? []) expectAbout(alone.delta, size);
      expect(test?.confirmation?.runs.map((alone) => alone.outcome)).toEqual(Array(3).fill(test?.outcome));
    }
    expect(run.outputs.leaks).toBe(String(Object.keys(LEAKS).length));
  });

  it('does not report the look-alikes', () => {
    for (const id of QUIET) expect(tests.get(id)?.leaked, id).toBe(false);
  });

  it('records how high each test took memory, beside what it kept', () => {
    const temporaries = tests.get('leaks/test_lookalikes.py::test_large_temporaries');
    expect(temporaries?.peak).toBeGreaterThan((temporaries?.before ?? Infinity) + 150 * MB);
    expect(temporaries?.delta).toBeLessThan(5 * MB); // a little allocator residue, far under the limit
  });

  it('tells a warm-up from a leak: run alone, it keeps memory the first time only', () => {
    const lazyImport = tests.get('leaks/test_lookalikes.py::test_lazy_import');
    expectAbout(lazyImport?.delta ?? 0, 30 * MB);
    expect(lazyImport?.verdict).toBe('warm-up');
    const [first, ...later] = lazyImport?.confirmation?.runs ?? [];
    expectAbout(first?.delta ?? 0, 30 * MB);
    for (const alone of later) expectAbout(alone.delta, 0);
    // Whichever test fills the cache first in its process pays for it, once.
    const cacheFillers = ['test_fills_cache_once', 'test_uses_cache'].map((name) =>
      tests.get(`leaks/test_lookalikes.py::${name}`),
    );
    // Or its figure was disturbed: garbage from before it, which no full collection settled in the time, freed while
    // it ran. Then it is run alone too.
    const suspects = cacheFillers.filter((test) => (test?.delta ?? 0) > 10 * MB || test?.disturbed === true);
    expect(suspects.length).toBeGreaterThanOrEqual(1);
    // Run alone in one process, one after the other: the first fills the cache, the second finds it full (noise).
    expect(suspects.map((test) => test?.verdict)).toEqual(['warm-up', 'noise'].slice(0, suspects.length));
    expect(run.stdout).toMatch(/^warm-up, not a leak: 30\.\d MB in leaks\/test_lookalikes\.py::test_lazy_import /m);
  });

  it('charges neither the first nor the last user of a module-scoped fixture for it', () => {
    for (const name of ['test_first_user_of_shared_dataset', 'test_second_user_of_shared_dataset']) {
      expectAbout(tests.get(`leaks/test_lookalikes.py::${name}`)?.delta ?? -1, 0);
    }
    expectAbout(tests.get('leaks/test_lookalikes.py::test_expected_failure')?.delta ?? -1, 0);
  });

  it('gives each test its file relative to the workspace, its 1-based line, worker and outcome', () => {
    const connection = tests.get('leaks/test_leaks.py::TestRemoteService::test_connection');
    expect(connection).toMatchObject({ file: 'leaks/test_leaks.py', line: 58, outcome: 'passed' });
    expect(workers).toContain(connection?.worker);
    expect(tests.get('leaks/test_leaks.py::test_leak_then_fail')?.outcome).toBe('failed');
    expect(tests.get('leaks/test_lookalikes.py::test_skipped')?.outcome).toBe('skipped');
    expect(tests.get('leaks/test_lookalikes.py::test_expected_failure')?.outcome).toBe('xfailed');
    const native = tests.get('leaks/test_leaks.py::test_native_leak');
    expect(native?.after).toBeGreaterThan(native?.before ?? Infinity);
    expect(new Set([...tests.values()].map((test) => test.worker))).toEqual(new Set(workers));
  });

  it('records the run: command, exit code, limit and a peak that holds the leaks', () => {
    expect(run.report).toMatchObject({ version: 2, command, runner: 'pytest', limit: 10 * MB, exitCode: 1 });
    expect(run.report?.peak).toBeGreaterThan(400 * MB);
    expect(run.report?.incomplete).toEqual([]);
    expect(run.outputs['exit-code']).toBe('1');
  });

  it('prints one LEAKED line per leak in the log and fails the step for the failing test and the leaks', () => {
    expect(run.stdout).toMatch(
      /^LEAKED 40\.0 MB in leaks\/test_leaks\.py::TestRemoteService::test_connection: keeps 40\.\d MB per run \(3 runs alone kept /m,
    );
    expect(run.stdout.match(/^LEAKED /gm)).toHaveLength(Object.keys(LEAKS).length);
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toBe('The test command exited with 1. 12 tests leaked more than 10.0 MB.');
  });

  it('writes a summary with the leaks, largest first', () => {
    expect(run.summary).toContain('12 of 25 tests leaked more than 10.0 MB');
    const rows = run.summary.split('\n').filter((line) => /^\| [\d.]+ MB \|/.test(line));
    expect(rows[0]).toMatch(
      /^\| 40\.0 MB \| <a href="[^"]+#L58"><code>leaks\/<wbr>test_leaks\.py::<wbr>TestRemoteService::<wbr>test_connection<\/code><\/a>/,
    );
    // The six leaking cases of test_odd_ids, in one row.
    expect(run.summary).toMatch(
      /^\| 20\.0 MB each \| <code>leaks\/<wbr>test_leaks\.py::<wbr>test_odd_ids&#91;<wbr>&#8230;&#93;<\/code> — 6 cases<br>/m,
    );
    // The leaks, then the warm-ups, then the look-alikes whose suite figure no full collection settled (they are
    // kept to a share of the time) and that their runs alone showed as noise.
    const notLeaks = [...tests.values()].filter((test) => test.verdict === 'warm-up' || test.verdict === 'noise');
    expect(rows.length).toBe(6 + notLeaks.length);
  });
});

describe('a test process that dies mid-test', () => {
  it.each([
    ['plain pytest', 'pytest crash', 137],
    ['pytest-xdist', 'pytest -n 2 crash', 1],
  ])(
    '%s: reports the test it died in with the last memory seen, and keeps what came before',
    async (_, command, code) => {
      const run = await runAction({ inputs: { command }, workspace });
      expect(run.report?.exitCode).toBe(code);
      const [died] = run.report?.incomplete ?? [];
      expect(died).toMatchObject({
        id: 'crash/test_crash.py::test_killed_mid_test',
        file: 'crash/test_crash.py',
        line: 15,
      });
      // It held 80 MB more for a second and a half before it was killed: sampling saw that.
      expect(died?.lastSeen).toBeGreaterThan((died?.before ?? Infinity) + 75 * MB);
      // Measured before the crash, still reported, and confirmed alone (the test that kills its process is not run).
      const before = run.report?.tests.find((test) => test.id === 'crash/test_crash.py::test_before_crash');
      expect(before).toMatchObject({ leaked: true, verdict: 'leak' });
      expect(before?.confirmation?.runs).toHaveLength(3);
      expect(run.stdout).toContain(
        'DIED IN crash/test_crash.py::test_killed_mid_test: its process ended during the test',
      );
      expect(run.summary).toContain('never finished');
      expect(run.outputs.crashed).toBe('1');
    },
  );
});

describe('a suspect whose process dies while it runs alone', () => {
  it('stays reported as a leak, unconfirmed, with the run that finished and why the rest did not', async () => {
    const run = await runAction({ inputs: { command: 'pytest dies-alone' }, workspace });
    const [test] = run.report?.tests ?? [];
    expect(test).toMatchObject({
      id: 'dies-alone/test_dies_alone.py::test_leaks_then_dies_when_run_again',
      verdict: 'unconfirmed',
      leaked: true,
      confirmation: { perRun: null, problem: 'its process died on run 2 alone' },
    });
    expect(test?.confirmation?.runs).toHaveLength(1);
    expectAbout(test?.confirmation?.runs[0]?.delta ?? 0, 30 * MB);
    expect(run.stdout).toMatch(
      /^LEAKED 30\.\d MB in dies-alone\/test_dies_alone\.py::test_leaks_then_dies_when_run_again: not confirmed: its process died on run 2 alone$/m,
    );
    expect(run.exitCode).toBe(1);
  });
});

describe('a cancelled job', () => {
  it('stops every process of the command and reports what was measured', async () => {
    const started = Date.now();
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-slow-')), 'started');
    const run = await runAction({
      inputs: { command: 'pytest slow | cat' },
      workspace,
      env: { SLOW_TEST_STARTED: marker },
      cancelWhen: () => existsSync(marker),
    });
    expect(Date.now() - started).toBeLessThan(30_000); // not the minute the last test sleeps
    expect(run.report?.exitCode).toBe(143);
    expect(run.report?.tests.map((test) => [test.id, test.leaked])).toEqual([
      ['slow/test_slow.py::test_quick_leak', true],
    ]);
    expect(run.report?.incomplete.map((test) => test.id)).toEqual(['slow/test_slow.py::test_takes_a_minute']);
    expect(failure(run)).toBe(
      'The test command exited with 143. The job was cancelled: what was measured before it is reported. 1 test leaked more than 10.0 MB.',
    );
  });
});

describe('ways of starting pytest', () => {
  const command = (words: string): Record<string, string> => ({ command: words, limit: '10MB' });
  it.each([
    ['python -m pytest', 'python -m pytest clean'],
    ['a wrapper script with pipes and &&', 'bash -c "cd clean && pytest -q" | tee /dev/null && true'],
    ['make', 'make -s test'],
  ])('%s', async (_, words) => {
    const run = await runAction({ inputs: command(words), workspace });
    expect(run.report?.tests.length).toBe(7);
    expect(run.exitCode).toBe(0);
  });

  it('with plugin autoloading disabled', async () => {
    const run = await runAction({
      inputs: command('pytest clean'),
      workspace,
      env: { PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
    });
    expect(run.report?.tests.length).toBe(7);
  });

  it('in a working directory, with files relative to the workspace', async () => {
    const run = await runAction({ inputs: { command: 'pytest', 'working-directory': 'clean' }, workspace });
    expect(run.report?.tests[0]?.file).toBe('clean/test_clean.py');
  });
});

describe('verdicts', () => {
  it('passes with a one-line summary when nothing leaks', async () => {
    const run = await runAction({ inputs: { command: 'pytest clean' }, workspace });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ leaks: '0', tests: '7', 'exit-code': '0' });
    expect(run.summary.split('\n')[0]).toMatch(
      /^### ✅ leakwatch: no test leaked more than 10\.0 MB \(7 tests measured\), peak RSS [\d.]+ MB$/,
    );
  });

  it('with fail-on-leak false, leaks do not fail the step but a failing test still does', async () => {
    const passing = await runAction({
      inputs: { command: 'pytest leaks -k "module_state or connection"', 'fail-on-leak': 'false' },
      workspace,
    });
    expect(passing.outputs.leaks).toBe('2');
    expect(passing.exitCode).toBe(0);
    const failing = await runAction({
      inputs: { command: 'pytest leaks -k "leak_then_fail"', 'fail-on-leak': 'false' },
      workspace,
    });
    expect(failing.exitCode).toBe(1);
    expect(failure(failing)).toBe('The test command exited with 1.');
  });

  it('never reports ignored tests as leaks', async () => {
    const run = await runAction({
      inputs: {
        command: 'pytest leaks -k "odd_ids or connection"',
        ignore: 'leaks/test_leaks.py::test_odd_ids[*]\n*::TestRemote*',
      },
      workspace,
    });
    expect(run.outputs.leaks).toBe('0');
    expect(run.report?.tests.every((test) => test.ignored && !test.leaked)).toBe(true);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('ignored: 40.0 MB in leaks/test_leaks.py::TestRemoteService::test_connection');
  });

  it('a limit above every leak reports none', async () => {
    const run = await runAction({ inputs: { command: 'pytest leaks -k connection', limit: '0.5GiB' }, workspace });
    expect(run.report?.limit).toBe(2 ** 29);
    expect(run.outputs.leaks).toBe('0');
  });

  it('fails loudly, and says what to check, when no test was measured', async () => {
    const run = await runAction({ inputs: { command: 'echo no tests here', runner: 'pytest' }, workspace });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(/^Nothing was measured, so no leak could be found: no test process loaded its plugin/);
    expect(failure(run)).toContain('pass_env');
    expect(run.summary).toContain('nothing was measured');
    expect(run.summary).toContain('leakwatch measured no tests');
  });

  it('fails when pytest ran but collected nothing', async () => {
    const run = await runAction({ inputs: { command: 'pytest clean -k nothing_matches || true' }, workspace });
    expect(failure(run)).toMatch(/^Nothing was measured, so no leak could be found: .*ran no test/);
  });
});

describe('bad input stops the step before anything runs', () => {
  const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-marker-')), 'ran');
  it.each([
    [{ limit: '10 megs' }, "Input 'limit' is '10 megs', which is not a size. Use 512KB, 10MB, 1.5GiB"],
    [{ limit: '-5MB' }, "Input 'limit' is '-5MB', which is not a size."],
    [{ command: '   ' }, "Input 'command' is empty."],
    [{ 'working-directory': 'no/such/dir' }, "Input 'working-directory' is 'no/such/dir', which is not a directory"],
    [
      { runner: 'nose' },
      "Input 'runner' is 'nose', which is not a runner leakwatch knows. Use one of: auto, pytest, jest, vitest, mocha, node-test.",
    ],
    [
      { 'fail-on-leak': 'yes' },
      "Input 'fail-on-leak' is 'yes'. Use true (any leak fails), new (only leaks the pull request's base did not have) or false.",
    ],
    [{ regression: 'a lot' }, "Input 'regression' is 'a lot'. Use a percentage, a size (512KB, 10MB, 1.5GiB"],
    [{ 'retention-days': '365' }, "Input 'retention-days' is '365'. Use a number of days from 1 to 90"],
    [{ comment: 'maybe' }, "Input 'comment' is 'maybe'. Use true or false."],
    [{ 'report-name': 'my report' }, "Input 'report-name' is 'my report'. Use up to 100 letters, digits"],
  ])('%o', async (inputs, message) => {
    const run = await runAction({ inputs: { command: `touch ${marker}`, ...inputs }, workspace });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toContain(message);
    expect(existsSync(marker)).toBe(false);
  });
});
