/**
 * The Node preload under faults and on other runner versions, through the bundled action: the oldest and newest of
 * each supported major (Jest 30, Vitest 4, Mocha 11 and node:test on Node 20 and 24 are in node-runners.test.ts), an
 * unsupported version, a test that closes leakwatch's file descriptors, and records on a disk that fills up.
 */
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { FIXTURES, failure, runAction } from './helpers/run.js';
import { mountSmallDisk, unmount } from './helpers/small-disk.js';

const MB = 1_000_000;
const PLANTED = [
  'keeps objects in module state',
  'keeps a Buffer in module state',
  'adds a listener that captures large data',
  'keeps memory, then fails',
  'outer > inner > keeps 40 MB of strings in a nested block',
  ...['pipe|and`tick`', '<img src=x onerror=alert(1)>', '@someone', 'ünïcødé-名前', `long-${'x'.repeat(300)}`].map(
    (title) => `odd titles > ${title}`,
  ),
  'odd titles > a > b :: c [d]',
];
const HELD_UNTIL_THE_TASK_ENDS = [
  'makes WeakRefs to large objects',
  'adds listeners with a signal, then aborts or drops the signal',
  'registers large objects with a FinalizationRegistry',
];

const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/**
 * The runner's fixture suite, copied beside that runner version so that everything resolves to it; run through
 * ../node_modules/.bin, as npx would look for the runner in the copy's own node_modules only.
 */
function copyFixture(runner: string, version: string): { workspace: string; directory: string } {
  const workspace = inject('runnerVersions')[version] ?? '';
  const copy = mkdtempSync(path.join(workspace, 'project-'));
  copies.push(copy);
  cpSync(path.join(FIXTURES, 'node', runner), copy, { recursive: true });
  return { workspace, directory: path.basename(copy) };
}

const VERSIONS = [
  ['Jest 29.0 (no test_started event)', 'jest', 'jest-29.0', '../node_modules/.bin/jest -i leaks lookalikes', 'js'],
  ['Jest 29.7', 'jest', 'jest-29.7', '../node_modules/.bin/jest -i leaks lookalikes', 'js'],
  ['Vitest 3.0', 'vitest', 'vitest-3.0', '../node_modules/.bin/vitest run leaks lookalikes', 'ts'],
  ['Vitest 3.2', 'vitest', 'vitest-3.2', '../node_modules/.bin/vitest run leaks lookalikes', 'ts'],
  ['Mocha 10.5', 'mocha', 'mocha-10.5', '../node_modules/.bin/mocha leaks.test.js lookalikes.test.js', 'js'],
  ['Mocha 10.8', 'mocha', 'mocha-10.8', '../node_modules/.bin/mocha leaks.test.js lookalikes.test.js', 'js'],
] as const;

describe.each(VERSIONS)('%s', (_, runner, version, command, extension) => {
  it('measures every test: the planted leaks are reported, what V8 holds until the task ends is not', async () => {
    const { workspace, directory } = copyFixture(runner, version);
    const run = await runAction({
      inputs: { command, 'working-directory': directory, limit: '10MB', confirm: '0' },
      workspace,
    });
    // Mocha runs its .mocharc spec too: warmups.test.js, whose tests are over the limit in the suite.
    const leaked = (run.report?.tests ?? []).filter((test) => test.leaked && test.id.startsWith('leaks.'));
    expect(leaked.map((test) => test.id).sort()).toEqual(
      PLANTED.map((title) => `leaks.test.${extension} > ${title}`).sort(),
    );
    for (const title of HELD_UNTIL_THE_TASK_ENDS) {
      const test = run.report?.tests.find((found) => found.id === `lookalikes.test.${extension} > ${title}`);
      expect(test?.leaked, title).toBe(false);
      expect(test?.delta, title).toBeLessThan(3 * MB);
    }
    expect(run.report?.coverage.unsupported).toEqual([]);
    // Counted before they run: a test that skips itself from inside (Mocha's and Vitest's lookalikes have one) is not
    // measured.
    const { collected, measured } = run.report?.coverage ?? { collected: 0, measured: 0 };
    expect(collected).toBeGreaterThanOrEqual(measured);
    expect(collected).toBeLessThanOrEqual(measured + 1);
  });
});

describe('Vitest tests with test.extend fixtures', () => {
  it('keep their outcomes: the fixtures still reach them, and their leaks are found', async () => {
    const run = await runAction({
      inputs: { command: 'npx vitest run', 'working-directory': 'vitest-extend', limit: '10MB', confirm: '3' },
      workspace: path.join(FIXTURES, 'node'),
    });
    expect(run.outputs['exit-code']).toBe('0');
    const tests = new Map((run.report?.tests ?? []).map((test) => [test.id, test]));
    expect(tests.get('extend.test.ts > uses a fixture')).toMatchObject({ outcome: 'passed', verdict: 'ok' });
    expect(tests.get('extend.test.ts > uses a fixture and keeps memory')).toMatchObject({
      outcome: 'passed',
      verdict: 'leak',
    });
    expect(run.report?.coverage.unmeasured).toBe(0);
  });
});

describe('a runner version leakwatch cannot measure', () => {
  it('Mocha 10.4: the step fails, naming the version and what is supported', async () => {
    const { workspace, directory } = copyFixture('mocha', 'mocha-10.4');
    const run = await runAction({
      inputs: { command: '../node_modules/.bin/mocha leaks.test.js', 'working-directory': directory, limit: '10MB' },
      workspace,
    });
    const message = 'Mocha 10.4.0 is not supported: leakwatch reaches Mocha';
    expect(run.report?.coverage.unsupported.join('\n')).toContain(message);
    expect(failure(run)).toContain('Mocha 10.4.0 is not supported');
  });
});

describe('Vitest projects defined in files of their own', () => {
  it('the step fails, naming them and what is supported', async () => {
    const run = await runAction({
      inputs: { command: 'npx vitest run', 'working-directory': 'vitest-project-files', limit: '10MB' },
      workspace: path.join(FIXTURES, 'node'),
    });
    expect(run.report?.coverage.unsupported.join('\n')).toMatch(
      /^Vitest 4\.\d+\.\d+ projects defined in files of their own \(packages\/\*\) are not supported/,
    );
    expect(failure(run)).toContain('projects defined in files of their own');
  });
});

describe('faults', () => {
  const workspace = path.join(FIXTURES, 'node');

  it('a test that closes every file it did not open: leakwatch writes nothing into its files and keeps measuring', async () => {
    const run = await runAction({
      inputs: { command: 'node --test closes-fds.test.js', 'working-directory': 'faults', limit: '10MB', confirm: '0' },
      workspace,
    });
    const tests = new Map((run.report?.tests ?? []).map((test) => [test.id, test]));
    expect(tests.get('closes-fds.test.js > finds only what it wrote in its own files')?.outcome).toBe('passed');
    expect(tests.size).toBe(4);
    expect(tests.get('closes-fds.test.js > keeps 20 MB after the descriptors were closed')?.leaked).toBe(true);
    expect(run.report?.incomplete).toEqual([]);
  });

  describe('records on a disk that fills up (a 64 KB tmpfs as TMPDIR)', () => {
    const mounts: string[] = [];
    afterAll(() => {
      for (const mount of mounts) unmount(mount);
    });
    function smallDisk(): string {
      const mount = mountSmallDisk();
      if (mount === undefined) throw new Error('These tests need a small tmpfs: run them as root.');
      mounts.push(mount);
      mkdirSync(path.join(mount, 'tmp'));
      return path.join(mount, 'tmp');
    }
    const command = 'node --test full-disk.test.js';
    const inputs = { command, 'working-directory': 'faults', limit: '10MB', confirm: '0' };

    it('while it stays full: the tests whose lines were lost are counted unmeasured, and none passes for one that died', async () => {
      const run = await runAction({ inputs, workspace, env: { TMPDIR: smallDisk() } });
      expect(run.report?.incomplete).toEqual([]);
      expect(run.stdout).not.toContain('DIED IN');
      const coverage = run.report?.coverage;
      expect(coverage?.collected).toBe(32);
      expect(coverage?.unmeasured).toBeGreaterThan(0);
      expect((coverage?.measured ?? 0) + (coverage?.unmeasured ?? 0)).toBe(32);
      expect(coverage?.reasons.join('\n')).toMatch(/could not write its records/);
    });

    it('once freed: the lines kept meanwhile are written, and every test is measured', async () => {
      const run = await runAction({
        inputs,
        workspace,
        env: { TMPDIR: smallDisk(), LEAKWATCH_FIXTURE_FREE: '1' },
      });
      expect(run.report?.incomplete).toEqual([]);
      expect(run.report?.coverage).toMatchObject({ collected: 38, measured: 38, unmeasured: 0 });
      expect(run.report?.tests.find((test) => test.id.endsWith('keeps 20 MB on a full disk'))?.leaked).toBe(true);
    });
  });
});
