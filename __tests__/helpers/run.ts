/**
 * Runs the bundled action the way the Actions runner does (INPUT_* variables, GITHUB_* variables, an event payload
 * file, output and summary files) and the bundled CLI, as real subprocesses.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Report } from '../../src/report.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, '__tests__/fixtures');

export interface Finished {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Milliseconds from the first cancelling signal sent to the process's end; undefined when none was sent. */
  endedAfterCancel?: number;
}

/** A signal sent to a process some time after its cancel began. */
export interface TimedSignal {
  signal: NodeJS.Signals;
  afterMs: number;
}

/** How the Actions runner cancels a step: SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after that. */
export const RUNNER_CANCEL: readonly TimedSignal[] = [
  { signal: 'SIGINT', afterMs: 0 },
  { signal: 'SIGTERM', afterMs: 7500 },
  { signal: 'SIGKILL', afterMs: 10_000 },
];

export interface CancelOptions {
  /** Cancels the process as soon as this says so (checked every 100 ms). */
  cancelWhen?: (() => boolean) | undefined;
  /** The signals sent from then on, until the process ends; a SIGTERM at once by default. */
  cancelWith?: readonly TimedSignal[] | undefined;
}

/** Runs a command to its end, collecting its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv } & CancelOptions,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { cancelWhen, cancelWith = [{ signal: 'SIGTERM', afterMs: 0 }] } = options;
    let cancelledAt: number | undefined;
    const timers: NodeJS.Timeout[] = [];
    const watch =
      cancelWhen &&
      setInterval(() => {
        if (cancelledAt !== undefined || !cancelWhen()) return;
        cancelledAt = performance.now();
        for (const { signal, afterMs } of cancelWith) timers.push(setTimeout(() => child.kill(signal), afterMs));
      }, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (watch) clearInterval(watch);
      for (const timer of timers) clearTimeout(timer);
      const endedAfterCancel = cancelledAt === undefined ? undefined : performance.now() - cancelledAt;
      resolve({
        exitCode: code ?? -1,
        stdout,
        stderr,
        ...(endedAfterCancel === undefined ? {} : { endedAfterCancel }),
      });
    });
  });
}

/**
 * The environment of a test process: PATH with pytest, and nothing of leakwatch's, the Actions runner's, or of the
 * test runner running these tests (Vitest's worker ids, NODE_OPTIONS).
 */
export function cleanEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !/^(INPUT_|GITHUB_|RUNNER_|LEAKWATCH_|PYTEST_|PYTHONPATH$|VITEST|TINYPOOL|NODE_OPTIONS$|MOCHA_|JEST_)/.test(name)
    ) {
      env[name] = value;
    }
  }
  return { ...env, PATH: inject('pytestPath'), PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

export interface ActionRun extends Finished {
  outputs: Record<string, string>;
  summary: string;
  /** The JSON report, when the action wrote one. */
  report: Report | undefined;
  /** The Actions runner's workflow commands the action printed: ::warning::, ::error::... */
  commands: WorkflowCommand[];
}

export interface ActionOptions {
  inputs: Record<string, string>;
  /** The workspace; the fixture suites live here. */
  workspace: string;
  eventName?: string;
  event?: object;
  env?: NodeJS.ProcessEnv;
  /** Cancels the step as soon as this says so, with `cancelWith`'s signals (a SIGTERM by default). */
  cancelWhen?: () => boolean;
  cancelWith?: readonly TimedSignal[];
  /** The `node` that runs the action; this one by default. */
  node?: string;
}

export async function runAction(options: ActionOptions): Promise<ActionRun> {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-action-'));
  const files = {
    output: path.join(temp, 'output'),
    summary: path.join(temp, 'summary.md'),
    event: path.join(temp, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(options.event ?? {}));
  const inputs = Object.fromEntries(
    Object.entries({ 'github-token': 'ghs_secret-token-for-tests', ...options.inputs }).map(([name, value]) => [
      `INPUT_${name.toUpperCase()}`,
      value,
    ]),
  );
  const env = cleanEnvironment({
    ...inputs,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_SERVER_URL: 'https://github.com',
    // Nothing may reach a real GitHub: without a fake API in a test, requests go to a closed port.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: temp,
    ...options.env,
  });
  const finished = await runProcess(options.node ?? process.execPath, [path.join(ROOT, 'dist/index.js')], {
    cwd: options.workspace,
    env,
    cancelWhen: options.cancelWhen,
    cancelWith: options.cancelWith,
  });
  const outputs = parseOutputs(readFileSync(files.output, 'utf8'));
  const reportPath = outputs.report;
  return {
    ...finished,
    outputs,
    summary: readFileSync(files.summary, 'utf8'),
    report: reportPath ? (JSON.parse(readFileSync(reportPath, 'utf8')) as Report) : undefined,
    commands: parseWorkflowCommands(finished.stdout),
  };
}

/** GITHUB_OUTPUT holds `name<<delimiter`, the value's lines, then the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

/** The message the step failed with (core.setFailed's error, which has no file), if it failed. */
export function failure(run: ActionRun): string | undefined {
  return run.commands.find((command) => command.command === 'error' && command.properties.file === undefined)?.message;
}

export interface WorkflowCommand {
  command: string;
  /** Annotation properties: title, file, line... */
  properties: Record<string, string>;
  message: string;
}

/**
 * The workflow commands the Actions runner would run from this output, as it reads them: `::cmd props::message` at a
 * line's start, the legacy `##[cmd props]message` anywhere in a line, and nothing between `::stop-commands::TOKEN`
 * and `::TOKEN::` but that closing line.
 */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stoppedUntil: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (stoppedUntil !== undefined) {
      if (line.trim() === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const modern = /^\s*::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    const legacy = modern ? null : /##\[([\w-]+)(?: ([^\]]*))?\](.*)$/.exec(line);
    const match = modern ?? legacy;
    if (!match) continue;
    const command = {
      command: match[1] ?? '',
      properties: Object.fromEntries(
        (match[2] ?? '')
          .split(modern ? ',' : ';')
          .filter(Boolean)
          .map((property) => {
            const [name = '', ...value] = property.split('=');
            return [name, decodeCommandData(value.join('='))];
          }),
      ),
      message: decodeCommandData(match[3] ?? ''),
    };
    if (command.command === 'stop-commands') stoppedUntil = command.message;
    commands.push(command);
  }
  return commands;
}

/** Undoes @actions/core's escaping of workflow command data and properties. */
function decodeCommandData(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return runProcess(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd, env: cleanEnvironment(env) });
}
