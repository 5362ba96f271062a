/**
 * What pytest suites do that must not stop or fool the plugin: tests that pytest skips before setting up their
 * module or class, a test that closes every descriptor above 2, records on a disk that fills up, deselection, and
 * memory taken before any test runs. Real pytest runs (plain and pytest-xdist) under the bundled action.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runAction, type ActionRun } from './helpers/run.js';
import { mountSmallDisk, unmount } from './helpers/small-disk.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;

/** Each test of __tests__/fixtures/pytest/skips, by id, with its outcome. */
const SKIP_SHAPES: Record<string, string> = {
  'skips/test_a_module_pytestmark.py::test_skipped_by_module_mark': 'skipped',
  'skips/test_a_module_pytestmark.py::test_also_skipped_by_module_mark': 'skipped',
  'skips/test_b_classes.py::test_runs_before_the_classes': 'passed',
  'skips/test_b_classes.py::TestSkippedClass::test_one': 'skipped',
  'skips/test_b_classes.py::TestSkippedClass::test_two': 'skipped',
  'skips/test_b_classes.py::TestSkipifClass::test_one': 'skipped',
  'skips/test_b_classes.py::test_runs_between_the_classes': 'passed',
  'skips/test_b_classes.py::TestXfailNotRun::test_not_run': 'xfailed',
  'skips/test_c_xfail_not_run.py::test_only_xfail_not_run': 'xfailed',
  'skips/test_d_skipif.py::test_only_skipif': 'skipped',
  'skips/test_e_slow.py::test_slow_one': 'skipped',
  'skips/test_e_slow.py::TestSlow::test_slow_in_class': 'skipped',
  'skips/test_f_after.py::test_plain_after_skips': 'passed',
  'skips/test_f_after.py::test_uses_module_resource': 'passed',
  ...Object.fromEntries(
    [0, 1, 2, 3, 4, 5].map((number) => [`skips/test_f_after.py::test_numbered[${number}]`, 'passed']),
  ),
  'skips/test_f_after.py::test_last_skipped': 'skipped',
};

function outcomes(run: ActionRun): Record<string, string> {
  return Object.fromEntries((run.report?.tests ?? []).map((test) => [test.id, test.outcome]));
}

function warnings(run: ActionRun): string[] {
  return run.commands.filter((command) => command.command === 'warning').map((command) => command.message);
}

describe.each([
  ['plain pytest', 'pytest skips'],
  ['pytest-xdist with 2 workers', 'pytest -n 2 skips'],
])('%s: tests skipped by a mark before pytest set up their module or class', (_name, command) => {
  let run: ActionRun;
  beforeAll(async () => {
    run = await runAction({ inputs: { command, limit: '10MB', baseline: 'off' }, workspace });
  });

  it('measures every test, the ones after the skips too, with its outcome', () => {
    expect(outcomes(run)).toEqual(SKIP_SHAPES);
    expect(run.report?.coverage).toMatchObject({ collected: 21, measured: 21, unmeasured: 0, reasons: [] });
  });

  it('passes cleanly: no warning, no error, exit code 0', () => {
    expect(run.report?.warnings).toEqual([]);
    expect(warnings(run)).toEqual([]);
    expect(run.stderr).not.toContain('AssertionError');
    expect(run.summary.split('\n')[0]).toContain('no test leaked more than 10.0 MB (21 tests measured)');
    expect(run.exitCode).toBe(0);
  });
});

describe('a test that closes every descriptor above 2 and opens files of its own', () => {
  let run: ActionRun;
  beforeAll(async () => {
    run = await runAction({ inputs: { command: 'pytest -s closes-fds', baseline: 'off' }, workspace });
  });

  it('gets no record lines in its files: its own lines are all they hold', () => {
    expect(outcomes(run)['closes-fds/test_closes_fds.py::test_its_files_hold_only_its_own_lines']).toBe('passed');
    expect(run.report?.exitCode).toBe(0);
  });

  it('does not stop measuring: the tests after it are measured', () => {
    expect(Object.keys(outcomes(run)).sort()).toEqual(
      [
        'test_before',
        'test_closes_every_descriptor',
        'test_after',
        'test_its_files_hold_only_its_own_lines',
        'test_last',
      ]
        .map((name) => `closes-fds/test_closes_fds.py::${name}`)
        .sort(),
    );
    expect(run.report?.coverage).toMatchObject({ collected: 5, measured: 5, unmeasured: 0 });
    expect(run.report?.warnings).toEqual([]);
    expect(run.exitCode).toBe(0);
  });
});

describe('a test that deletes the records directory', () => {
  it('counts the tests whose records went with it, and measures the tests after it', async () => {
    const run = await runAction({ inputs: { command: 'pytest deletes-records', baseline: 'off' }, workspace });
    expect(Object.keys(outcomes(run)).sort()).toEqual([
      'deletes-records/test_deletes_records.py::test_after',
      'deletes-records/test_deletes_records.py::test_deletes_the_records',
    ]);
    expect(run.report?.coverage).toMatchObject({
      collected: 4,
      measured: 2,
      unmeasured: 2,
      reasons: ['their records file was deleted while the tests ran'],
    });
    expect(run.report?.exitCode).toBe(0);
    expect(run.summary.split('\n')[0]).toContain('measured 2 of 4 tests');
  });
});

describe('records on a disk that fills up', () => {
  // A tmpfs of 64 KB holds the records of about 160 tests of the 2,000; where mounting is refused, a file-size limit
  // does the same to the records file.
  let small: string | undefined;
  beforeAll(() => {
    small = mountSmallDisk();
  });
  afterAll(() => {
    unmount(small);
  });

  it('never passes for a clean run: it says how many of the tests were measured, and why not the rest', async () => {
    const run = await runAction({
      inputs: {
        command: small === undefined ? 'ulimit -f 64 && pytest many-small' : 'pytest many-small',
        baseline: 'off',
      },
      workspace,
      // The action makes its records directory in the temporary directory.
      env: small === undefined ? {} : { TMPDIR: small },
    });
    const coverage = run.report?.coverage;
    const measured = run.report?.tests.length ?? 0;
    expect(measured).toBeGreaterThan(50);
    expect(measured).toBeLessThan(1000);
    expect(coverage).toMatchObject({ collected: 2000, measured, unmeasured: 2000 - measured });
    expect(coverage?.reasons.join('\n')).toMatch(
      /their records could not be written \((No space left on device|File too large)\)/,
    );
    // Outcomes and the command's exit code are the tests' own; no test is taken for one its process died in.
    expect(run.report?.tests.every((test) => test.outcome === 'passed')).toBe(true);
    expect(run.report?.incomplete).toEqual([]);
    expect(run.report?.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.summary).not.toMatch(/no test leaked more than [\d.]+ MB \(\d+ tests measured\)/);
    expect(run.summary.split('\n')[0]).toContain(`measured ${measured} of 2000 tests`);
  });
});

describe('what the runner says it will run', () => {
  it('is counted after deselection', async () => {
    const run = await runAction({ inputs: { command: 'pytest skips -k numbered', baseline: 'off' }, workspace });
    expect(run.report?.coverage).toMatchObject({ collected: 6, measured: 6, unmeasured: 0 });
    expect(run.exitCode).toBe(0);
  });
});

describe('the run’s peak', () => {
  it('holds memory taken while collecting, before any test ran', async () => {
    const run = await runAction({ inputs: { command: 'pytest collection-peak', baseline: 'off' }, workspace });
    expect(run.report?.tests).toHaveLength(1);
    expect(run.report?.peak).toBeGreaterThan(150 * MB);
  });
});
