/**
 * A cancelled job, the way the Actions runner cancels one: SIGINT to leakwatch's process, SIGTERM 7.5 s later, SIGKILL
 * 2.5 s after that. Whatever leakwatch was doing (the suite running, a suspect running alone), it publishes what was
 * measured, marked cancelled, within 5 s of the SIGINT, and the step fails.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import {
  FIXTURES,
  ROOT,
  RUNNER_CANCEL,
  cleanEnvironment,
  failure,
  runAction,
  runProcess,
  type ActionRun,
} from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');

function marker(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-cancel-')), 'started');
}

/** Runs the action, and cancels it as the runner does once `started` exists. */
async function cancelledRun(command: string, env: NodeJS.ProcessEnv, started: string): Promise<ActionRun> {
  return runAction({
    inputs: { command, limit: '10MB' },
    workspace,
    env,
    cancelWhen: () => existsSync(started),
    cancelWith: RUNNER_CANCEL,
  });
}

/** Published, all of it, before the runner's SIGTERM and SIGKILL: the summary, the outputs and the report. */
function expectPublishedInTime(run: ActionRun): void {
  expect(run.endedAfterCancel).toBeLessThan(5000);
  expect(run.report?.cancelled).toBe(true);
  expect(run.outputs.report).toBeTruthy();
  expect(run.summary).toMatch(/cancelled/i);
  expect(run.stdout).toMatch(/^leakwatch: cancelled \(SIGINT\): publishing what was measured/m);
}

describe('a job cancelled while the suite runs', () => {
  it('stops the command, confirms nothing, and publishes the suspects unconfirmed', async () => {
    const started = marker();
    const run = await cancelledRun('pytest slow', { SLOW_TEST_STARTED: started }, started);
    expectPublishedInTime(run);
    const leak = run.report?.tests.find((test) => test.id === 'slow/test_slow.py::test_quick_leak');
    expect(leak).toMatchObject({
      verdict: 'unconfirmed',
      leaked: true,
      confirmation: { runs: [], perRun: null, problem: 'the job was cancelled before it was run alone' },
    });
    expect(run.stdout).toContain(
      'LEAKED 20.0 MB in slow/test_slow.py::test_quick_leak: not confirmed: the job was cancelled before it was run alone',
    );
    // pytest ends on SIGINT with its "interrupted" exit code; the step fails with it.
    expect(run.report?.exitCode).toBe(2);
    expect(failure(run)).toMatch(/^The test command exited with 2\./);
  });

  it('kills a command that ignores SIGINT in time to publish before the runner kills leakwatch', async () => {
    const started = marker();
    // Python started with SIGINT ignored never raises KeyboardInterrupt: the test sleeps on through the signal.
    const run = await cancelledRun("trap '' INT; pytest slow", { SLOW_TEST_STARTED: started }, started);
    expectPublishedInTime(run);
    expect(run.report?.exitCode).toBe(137);
    expect(run.report?.tests.find((test) => test.id === 'slow/test_slow.py::test_quick_leak')?.verdict).toBe(
      'unconfirmed',
    );
  });
});

describe('a job cancelled while a suspect runs alone', () => {
  it('stops that run, runs no other, and publishes the rest unconfirmed', async () => {
    const started = marker();
    // Every suspect of this suite hangs when run alone: without the cancel, confirming would outlast the SIGKILL.
    const run = await cancelledRun('pytest hangs-alone', { HANG_STARTED: started }, started);
    expectPublishedInTime(run);
    const problems: Record<string, string | null | undefined> = Object.fromEntries(
      (run.report?.tests ?? []).map((test) => [test.id.split('::').at(-1) ?? '', test.confirmation?.problem]),
    );
    expect(problems).toEqual({
      test_a_hangs_alone: 'the job was cancelled while it ran alone',
      test_b_hangs_alone: 'the job was cancelled before it was run alone',
      test_c_hangs_alone: 'the job was cancelled before it was run alone',
    });
    expect(run.report?.tests.every((test) => test.verdict === 'unconfirmed' && test.leaked)).toBe(true);
    // The suite itself ran to its end and passed; the step fails on the suspects left unconfirmed.
    expect(run.report?.exitCode).toBe(0);
    expect(run.exitCode).toBe(1);
  });
});

describe('a job cancelled while a Node leak is traced', () => {
  it('stops the traced start and publishes the leak, confirmed, without its sites', async () => {
    const started = marker();
    const run = await runAction({
      inputs: { command: 'node --test trace-hangs/hangs.test.js', limit: '10MB' },
      workspace: path.join(FIXTURES, 'node/node-test'),
      env: { TRACE_STARTED: started },
      cancelWhen: () => existsSync(started),
      cancelWith: RUNNER_CANCEL,
    });
    expectPublishedInTime(run);
    expect(run.report?.tests).toEqual([
      expect.objectContaining({
        id: 'trace-hangs/hangs.test.js > leaks, and hangs when traced',
        verdict: 'leak',
        sites: [],
      }),
    ]);
    expect(run.exitCode).toBe(1);
  });
});

describe('Ctrl-C in a terminal, with the CLI', () => {
  it('stops the suite, confirms nothing, prints and writes what was measured, and exits with the command’s code', async () => {
    const started = marker();
    const json = path.join(path.dirname(started), 'report.json');
    const cli = [process.execPath, path.join(ROOT, 'dist/cli.js'), '--limit', '10MB', '--json', json];
    const finished = await runProcess(
      'python3',
      [path.join(ROOT, '__tests__/helpers/terminal.py'), started, ...cli, '--', 'pytest', 'slow'],
      {
        cwd: workspace,
        env: cleanEnvironment({ SLOW_TEST_STARTED: started }),
      },
    );
    const terminal = JSON.parse(finished.stdout) as { exitCode: number; output: string; afterCtrlC: number | null };
    expect(terminal.afterCtrlC).toBeLessThan(5);
    expect(terminal.output).toContain(
      'leakwatch: cancelled (SIGINT): publishing what was measured, without confirming 1 suspect',
    );
    expect(terminal.output).toContain(
      'LEAKED 20.0 MB in slow/test_slow.py::test_quick_leak: not confirmed: the job was cancelled before it was run alone',
    );
    // pytest got the Ctrl-C from the terminal and ended with its "interrupted" code, which is the CLI's.
    expect(terminal.exitCode).toBe(2);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report).toMatchObject({ cancelled: true, exitCode: 2 });
  });
});
