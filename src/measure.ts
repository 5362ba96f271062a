/** The one job the action and the CLI share: run the test command with memory measured per test, and judge it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { runInShell } from './command.js';
import { injectionEnvironment } from './inject.js';
import { readRecordsDirectory } from './records.js';
import type { Report } from './report.js';
import { sampleProcessTree, type TreeSampler } from './process-tree.js';
import type { MeasureSettings } from './settings.js';

const SAMPLE_INTERVAL_MS = 500;

/** The preloads ship beside the bundle, in dist/python. */
const PYTHON_DIRECTORY = fileURLToPath(new URL('./python/', import.meta.url));

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
    const env = injectionEnvironment(process.env, {
      runner: settings.runner,
      recordsDirectory,
      limit: settings.limit,
      pythonDirectory: PYTHON_DIRECTORY,
    });
    let sampler: TreeSampler | undefined;
    const exitCode = await runInShell(settings.command, {
      cwd: settings.workingDirectory,
      env,
      onStart: (pid) => (sampler = sampleProcessTree(pid, SAMPLE_INTERVAL_MS)),
    });
    const tree = (await sampler?.stop()) ?? { peak: null, lastSeen: new Map<number, number>() };
    return analyze({
      runs: await readRecordsDirectory(recordsDirectory),
      command: settings.command,
      runner: settings.runner,
      limit: settings.limit,
      ignore: settings.ignore,
      exitCode,
      tree,
      baseDirectory,
      toolVersion: toolVersion(),
    });
  } finally {
    await rm(recordsDirectory, { recursive: true, force: true });
  }
}
