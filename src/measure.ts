/** The one job the action and the CLI share: run the test command with memory measured per test, and judge it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { runInShell } from './command.js';
import { detectRunner, readPackageScripts } from './detect-runner.js';
import { injectionEnvironment } from './inject.js';
import { findTestLine } from './locate-test.js';
import { readRecordsDirectory, type ProcessRun } from './records.js';
import type { Report } from './report.js';
import { sampleProcessTree, type TreeSampler } from './process-tree.js';
import type { MeasureSettings, Runner } from './settings.js';

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
 * Runs `settings.command` and reports on every test it ran. Test files in the report are relative to
 * `baseDirectory`. The command's output goes straight to ours.
 */
export async function measure(settings: MeasureSettings, baseDirectory: string): Promise<Report> {
  const recordsDirectory = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-'));
  try {
    const runner = resolveRunner(settings);
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
      env,
      onStart: (pid) => (sampler = sampleProcessTree(pid, SAMPLE_INTERVAL_MS)),
    });
    const tree = (await sampler?.stop()) ?? { peak: null, lastSeen: new Map<number, number>() };
    const runs = await readRecordsDirectory(recordsDirectory);
    await locateTests(runs);
    return analyze({
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
    });
  } finally {
    await rm(recordsDirectory, { recursive: true, force: true });
  }
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
