/** The CLI, as someone reproducing a CI finding on a laptop runs it: `node dist/cli.js -- pytest ...`. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import { FIXTURES, runCli } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');

describe('leakwatch CLI', () => {
  it('prints one LEAKED line per leak, writes the JSON report and summary, and exits 1 on leaks', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cli-'));
    const run = await runCli(
      [
        '--limit',
        '10MB',
        '--confirm',
        '2',
        '--json',
        path.join(out, 'report.json'),
        '--summary',
        path.join(out, 'summary.md'),
        'pytest',
        '-k',
        'connection or native_leak or small_leak',
        'leaks',
      ],
      workspace,
    );
    expect(run.stdout).toContain('leakwatch: 2 of 3 tests leaked more than 10.0 MB');
    expect(run.stdout.match(/^LEAKED .*$/gm)).toEqual([
      expect.stringMatching(
        /^LEAKED 40\.0 MB in leaks\/test_leaks\.py::TestRemoteService::test_connection: keeps 40\.\d MB per run \(2 runs alone kept 40\.\d MB, 40\.\d MB\)$/,
      ),
      expect.stringMatching(/^LEAKED 30\.0 MB in leaks\/test_leaks\.py::test_native_leak: keeps 30\.\d MB per run /),
    ]);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    // The small leak is confirmed too when garbage could have hidden what it kept: a full collection did not fit in
    // the time after the large ones (on a loaded machine), and Python collected while it ran.
    const suspects = 2 + report.tests.filter((test) => test.disturbed).length;
    expect(run.stderr).toContain(`leakwatch: running ${suspects} suspects again alone, 2 times each, to confirm`);
    expect(report.tests.map((test) => [test.id, test.leaked])).toEqual([
      ['leaks/test_leaks.py::TestRemoteService::test_connection', true],
      ['leaks/test_leaks.py::TestRemoteService::test_small_leak', false],
      ['leaks/test_leaks.py::test_native_leak', true],
    ]);
    expect(report.command).toBe("pytest -k 'connection or native_leak or small_leak' leaks");
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain('2 of 3 tests leaked more than 10.0 MB');
  });

  it('exits 0 with --no-fail when only leaks are wrong, and with the command’s own code when it fails', async () => {
    const leaking = await runCli(['--no-fail', '--', 'pytest leaks -k module_state'], workspace);
    expect(leaking.stdout).toContain('LEAKED 30.0 MB in leaks/test_leaks.py::test_module_state_leak');
    expect(leaking.exitCode).toBe(0);
    const failing = await runCli(['--no-fail', '--confirm', '0', '--', 'pytest leaks -k leak_then_fail'], workspace);
    // A failure's traceback keeps a little memory too.
    expect(failing.stdout).toMatch(/^LEAKED 30\.\d MB in leaks\/test_leaks\.py::test_leak_then_fail \(failed\)$/m);
    expect(failing.exitCode).toBe(1);
    const crashed = await runCli(['--', 'pytest crash'], workspace);
    expect(crashed.exitCode).toBe(137);
  });

  it('exits 0 and says so in one line when nothing leaks', async () => {
    const run = await runCli(['pytest', 'clean'], workspace);
    expect(run.stdout).toMatch(
      /^leakwatch: no test leaked more than 10\.0 MB \(7 tests measured\), peak RSS [\d.]+ MB$/m,
    );
    expect(run.exitCode).toBe(0);
  });

  it('stops on bad input before running anything, naming the option', async () => {
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cli-')), 'ran');
    const run = await runCli(['--limit', 'lots', '--', `touch ${marker}`], workspace);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("leakwatch: Option --limit is 'lots', which is not a size. Use 512KB, 10MB, 1.5GiB");
    expect(existsSync(marker)).toBe(false);
  });

  it('asks what a one-letter unit means rather than guessing between powers of 1000 and 1024', async () => {
    const run = await runCli(['--limit', '10M', '--', 'true'], workspace);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("leakwatch: Option --limit is '10M': did you mean 10MB or 10MiB?");
  });

  it('shows its usage, within 80 columns, and version', async () => {
    const help = await runCli(['--help'], workspace);
    expect(help.stdout).toContain('Usage: leakwatch [options] [--] <command...>');
    const wide = help.stdout.split('\n').filter((line) => line.length > 80);
    expect(wide).toEqual([]);
    const version = await runCli(['--version'], workspace);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const mergeHelp = await runCli(['merge', '--help'], workspace);
    expect(mergeHelp.stdout).toContain('Usage: leakwatch merge [options] <report.json...>');
    expect(mergeHelp.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    expect(help.stdout).toContain('leakwatch merge --help');
  });
});

describe('leakwatch merge', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cli-merge-'));
  const shardFile = (name: string): string => path.join(out, `${name}.json`);
  const measure = (name: string, command: string) =>
    runCli(['--confirm', '0', '--no-fail', '--json', shardFile(name), '--', command], workspace);

  it('merges shards’ reports into one, labelled by their file names, and exits 1 on leaks', async () => {
    await measure('group-1', 'pytest -p no:cacheprovider leaks -k connection');
    await measure('group-2', 'pytest -p no:cacheprovider leaks -k "native_leak or small_leak"');
    const run = await runCli(
      [
        'merge',
        shardFile('group-1'),
        shardFile('group-2'),
        '--json',
        shardFile('merged'),
        '--summary',
        path.join(out, 'merged.md'),
      ],
      out,
    );
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^leakwatch: 2 of 3 tests in 2 shards leaked more than 10\.0 MB, peak RSS /),
      expect.stringMatching(
        /^leakwatch: shard group-1: 1 test, 1 leaked, peak RSS .*; 'pytest .* -k connection' exited with 0$/,
      ),
      expect.stringMatching(/^leakwatch: shard group-2: 2 tests, 1 leaked, /),
    ]);
    expect(run.stdout).toContain(
      'LEAKED 40.0 MB in leaks/test_leaks.py::TestRemoteService::test_connection [shard group-1]',
    );
    expect(run.exitCode).toBe(1);
    const merged = JSON.parse(readFileSync(shardFile('merged'), 'utf8')) as Report;
    expect(merged.tests.map((test) => test.shard)).toEqual(['group-1', 'group-2', 'group-2']);
    expect(readFileSync(path.join(out, 'merged.md'), 'utf8')).toMatch(
      /^### 🔴 leakwatch: 2 of 3 tests in 2 shards leaked/,
    );
    const noFail = await runCli(['merge', '--no-fail', shardFile('group-1'), shardFile('group-2')], out);
    expect(noFail.exitCode).toBe(0);
  });

  it('refuses, naming it and writing nothing, a file that is not there, not a report, or a shard twice', async () => {
    const missing = await runCli(['merge', shardFile('group-1'), 'nowhere.json', '--json', shardFile('x')], out);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(
      `leakwatch merge: the report file ${path.join(out, 'nowhere.json')} does not exist.`,
    );
    const notReport = await runCli(['merge', shardFile('group-1'), path.join(workspace, 'Makefile')], out);
    expect(notReport.exitCode).toBe(2);
    expect(notReport.stderr).toContain(
      `leakwatch merge: ${path.join(workspace, 'Makefile')} was refused: it is not JSON.`,
    );
    const twice = await runCli(['merge', shardFile('group-1'), shardFile('group-1'), '--json', shardFile('y')], out);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('was refused: another report is shard group-1 too.');
    expect(existsSync(shardFile('x'))).toBe(false);
    expect(existsSync(shardFile('y'))).toBe(false);
    const usage = await runCli(['merge'], out);
    expect([usage.exitCode, usage.stderr.split('\n')[0]]).toEqual([2, 'leakwatch merge: No report file given.']);
  });
});
