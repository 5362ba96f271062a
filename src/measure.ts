/** The one job the action and the CLI share: run the test command with memory measured per test, and judge it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { TIMED_OUT, runInShell } from './command.js';
import { MAX_CONFIRMED, applyConfirmations, suspectsOf, type RunsAlone } from './confirm.js';
import { detectRunner, readPackageScripts } from './detect-runner.js';
import { printable } from './format/terminal.js';
import { injectionEnvironment } from './inject.js';
import { findTestLine } from './locate-test.js';
import { readRecordsDirectory, type ProcessRun } from './records.js';
import type { Report, TestResult } from './report.js';
import { sampleProcessTree, type TreeSampler } from './process-tree.js';
import type { MeasureSettings, Runner } from './settings.js';
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
 * the confirmation, whose runs' output is not shown.
 */
export async function measure(
  settings: MeasureSettings,
  baseDirectory: string,
  log: (line: string) => void,
): Promise<Report> {
  const runner = resolveRunner(settings);
  const started = performance.now();
  const suite = await runMeasured(settings, runner, baseDirectory, {});
  const report = analyze({ ...suite, confirmRuns: settings.confirmRuns });
  if (settings.confirmRuns === 0) return report;
  // A run alone that takes far longer than the whole suite did has hung.
  const timeoutMs = Math.max(60_000, 3 * (performance.now() - started));
  const results = new Map<string, RunsAlone | string>();
  const suspects = suspectsOf(report);
  if (suspects.length === 0) return report;
  const count = suspects.length === 1 ? '1 suspect' : `${suspects.length} suspects`;
  log(`leakwatch: running ${count} again alone, ${settings.confirmRuns} times each, to confirm`);
  const confirming = performance.now();
  for (const [index, test] of suspects.entries()) {
    const result =
      index >= MAX_CONFIRMED
        ? `not run again: only the ${MAX_CONFIRMED} largest suspects are`
        : await runAlone(test, settings, runner, baseDirectory, timeoutMs);
    results.set(test.id, result);
    // An id could hold a line break and a workflow command after it: control characters are shown as escapes.
    const runs = typeof result === 'string' ? result : result.runs.map((run) => formatSize(run.delta)).join(', ');
    log(`leakwatch: ${printable(test.id)}: ${runs}`);
  }
  const seconds = (performance.now() - confirming) / 1000;
  log(`leakwatch: confirming took ${seconds.toFixed(1)} s, the suite ${((confirming - started) / 1000).toFixed(1)} s`);
  return applyConfirmations(report, results);
}

/** Runs the command with the preloads in, and gathers what they recorded; `extraEnv` steers them. */
async function runMeasured(
  settings: MeasureSettings,
  runner: Runner,
  baseDirectory: string,
  extraEnv: NodeJS.ProcessEnv,
  quiet?: { timeoutMs: number },
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
      ...(quiet === undefined ? {} : { output: 'ignore', timeoutMs: quiet.timeoutMs }),
    });
    const tree = (await sampler?.stop()) ?? { peak: null, lastSeen: new Map<number, number>() };
    const runs = await readRecordsDirectory(recordsDirectory);
    await locateTests(runs);
    return {
      runs,
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
 * Runs the suite's command again with the preloads told to run only `test`, `settings.confirmRuns` times in a row:
 * pytest deselects the rest, Node runners skip them. Its output is not shown.
 */
async function runAlone(
  test: TestResult,
  settings: MeasureSettings,
  runner: Runner,
  baseDirectory: string,
  timeoutMs: number,
): Promise<RunsAlone | string> {
  const asked = settings.confirmRuns;
  if (test.delta * asked > os.freemem()) {
    return `not run again: ${asked} runs keeping ${formatSize(test.delta)} each would not fit in free memory`;
  }
  const target = { id: test.id, file: path.resolve(baseDirectory, test.file), titles: test.titles, runs: asked };
  const suite = await runMeasured(
    settings,
    runner,
    baseDirectory,
    { LEAKWATCH_CONFIRM: JSON.stringify(target) },
    { timeoutMs },
  );
  const alone = analyze({ ...suite, confirmRuns: 0 });
  const runs = alone.tests
    .filter((run) => run.id === test.id)
    .map(({ delta, outcome, allocatedBlocks }) => ({ delta, outcome, allocatedBlocks }));
  let problem: string | null = null;
  if (alone.incomplete.some((run) => run.id === test.id)) {
    problem = `its process died on run ${runs.length + 1} alone`;
  } else if (runs.length < asked) {
    problem =
      suite.exitCode === TIMED_OUT
        ? `it ran ${runs.length} of ${asked} times alone before leakwatch stopped it after ${Math.round(timeoutMs / 1000)} s`
        : `it ran ${runs.length} of ${asked} times alone (the command exited with ${suite.exitCode})`;
  }
  return { runs, problem };
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
