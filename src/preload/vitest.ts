/**
 * Vitest takes setup files only from its configuration, and `--reporter` or `--setupFiles`-like flags would replace
 * what the project configured. So, in the Vitest process itself, leakwatch points `--config` at a small generated
 * configuration that loads the project's own (the one Vitest would have found, or the one given with --config) and
 * appends one setup file. That setup file registers a beforeEach hook (which runs before the project's own) and an
 * afterEach hook (which, as Vitest runs afterEach hooks in reverse, runs after them) in every worker.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Recorder } from './recorder.js';

/** As Vitest looks for them, in each directory from the root up. */
const CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) =>
  ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((extension) => name + extension),
);

const VITEST_CLI = /[\\/]vitest[\\/]vitest\.mjs$/;

/** In Vitest's own process: adds `--config <generated>` to its arguments. */
export function hookVitestCli(preloadFile: string): void {
  const script = realScript();
  if (!VITEST_CLI.test(script)) return;
  const args = process.argv.slice(2);
  const given = takeOption(args, ['--config', '-c']);
  if (given === 'false') return; // --no-config: nothing to extend, and no way to add a setup file
  const root = path.resolve(takeOption([...args], ['--root', '-r']) ?? '.');
  const userConfig = given === undefined ? findConfig(root) : path.resolve(root, given);
  // Bare imports in the generated files (vitest, and the project's own config's) must resolve from the project.
  const directory = path.join(nearestNodeModules(userConfig ?? root, script), '.cache', 'leakwatch');
  mkdirSync(directory, { recursive: true });
  const base = path.join(directory, `vitest-${process.pid}`);
  const setupFile = `${base}.setup.mjs`;
  const configFile = `${base}.config.mjs`;
  writeFileSync(
    setupFile,
    [
      "import { afterEach, beforeEach } from 'vitest';",
      "import { createRequire } from 'node:module';",
      `createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).hookVitestWorker(beforeEach, afterEach);`,
      '',
    ].join('\n'),
  );
  writeFileSync(configFile, generatedConfig(userConfig, setupFile));
  process.on('exit', () => {
    rmSync(setupFile, { force: true });
    rmSync(configFile, { force: true });
  });
  process.argv = [...process.argv.slice(0, 2), ...args, '--config', configFile];
  process.env.LEAKWATCH_VITEST_VERSION = packageVersion(path.dirname(script));
}

/** node_modules/.bin/vitest is a link to vitest.mjs (or, on Windows, a shim that runs it). */
function realScript(): string {
  try {
    return realpathSync(process.argv[1] ?? '');
  } catch {
    return '';
  }
}

function generatedConfig(userConfig: string | undefined, setupFile: string): string {
  return [
    userConfig === undefined ? 'const project = {};' : `import project from ${JSON.stringify(userConfig)};`,
    '',
    'export default async (env) => {',
    "  const config = (await (typeof project === 'function' ? project(env) : project)) ?? {};",
    '  const test = config.test ?? {};',
    `  const setupFiles = [...[test.setupFiles ?? []].flat(), ${JSON.stringify(setupFile)}];`,
    '  return { ...config, test: { ...test, setupFiles } };',
    '};',
    '',
  ].join('\n');
}

/** Removes `--name value` or `--name=value` from args, returning the value. */
function takeOption(args: string[], names: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') return undefined;
    if (arg === '--no-config' && names.includes('--config')) return 'false';
    for (const name of names) {
      if (arg === name && index + 1 < args.length) return args.splice(index, 2)[1];
      if (arg.startsWith(`${name}=`)) return args.splice(index, 1)[0]?.slice(name.length + 1);
    }
  }
  return undefined;
}

function findConfig(root: string): string | undefined {
  for (let directory = root; ; directory = path.dirname(directory)) {
    const found = CONFIG_FILES.map((name) => path.join(directory, name)).find((file) => existsSync(file));
    if (found !== undefined) return found;
    if (path.dirname(directory) === directory) return undefined;
  }
}

/** The project's node_modules nearest to `from`, else the one Vitest runs from. */
function nearestNodeModules(from: string, vitestScript: string): string {
  for (let directory = path.dirname(from); ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) break;
  }
  return path.resolve(vitestScript, '..', '..');
}

interface VitestTask {
  name: string;
  concurrent?: boolean;
  suite?: VitestTask;
  file?: { filepath: string };
  location?: { line: number };
  result?: { state?: string };
}

type Hook = (listener: (context: { task: VitestTask }) => void) => void;

let recorder: Recorder | undefined;

/** In each Vitest worker, from the generated setup file: once per test file. */
export function hookVitestWorker(beforeEach: Hook, afterEach: Hook): void {
  recorder ??= new Recorder('vitest', vitestVersion(), workerName());
  const active = recorder;
  beforeEach(({ task }) => {
    const file = task.file?.filepath ?? '';
    active.start(task, { titles: titles(task), file, line: task.location?.line ?? null }, task.concurrent);
  });
  afterEach(({ task }) => {
    active.finish(task, task.result?.state === 'fail' ? 'failed' : 'passed');
  });
}

function titles(task: VitestTask): string[] {
  const names = [task.name];
  // A file's top-level tests and describe blocks have the file itself as their suite (or none).
  for (let suite = task.suite; suite !== undefined && !('filepath' in suite); suite = suite.suite) {
    names.unshift(suite.name);
  }
  return names;
}

/** Workers inherit it from the Vitest process, which knows where Vitest is. */
function vitestVersion(): string {
  return process.env.LEAKWATCH_VITEST_VERSION ?? 'unknown';
}

function packageVersion(directory: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function workerName(): string {
  const id = process.env.VITEST_POOL_ID;
  return id === undefined ? 'main' : `worker ${id}`;
}
