/** The one job the action and the CLI share: run the test command with memory measured per test, and judge it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os, { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, tracedRuns, type TracedRun } from './analyze.js';
import { TIMED_OUT, runInShell } from './command.js';
import {
  CANCELLED_BEFORE,
  CANCELLED_WHILE,
  MAX_CONFIRMED,
  applyConfirmations,
  judge,
  sortOut,
  suspectsOf,
  type Recorded,
  type RunsAlone,
  withTraces,
} from './confirm.js';
import { detectRunner, readPackageScripts } from './detect-runner.js';
import { printable } from './format/terminal.js';
import { injectionEnvironment } from './inject.js';
import { isWithin } from './preload/nesting.js';
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
  const context: Confirming = {
    settings,
    runner,
    baseDirectory,
    limits: { runMs, capMs, deadline: confirming + capMs, cancel, log },
    starts: 0,
    tracing: new Set(),
    traces: new Map(),
  };
  const chosen = suspects.slice(0, MAX_CONFIRMED);
  for (const test of suspects.slice(MAX_CONFIRMED)) {
    results.set(test.id, `not run again: only the ${MAX_CONFIRMED} largest suspects are`);
  }
  const asked = settings.confirmRuns;
  await confirmTogether(chosen, asked, results, context);
  // Runs that disagree get one more try, of MAX_CONFIRM_RUNS runs each, together again.
  const unstable = chosen.filter((test) => {
    const result = results.get(test.id);
    return typeof result === 'object' && judge(result, asked, settings.limit).verdict === 'unstable';
  });
  const timeLeft = !cancel?.aborted && performance.now() < context.limits.deadline;
  const retried = asked < MAX_CONFIRM_RUNS && timeLeft ? unstable : [];
  for (const test of suspects) {
    const disagree = retried.includes(test) ? `: these disagree, running it ${MAX_CONFIRM_RUNS} times` : '';
    logRuns(log, test, results.get(test.id), disagree);
  }
  if (cancel?.aborted) return cancelled(report, results, suspects, cancel, log);
  if (retried.length > 0) {
    const more = new Map<string, RunsAlone | string>();
    await confirmTogether(retried, MAX_CONFIRM_RUNS, more, context);
    for (const test of retried) {
      const result = more.get(test.id);
      if (typeof result === 'object' && result.runs.length >= 2) results.set(test.id, result);
      logRuns(log, test, results.get(test.id));
    }
  }
  if (cancel?.aborted) return cancelled(report, results, suspects, cancel, log);
  const took = (performance.now() - confirming) / 1000;
  const starts = context.starts === 1 ? '1 start' : `${context.starts} starts`;
  log(`leakwatch: confirming took ${took.toFixed(1)} s, the suite ${(suiteMs / 1000).toFixed(1)} s (${starts})`);
  const confirmed = await traceLeaks(applyConfirmations(report, results), context, took);
  const warnings = [...confirmed.warnings, ...context.tracing];
  if (cancel?.aborted) {
    log(`leakwatch: cancelled (${String(cancel.reason)}): publishing what was measured, without all the leaks' sites`);
    return { ...confirmed, warnings, cancelled: true };
  }
  return { ...confirmed, warnings };
}

/**
 * Where each confirmed leak's memory was allocated, from one more start of the command after the runs alone, so that
 * tracing cannot touch their figures: among them, a traced run changed the next suspects' (its bookkeeping left free
 * memory that their leaks reused unseen). Each leak runs once to warm up, then once traced (src/preload/tracer.ts,
 * python/leakwatch_pytest.py's Tracer).
 */
async function traceLeaks(report: Report, context: Confirming, confirmingSeconds: number): Promise<Report> {
  const leaks = report.tests.filter((test) => test.verdict === 'leak');
  const { settings, limits } = context;
  const timeoutMs = Math.min(limits.runMs, limits.deadline - performance.now());
  if (settings.trace === 'off' || leaks.length === 0 || limits.cancel?.aborted) return report;
  if (timeoutMs <= 0) {
    const which = leaks.length === 1 ? 'the leak' : `the ${leaks.length} leaks`;
    context.tracing.add(
      `no time was left to trace where ${which}' memory was allocated: confirming took it all, so they have no sites`,
    );
    return withTraces(report, context.traces);
  }
  const started = performance.now();
  // Tracing at most doubles confirming: the traced runs of a process stop once they took as long (pytest).
  await runTogether(leaks, 2, context, timeoutMs, {
    LEAKWATCH_TRACE: 'last-run',
    LEAKWATCH_TRACE_BUDGET: confirmingSeconds.toFixed(3),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const traced = withTraces(report, context.traces);
  const placed = traced.tests.filter((test) => test.sites.length > 0).length;
  limits.log(
    `leakwatch: traced the allocations of ${leaks.length === 1 ? '1 leak' : `${leaks.length} leaks`} in ${seconds} s: ${placed} with sites`,
  );
  return traced;
}

function logRuns(
  log: (line: string) => void,
  test: TestResult,
  result: RunsAlone | string | undefined,
  tail = '',
): void {
  // An id could hold a line break and a workflow command after it: control characters are shown as escapes.
  if (result !== undefined) log(`leakwatch: ${printable(test.id)}: ${describeRuns(result)}${tail}`);
}

/** What the command gets, after the first cancelling signal, to end by itself before it is killed. */
const CANCEL_GRACE_MS = 2000;

/**
 * How long one start of runs alone may take before it is taken for hung (far longer than the whole suite did, at
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
  /** How long one start of runs alone may take. */
  runMs: number;
  /** How long all confirming may take, and when it stops (performance.now()). */
  capMs: number;
  deadline: number;
  cancel: AbortSignal | undefined;
  log: (line: string) => void;
}

interface Confirming {
  settings: MeasureSettings;
  runner: Runner;
  baseDirectory: string;
  limits: ConfirmLimits;
  /** Starts of the command so far. */
  starts: number;
  /** Why tracing allocations stopped in runs alone, as the tracers said. */
  tracing: Set<string>;
  /** What each traced run saw, by test id. */
  traces: Map<string, TracedRun>;
}

/**
 * Runs each of `tests` alone `asked` times in a row, all in one start of the command as far as their runs' memory fits
 * in free memory, and puts what each got in `results`. One whose runs fall short there gets a start of its own, and
 * the ones the command did not reach run together again (see sortOut); until the cap, which leaves short runs as they
 * are and the rest not run. A cancel stops at once: the suspect it stopped is CANCELLED_WHILE, the rest get nothing.
 */
async function confirmTogether(
  tests: readonly TestResult[],
  asked: number,
  results: Map<string, RunsAlone | string>,
  context: Confirming,
): Promise<void> {
  const { limits } = context;
  const byId = new Map(tests.map((test) => [test.id, test]));
  let together = [...tests];
  const ownStart: TestResult[] = [];
  while (together.length > 0 || ownStart.length > 0) {
    if (limits.cancel?.aborted) return;
    const timeoutMs = Math.min(limits.runMs, limits.deadline - performance.now());
    if (timeoutMs <= 0) break;
    const fit = fitInFreeMemory(together, asked, os.freemem());
    for (const test of fit.tooLarge) {
      results.set(
        test.id,
        `not run again: ${asked} runs keeping ${formatSize(test.delta)} each would not fit in free memory`,
      );
    }
    together = fit.left;
    const batch = fit.batch.length > 0 ? fit.batch : ownStart.splice(0, 1);
    if (batch.length === 0) continue;
    const recorded = await runTogether(batch, asked, context, timeoutMs);
    const sorted = sortOut([...recorded.keys()], recorded, asked);
    for (const [id, got] of recorded) {
      const before = results.get(id);
      const ran = got.runs.length > 0 || got.unfinished;
      if (limits.cancel?.aborted && got.runs.length < asked) {
        if (got.unfinished && before === undefined) results.set(id, CANCELLED_WHILE);
      } else if (
        (ran || sorted.settled.includes(id)) &&
        // What a start of its own got replaces what it got with the others, unless that was more.
        (typeof before !== 'object' || got.runs.length >= before.runs.length)
      ) {
        results.set(id, { runs: got.runs, problem: got.problem });
      }
    }
    for (const id of sorted.ownStart) {
      const result = results.get(id);
      const freed = recorded.get(id)?.disturbed === true ? ', more freed than it held' : '';
      const got = typeof result === 'object' ? describeRuns(result) + freed : 'not run';
      limits.log(
        `leakwatch: ${printable(id)}: with the other suspects, ${got}; running it again in a start of its own`,
      );
    }
    ownStart.push(...sorted.ownStart.flatMap((id) => byId.get(id) ?? []));
    together.push(...sorted.together.flatMap((id) => byId.get(id) ?? []));
  }
  for (const test of [...together, ...ownStart]) {
    if (!results.has(test.id))
      results.set(test.id, `not run again: confirming stopped after ${seconds(limits.capMs)} s, the cap`);
  }
}

/**
 * The tests whose runs, kept in one process, fit in free memory together (largest first, as given), the ones left
 * for another start, and the ones too large to run even on their own. A subtest of a test in the batch is left for
 * another start too: each run of the test it is in would run it once more.
 */
export function fitInFreeMemory<Test extends { delta: number; file: string; titles: string[] | null }>(
  tests: readonly Test[],
  asked: number,
  free: number,
): { batch: Test[]; left: Test[]; tooLarge: Test[] } {
  const fit = { batch: [] as Test[], left: [] as Test[], tooLarge: [] as Test[] };
  let total = 0;
  for (const test of tests) {
    const needs = Math.max(0, test.delta) * asked;
    const nested = fit.batch.some((other) => isWithin(test, other) || isWithin(other, test));
    if (needs > free) fit.tooLarge.push(test);
    else if (total + needs > free || nested) fit.left.push(test);
    else {
      fit.batch.push(test);
      total += needs;
    }
  }
  return fit;
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
      confirmRuns: settings.confirmRuns,
      trace: settings.trace,
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
 * Runs the suite's command again with the preloads told to run only `tests`, each `asked` times in a row: pytest
 * deselects the rest (and collects only their files, in one process), Node runners skip them (and start only their
 * files, one at a time). Its output is not shown; a cancel stops it at once. What it recorded of each, by id.
 */
async function runTogether(
  tests: readonly TestResult[],
  asked: number,
  context: Confirming,
  timeoutMs: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Map<string, Recorded & RunsAlone>> {
  const { settings, runner, baseDirectory, limits } = context;
  context.starts += 1;
  const targets = {
    runs: asked,
    tests: tests.map((test) => ({ id: test.id, file: path.resolve(baseDirectory, test.file), titles: test.titles })),
  };
  const suite = await runMeasured(
    settings,
    runner,
    baseDirectory,
    { LEAKWATCH_CONFIRM: JSON.stringify(targets), ...extraEnv },
    { cancel: limits.cancel, graceMs: 0, quiet: { timeoutMs } },
  );
  const alone = analyze({ ...suite, confirmRuns: 0 });
  const traces = tracedRuns(suite.runs, baseDirectory, settings.workingDirectory);
  for (const [id, trace] of traces) {
    context.traces.set(id, trace);
    if (trace.stopped !== null) context.tracing.add(trace.stopped);
  }
  return new Map(
    tests.map((test) => {
      const own = alone.tests.filter((run) => run.id === test.id);
      const runs = own.map(({ delta, heapDelta, externalDelta, outcome, allocatedBlocks }) => ({
        delta,
        heapDelta,
        externalDelta,
        outcome,
        allocatedBlocks,
      }));
      const unfinished = alone.incomplete.some((run) => run.id === test.id);
      const problem =
        runs.length < asked ? whyStoppedShort(runs.length, asked, suite.exitCode, timeoutMs, unfinished) : null;
      const disturbed = alone.tests.some(
        (run) => run.id === test.id && (run.disturbed || freedMuch(run, settings.limit)),
      );
      return [test.id, { runs, unfinished, disturbed, problem }];
    }),
  );
}

/** A run alone that freed more than a quarter of the limit, in all or in part: more than it could have held alone. */
function freedMuch(run: TestResult, limit: number): boolean {
  return [run.delta, run.heapDelta, run.externalDelta].some((delta) => delta !== null && delta < -limit / 4);
}

/** Why runs alone stopped short. Leakwatch's own kill on a hang comes first: it also leaves the test unfinished. */
function whyStoppedShort(
  done: number,
  asked: number,
  exitCode: number,
  timeoutMs: number,
  unfinished: boolean,
): string {
  if (exitCode === TIMED_OUT) {
    return `leakwatch stopped it after ${seconds(timeoutMs)} s, on run ${done + 1} of ${asked} alone`;
  }
  if (unfinished) return `its process died on run ${done + 1} alone`;
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
