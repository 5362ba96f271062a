/** The one job the action and the CLI share: run the test command with memory measured per test, and judge it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os, { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { TIMED_OUT, runInShell } from './command.js';
import {
  CANCELLED_BEFORE,
  CANCELLED_WHILE,
  MAX_CONFIRMED,
  applyConfirmations,
  judge,
  suspectsOf,
  type RunsAlone,
} from './confirm.js';
import { detectRunner, readPackageScripts } from './detect-runner.js';
import { printable } from './format/terminal.js';
import { injectionEnvironment } from './inject.js';
import { findTestLine } from './locate-test.js';
import { readRecordsDirectory, type ProcessRun } from './records.js';
import type { Report, TestResult } from './report.js';
import { sampleProcessTree, type TreeSampler } from './process-tree.js';
import { MAX_CONFIRM_RUNS, type MeasureSettings, type Runner } from './settings.js';
import { formatSize } from './size.js';

const SAMPLE_INTERVAL_MS = 500;

/** The preloads ship beside the bundle, in dist/python and dist/preload. */
const PYTHON_DIRECTORY = fileURLToPath(new URL('./python/', import.meta.url));
const NODE_PRELOAD = fileURLToPath(new URL('./preload/node.cjs', import.meta.url));

export function toolVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}

/**
 * Runs `settings.command` and reports on every test it ran, then runs each suspect again alone to confirm it. Test
 * files in the report are relative to `baseDirectory`. The command's output goes straight to ours; `log` tells of
 * the confirmation, whose runs' output is not shown. When `cancel` aborts (its reason a signal's name), the command
 * is stopped, nothing more is run, and the report is what was measured, marked `cancelled`.
 */
export async function measure(
  settings: MeasureSettings,
  baseDirectory: string,
  log: (line: string) => void,
  cancel?: AbortSignal,
): Promise<Report> {
  const runner = resolveRunner(settings);
  const started = performance.now();
  const suite = await runMeasured(settings, runner, baseDirectory, {}, { cancel, graceMs: CANCEL_GRACE_MS });
  const suiteMs = performance.now() - started;
  const report = analyze({ ...suite, confirmRuns: settings.confirmRuns });
  const suspects = settings.confirmRuns === 0 ? [] : suspectsOf(report);
  const results = new Map<string, RunsAlone | string>();
  if (cancel?.aborted) {
    return { ...cancelled(report, results, suspects, cancel, log), exitCode: stopped(report, cancel) };
  }
  if (suspects.length === 0) return report;
  const count = suspects.length === 1 ? '1 suspect' : `${suspects.length} suspects`;
  log(`leakwatch: running ${count} again alone, ${settings.confirmRuns} times each, to confirm`);
  const { runMs, capMs } = confirmationTimeouts(suiteMs, process.env);
  const confirming = performance.now();
  const deadline = confirming + capMs;
  for (const [index, test] of suspects.entries()) {
    if (cancel?.aborted) return cancelled(report, results, suspects, cancel, log);
    const result =
      index >= MAX_CONFIRMED
        ? `not run again: only the ${MAX_CONFIRMED} largest suspects are`
        : performance.now() >= deadline
          ? `not run again: confirming stopped after ${seconds(capMs)} s, the cap`
          : await confirmOne(test, settings, runner, baseDirectory, { runMs, deadline, cancel, log });
    results.set(test.id, result);
    // An id could hold a line break and a workflow command after it: control characters are shown as escapes.
    log(`leakwatch: ${printable(test.id)}: ${describeRuns(result)}`);
  }
  const took = (performance.now() - confirming) / 1000;
  log(`leakwatch: confirming took ${took.toFixed(1)} s, the suite ${(suiteMs / 1000).toFixed(1)} s`);
  return applyConfirmations(report, results);
}

/** What the command gets, after the first cancelling signal, to end by itself before it is killed. */
const CANCEL_GRACE_MS = 2000;

/**
 * How long one process of runs alone may take before it is taken for hung (far longer than the whole suite did, at
 * least a minute), and all confirming together (the suite's own duration, at least 2 minutes). The environment's
 * LEAKWATCH_CONFIRM_TIMEOUT_MS and LEAKWATCH_CONFIRM_CAP_MS set them, for leakwatch's own tests.
 */
export function confirmationTimeouts(suiteMs: number, env: NodeJS.ProcessEnv): { runMs: number; capMs: number } {
  const given = (value: string | undefined): number | undefined =>
    value !== undefined && Number(value) > 0 ? Number(value) : undefined;
  return {
    runMs: given(env.LEAKWATCH_CONFIRM_TIMEOUT_MS) ?? Math.max(60_000, 3 * suiteMs),
    capMs: given(env.LEAKWATCH_CONFIRM_CAP_MS) ?? Math.max(120_000, suiteMs),
  };
}

/** The report as far as it got, marked cancelled: the suspects not yet run alone are unconfirmed, and say why. */
function cancelled(
  report: Report,
  results: Map<string, RunsAlone | string>,
  suspects: readonly TestResult[],
  cancel: AbortSignal,
  log: (line: string) => void,
): Report {
  const signal = String(cancel.reason);
  const left = suspects.filter((test) => !results.has(test.id));
  for (const test of left) results.set(test.id, CANCELLED_BEFORE);
  const skipped =
    left.length === 0 ? '' : `, without confirming ${left.length === 1 ? '1 suspect' : `${left.length} suspects`}`;
  log(`leakwatch: cancelled (${signal}): publishing what was measured${skipped}`);
  return { ...applyConfirmations(report, results), cancelled: true };
}

/**
 * The exit code of a command cancelled while it ran: its own, unless it exited 0 all the same (a runner that catches
 * the signal and stops early), which would pass for a finished suite: then 128 + the signal's number, as in bash.
 */
function stopped(report: Report, cancel: AbortSignal): number {
  const signal = constants.signals[cancel.reason as NodeJS.Signals] as number | undefined;
  return report.exitCode === 0 ? 128 + (signal ?? constants.signals.SIGINT) : report.exitCode;
}

interface ConfirmLimits {
  runMs: number;
  /** When all confirming stops (performance.now()). */
  deadline: number;
  cancel: AbortSignal | undefined;
  log: (line: string) => void;
}

/**
 * Runs a suspect alone `confirmRuns` times; when those runs disagree, once more, up to MAX_CONFIRM_RUNS times, and
 * judges those. A string says why it could not be run.
 */
async function confirmOne(
  test: TestResult,
  settings: MeasureSettings,
  runner: Runner,
  baseDirectory: string,
  limits: ConfirmLimits,
): Promise<RunsAlone | string> {
  const timeoutMs = (): number => Math.min(limits.runMs, limits.deadline - performance.now());
  const asked = settings.confirmRuns;
  const first = await runAlone(test, asked, settings, runner, baseDirectory, timeoutMs(), limits.cancel);
  if (limits.cancel?.aborted) return CANCELLED_WHILE;
  const unstable = typeof first !== 'string' && judge(first, asked, settings.limit).verdict === 'unstable';
  if (!unstable || asked >= MAX_CONFIRM_RUNS || timeoutMs() <= 0) return first;
  limits.log(
    `leakwatch: ${printable(test.id)}: ${describeRuns(first)}: these disagree, running it ${MAX_CONFIRM_RUNS} times`,
  );
  const more = await runAlone(test, MAX_CONFIRM_RUNS, settings, runner, baseDirectory, timeoutMs(), limits.cancel);
  return typeof more !== 'string' && more.runs.length >= 2 && !limits.cancel?.aborted ? more : first;
}

/** "30.0 MB, 29.8 MB, 30.1 MB", and why they stopped short if they did. */
function describeRuns(result: RunsAlone | string): string {
  if (typeof result === 'string') return result;
  const runs = result.runs.map((run) => formatSize(run.delta)).join(', ');
  return result.problem === null ? runs : `${runs || 'no run'}; ${result.problem}`;
}

/** Whole seconds, at least 1: "stopped after 0 s" would say nothing. */
function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** Runs the command with the preloads in, and gathers what they recorded; `extraEnv` steers them. */
async function runMeasured(
  settings: MeasureSettings,
  runner: Runner,
  baseDirectory: string,
  extraEnv: NodeJS.ProcessEnv,
  control: { cancel: AbortSignal | undefined; graceMs: number; quiet?: { timeoutMs: number } },
) {
  const recordsDirectory = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-'));
  try {
    const env = injectionEnvironment(process.env, {
      runner,
      recordsDirectory,
      limit: settings.limit,
      pythonDirectory: PYTHON_DIRECTORY,
      nodePreload: NODE_PRELOAD,
    });
    let sampler: TreeSampler | undefined;
    const exitCode = await runInShell(settings.command, {
      cwd: settings.workingDirectory,
      env: { ...env, ...extraEnv },
      onStart: (pid) => (sampler = sampleProcessTree(pid, SAMPLE_INTERVAL_MS)),
      ...(control.cancel === undefined ? {} : { cancel: control.cancel, graceMs: control.graceMs }),
      ...(control.quiet === undefined ? {} : { output: 'ignore', timeoutMs: control.quiet.timeoutMs }),
    });
    const tree = (await sampler?.stop()) ?? { peak: null, lastSeen: new Map<number, number>() };
    const { runs, rejected } = await readRecordsDirectory(recordsDirectory);
    await locateTests(runs);
    return {
      runs,
      rejectedRecords: rejected,
      command: settings.command,
      runner,
      limit: settings.limit,
      ignore: settings.ignore,
      exitCode,
      tree,
      baseDirectory,
      workingDirectory: settings.workingDirectory,
      toolVersion: toolVersion(),
    };
  } finally {
    await rm(recordsDirectory, { recursive: true, force: true });
  }
}

/**
 * Runs the suite's command again with the preloads told to run only `test`, `asked` times in a row: pytest deselects
 * the rest, Node runners skip them. Its output is not shown; a cancel stops it at once.
 */
async function runAlone(
  test: TestResult,
  asked: number,
  settings: MeasureSettings,
  runner: Runner,
  baseDirectory: string,
  timeoutMs: number,
  cancel: AbortSignal | undefined,
): Promise<RunsAlone | string> {
  if (test.delta * asked > os.freemem()) {
    return `not run again: ${asked} runs keeping ${formatSize(test.delta)} each would not fit in free memory`;
  }
  const target = { id: test.id, file: path.resolve(baseDirectory, test.file), titles: test.titles, runs: asked };
  const suite = await runMeasured(
    settings,
    runner,
    baseDirectory,
    { LEAKWATCH_CONFIRM: JSON.stringify(target) },
    { cancel, graceMs: 0, quiet: { timeoutMs } },
  );
  const alone = analyze({ ...suite, confirmRuns: 0 });
  const runs = alone.tests
    .filter((run) => run.id === test.id)
    .map(({ delta, heapDelta, externalDelta, outcome, allocatedBlocks }) => ({
      delta,
      heapDelta,
      externalDelta,
      outcome,
      allocatedBlocks,
    }));
  return {
    runs,
    problem:
      runs.length < asked ? whyStoppedShort(test.id, runs.length, asked, suite.exitCode, timeoutMs, alone) : null,
  };
}

/** Why runs alone stopped short. Leakwatch's own kill on a hang comes first: it also leaves the test unfinished. */
function whyStoppedShort(
  id: string,
  done: number,
  asked: number,
  exitCode: number,
  timeoutMs: number,
  alone: Report,
): string {
  if (exitCode === TIMED_OUT) {
    return `leakwatch stopped it after ${seconds(timeoutMs)} s, on run ${done + 1} of ${asked} alone`;
  }
  if (alone.incomplete.some((run) => run.id === id)) return `its process died on run ${done + 1} alone`;
  return `it ran ${done} of ${asked} times alone (the command exited with ${exitCode})`;
}

/** `auto` becomes the runner the command runs, when leakwatch can tell; else every runner is prepared. */
function resolveRunner(settings: MeasureSettings): Runner {
  if (settings.runner !== 'auto') return settings.runner;
  return detectRunner(settings.command, path.resolve(settings.workingDirectory), readPackageScripts) ?? 'auto';
}

/** Fills in the lines the runner did not tell, from each test file's source. */
async function locateTests(runs: readonly ProcessRun[]): Promise<void> {
  const sources = new Map<string, Promise<string | undefined>>();
  const source = (file: string): Promise<string | undefined> => {
    let text = sources.get(file);
    if (text === undefined) {
      text = readFile(file, 'utf8').catch(() => undefined);
      sources.set(file, text);
    }
    return text;
  };
  for (const run of runs) {
    for (const record of [...run.tests, ...run.unfinished]) {
      if (record.titles === undefined || record.line !== null) continue;
      const text = await source(path.resolve(run.header.rootdir, record.file));
      if (text !== undefined) record.line = findTestLine(text, record.titles);
    }
  }
}
