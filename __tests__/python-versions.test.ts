/**
 * The pytest plugin on the oldest and the newest Python leakwatch supports, 3.9 and 3.13 (each with the newest
 * pytest and pytest-xdist pip finds for it, in .venv-3.9 and .venv-3.13), through the bundled action with confirming
 * on, plain and with pytest-xdist, on the planted leaks and look-alikes of __tests__/fixtures/pytest/leaks: what a
 * user sees is what they see on the Python pytest.test.ts runs.
 */
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestResult } from '../src/report.js';
import type { PythonVersion } from './helpers/global-setup.js';
import { PYTEST_LEAKS as LEAKS, PYTEST_LOOKALIKES as LOOKALIKES } from './helpers/pytest-fixture.js';
import { FIXTURES, cleanEnvironment, runAction, runProcess, type ActionRun, type Finished } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;

/** pytest's outcomes, as its closing line counts them and the report names them. */
const OUTCOMES = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed'];

/** Within 1 MB of what the test planted: allocators and pages round a little. */
function expectAbout(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThan(MB);
}

/**
 * The counts of pytest's closing line, `== 1 failed, 22 passed, 1 skipped in 1.08s ==`, warnings too, by singular
 * name.
 */
function closingCounts(output: string): Record<string, number> {
  const line = /^=+ (\d+ \w+(?:, \d+ \w+)*) in [\d.]+s\b.*=+$/m.exec(output)?.[1];
  expect(line, `no closing line in:\n${output}`).toBeDefined();
  return Object.fromEntries(
    (line ?? '').split(', ').map((part) => {
      const [count = '', name = ''] = part.split(' ');
      return [name.replace(/^(error|warning)s$/, '$1'), Number(count)];
    }),
  );
}

const RUNS: [PythonVersion, string][] = [
  ['3.9', 'pytest leaks'],
  ['3.9', 'pytest -n 2 leaks'],
  ['3.13', 'pytest leaks'],
  ['3.13', 'pytest -n 2 leaks'],
];

describe.each(RUNS)('Python %s: %s', (version, command) => {
  let python: Finished;
  let bare: Finished;
  let run: ActionRun;
  let tests: Map<string, TestResult>;
  beforeAll(async () => {
    const env = cleanEnvironment({ PATH: inject('pythonPaths')[version] });
    const versions = 'import sys, pytest, xdist; print("%d.%d.%d" % sys.version_info[:3], pytest.__version__)';
    python = await runProcess('python', ['-c', versions], { cwd: workspace, env });
    bare = await runProcess('sh', ['-c', command], { cwd: workspace, env });
    run = await runAction({ inputs: { command, limit: '10MB', confirm: '3' }, workspace, env: { PATH: env.PATH } });
    tests = new Map((run.report?.tests ?? []).map((test) => [test.id, test]));
  });

  it(`runs the tests on Python ${version}, as the log says (the JSON report does not)`, () => {
    expect(python.stdout).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.\\d+ \\d+\\.`));
    const pythonAndPytest = python.stdout.trim().replace(' ', ', pytest-');
    expect(run.stdout).toMatch(new RegExp(`^platform \\S+ -- Python ${pythonAndPytest.replace(/\./g, '\\.')},`, 'm'));
    if (command.includes('-n 2')) {
      // Each worker's Python, printed with the test that fails on purpose.
      expect(run.stdout).toMatch(new RegExp(`^\\[gw\\d\\] \\S+ -- Python ${version.replace('.', '\\.')}\\.\\d+ `, 'm'));
    }
  });

  it('changes no test outcome: the same exit code and counts as the bare command', () => {
    expect(bare.exitCode).toBe(1); // the test that fails on purpose
    expect(run.report?.exitCode).toBe(bare.exitCode);
    expect(run.outputs['exit-code']).toBe(String(bare.exitCode));
    const counts = closingCounts(bare.stdout);
    expect(counts).toMatchObject({ passed: 22, failed: 1, skipped: 1, xfailed: 1 });
    // What the user reads in the step's log, warnings too: the plugin adds none.
    expect(closingCounts(run.stdout)).toEqual(counts);
    const reported: Record<string, number> = {};
    for (const test of tests.values()) reported[test.outcome] = (reported[test.outcome] ?? 0) + 1;
    expect(reported).toEqual(Object.fromEntries(Object.entries(counts).filter(([name]) => OUTCOMES.includes(name))));
  });

  it('measures every test, and reports each planted leak at about its size, confirmed on each of 3 runs alone', () => {
    expect([...tests.keys()].sort()).toEqual([...Object.keys(LEAKS), ...LOOKALIKES].sort());
    expect(run.report?.incomplete).toEqual([]);
    for (const [id, size] of Object.entries(LEAKS)) {
      const test = tests.get(id);
      expect(test?.verdict, id).toBe('leak');
      expect(test?.leaked, id).toBe(true);
      expectAbout(test?.delta ?? 0, size);
      expect(test?.confirmation?.runs, id).toHaveLength(3);
      for (const alone of test?.confirmation?.runs ?? []) expectAbout(alone.delta, size);
    }
    expect(run.outputs.leaks).toBe(String(Object.keys(LEAKS).length));
    expect(run.stdout.match(/^LEAKED /gm)).toHaveLength(Object.keys(LEAKS).length);
    expect(run.stdout).toMatch(
      /^LEAKED 40\.0 MB in leaks\/test_leaks\.py::TestRemoteService::test_connection: keeps 40\.\d MB per run /m,
    );
  });

  it('does not report the look-alikes, and tells a warm-up from a leak', () => {
    for (const id of LOOKALIKES) expect(tests.get(id)?.leaked, id).toBe(false);
    expect(tests.get('leaks/test_lookalikes.py::test_lazy_import')?.verdict).toBe('warm-up');
    expect(run.stdout).toMatch(/^warm-up, not a leak: 30\.\d MB in leaks\/test_lookalikes\.py::test_lazy_import /m);
  });
});
