/**
 * Vitest takes setup files only from its configuration, and `--reporter` or `--setupFiles`-like flags would replace
 * what the project configured. So, in the Vitest process itself, leakwatch points `--config` at a small generated
 * configuration that loads the project's own (the one Vitest would have found, or the one given with --config) and
 * puts one setup file before the project's. In every worker, that setup file's beforeEach hook runs before all
 * others, and registers an onTestFinished callback, which Vitest calls after all afterEach hooks.
 */
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { confirmTargets, isTarget, withoutOption, type ConfirmTargets } from './confirm.js';
import { Recorder, packageVersion } from './recorder.js';

/** As Vitest looks for them, in each directory from the root up. */
const CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) =>
  ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((extension) => name + extension),
);

/** Vitest 3 reads projects from one of these beside the configuration, which is no longer beside it. */
const WORKSPACE_FILES = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'].map((ext) => `vitest.workspace${ext}`);

const VITEST_CLI = /[\\/]vitest[\\/]vitest\.mjs$/;

/** In Vitest's own process: adds `--config <generated>` to its arguments. */
export function hookVitestCli(preloadFile: string): void {
  const script = realScript();
  if (!VITEST_CLI.test(script)) return;
  const args = process.argv.slice(2);
  const given = takeOption(args, ['--config', '-c']);
  if (given === 'false') return; // --no-config: nothing to extend, and no way to add a setup file
  const root = path.resolve(takeOption([...args], ['--root', '-r']) ?? '.');
  const userConfig = given === undefined ? findConfig(root) : resolveConfig(given, root);
  const version = packageVersion(path.dirname(script));
  if (Number.parseInt(version, 10) < 3) {
    new Recorder('vitest', version, 'main').unsupported(
      `Vitest ${version} is not supported: leakwatch measures Vitest 3 and 4`,
    );
    return;
  }
  // Bare imports in the generated files (vitest, and the project's own config's) must resolve from the project.
  const directory = path.join(
    nearestNodeModules(userConfig ?? path.join(root, 'index'), script),
    '.cache',
    'leakwatch',
  );
  mkdirSync(directory, { recursive: true });
  const base = path.join(directory, `vitest-${process.pid}`);
  const setupFile = `${base}.setup.mjs`;
  const configFile = `${base}.config.mjs`;
  writeFileSync(
    setupFile,
    [
      "import { beforeAll, beforeEach } from 'vitest';",
      "import { createRequire } from 'node:module';",
      `createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).hookVitestWorker(beforeEach, beforeAll);`,
      '',
    ].join('\n'),
  );
  const workspace = Number.parseInt(version, 10) < 4 ? findWorkspace(userConfig, root) : undefined;
  writeFileSync(configFile, generatedConfig(userConfig, setupFile, workspace, preloadFile));
  process.on('exit', () => {
    rmSync(setupFile, { force: true });
    rmSync(configFile, { force: true });
  });
  // Before a `--`, after which Vitest reads no options.
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  // Confirming, a `--shard` goes: the suspects ran in this shard already, and their files alone would be sharded anew.
  const options = confirmTargets === undefined ? args.slice(0, end) : withoutOption(args.slice(0, end), '--shard');
  process.argv = [
    ...process.argv.slice(0, 2),
    ...options,
    '--config',
    configFile,
    ...confirmFilter(),
    ...args.slice(end),
  ];
  process.env.LEAKWATCH_VITEST_VERSION = version;
}

/**
 * Confirming: the suspects' file names as filters, so that Vitest starts no other file (with filters of the project's
 * own, which chose those files already, Vitest runs what matches any of them), one file at a time. Each file still gets
 * a fresh module state of its own (forks pool: a process; threads: a worker), unless the project turned isolation off.
 */
function confirmFilter(): string[] {
  if (confirmTargets === undefined) return [];
  return ['--no-file-parallelism', ...new Set(confirmTargets.tests.map((test) => path.basename(test.file)))];
}

/** node_modules/.bin/vitest is a link to vitest.mjs (or, on Windows, a shim that runs it). */
function realScript(): string {
  try {
    return realpathSync(process.argv[1] ?? '');
  } catch {
    return '';
  }
}

function generatedConfig(
  userConfig: string | undefined,
  setupFile: string,
  workspace: string | undefined,
  preloadFile: string,
): string {
  return [
    "import { createRequire } from 'node:module';",
    userConfig === undefined ? 'const project = {};' : `import project from ${JSON.stringify(userConfig)};`,
    '',
    'const withSetup = (test = {}) => ({',
    '  ...test,',
    `  setupFiles: [${JSON.stringify(setupFile)}, ...[test.setupFiles ?? []].flat()],`,
    '});',
    '',
    'export default async (env) => {',
    "  const config = (await (typeof project === 'function' ? project(env) : project)) ?? {};",
    '  const test = withSetup(config.test);',
    ...(workspace === undefined ? [] : [`  test.workspace ??= ${JSON.stringify(workspace)};`]),
    // Inline projects get the setup file too, unless they extend this configuration and so inherit it.
    '  for (const key of ["projects", "workspace"]) {',
    '    if (!Array.isArray(test[key])) continue;',
    '    test[key] = test[key].map((inline) =>',
    "      inline && typeof inline === 'object' && inline.extends !== true",
    '        ? { ...inline, test: withSetup(inline.test) }',
    '        : inline,',
    '    );',
    // Projects named by their files (or globs of them) load their own configurations, which no setup file reaches.
    "    const inFiles = test[key].filter((entry) => typeof entry === 'string');",
    '    if (inFiles.length > 0) {',
    `      createRequire(import.meta.url)(${JSON.stringify(preloadFile)}).vitestProjectsInFiles(inFiles);`,
    '    }',
    '  }',
    '  return { ...config, test };',
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

/** As Vitest 4 does: a package's name first (a shared configuration), else a path. */
function resolveConfig(given: string, root: string): string {
  try {
    return createRequire(path.join(root, 'index.js')).resolve(given);
  } catch {
    return path.resolve(root, given);
  }
}

function findWorkspace(userConfig: string | undefined, root: string): string | undefined {
  const directory = userConfig === undefined ? root : path.dirname(userConfig);
  return WORKSPACE_FILES.map((name) => path.join(directory, name)).find((file) => existsSync(file));
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
  type?: string;
  name: string;
  mode?: string;
  repeats?: number;
  tasks?: VitestTask[];
  filepath?: string;
  concurrent?: boolean;
  suite?: VitestTask;
  file?: { filepath: string };
  location?: { line: number };
  result?: { state?: string; retryCount?: number };
}

interface TestContext {
  task: VitestTask;
  onTestFinished(callback: () => Promise<void> | undefined): void;
}

/** From the generated configuration, in Vitest's own process: projects leakwatch cannot reach. */
export function vitestProjectsInFiles(projects: readonly string[]): void {
  const version = process.env.LEAKWATCH_VITEST_VERSION ?? 'unknown';
  new Recorder('vitest', version, 'main').unsupported(
    `Vitest ${version} projects defined in files of their own (${projects.join(', ')}) are not supported: leakwatch ` +
      "reaches only projects written inline in the configuration's test.projects",
  );
}

let recorder: Recorder | undefined;
/** The test started last, until its onTestFinished callback. */
let unfinished: VitestTask | undefined;

/** In each Vitest worker, from the generated setup file: once per test file. */
export function hookVitestWorker(
  beforeEach: (listener: (context: TestContext) => void) => void,
  beforeAll: (listener: () => void) => void,
): void {
  recorder ??= new Recorder('vitest', process.env.LEAKWATCH_VITEST_VERSION ?? 'unknown', workerName());
  const active = recorder;
  const targets = confirmTargets;
  // Vitest 3 passes the file's suite first, Vitest 4 second (and reads the first parameter of a hook that declares
  // one as fixtures): the hook declares none.
  beforeAll(function () {
    // eslint-disable-next-line prefer-rest-params -- a rest parameter would be a declared one
    const file = [...arguments].find((arg): arg is VitestTask => Array.isArray((arg as VitestTask | undefined)?.tasks));
    if (file === undefined) return;
    if (targets !== undefined) keepOnlyTargets(targets, file);
    else active.collected(countTests(file), file.filepath);
  });
  // Vitest reads a hook's first parameter as the fixtures it asks for, and refuses one that is not destructured when a
  // test uses test.extend's fixtures: this hook declares none, and takes the context from its arguments.
  beforeEach(function () {
    // eslint-disable-next-line prefer-rest-params -- a rest parameter would be a declared one
    const context = arguments[0] as TestContext;
    const { task } = context;
    // Vitest 3.0 calls no onTestFinished callback for a test that skipped itself (context.skip()): forgotten here,
    // else the tests after it would seem to overlap it.
    if (unfinished !== undefined && unfinished.result?.state === 'skip') active.forget(unfinished);
    unfinished = task;
    const identity = { titles: titles(task), file: task.file?.filepath ?? '', line: task.location?.line ?? null };
    active.start(task, identity, { concurrent: task.concurrent === true, attempt: task.result?.retryCount ?? 0 });
    // Vitest waits for the promise of a test whose figure waits for the event loop to turn.
    context.onTestFinished(() => {
      unfinished = undefined;
      const state = task.result?.state;
      if (state !== 'skip' && state !== 'todo') return active.finish(task, state === 'fail' ? 'failed' : 'passed');
      active.forget(task);
      return undefined;
    });
  });
}

/** The tests of a file that Vitest will run: its filters (-t, .only, .skip) have marked the others skipped already. */
function countTests(task: VitestTask): number {
  if (task.mode === 'skip' || task.mode === 'todo') return 0;
  if (task.tasks === undefined) return 1;
  return task.tasks.reduce((sum, child) => sum + countTests(child), 0);
}

/**
 * Confirming: every test but the targets is skipped, and so is every describe block without one (their hooks then do
 * not run); each target repeats for the runs asked, each repetition with its own hooks and readings.
 */
function keepOnlyTargets(targets: ConfirmTargets, file: VitestTask): void {
  const visit = (task: VitestTask): boolean => {
    if (task.type === 'suite') {
      const holdsTarget = (task.tasks ?? []).map(visit).some(Boolean);
      if (!holdsTarget) task.mode = 'skip';
      return holdsTarget;
    }
    const wanted = isTarget(targets, file.filepath ?? '', titles(task));
    if (wanted) task.repeats = targets.runs - 1;
    else task.mode = 'skip';
    return wanted;
  };
  for (const task of file.tasks ?? []) visit(task);
}

function titles(task: VitestTask): string[] {
  const names = [task.name];
  // A file's top-level tests and describe blocks have the file itself as their suite (or none).
  for (let suite = task.suite; suite !== undefined && !('filepath' in suite); suite = suite.suite) {
    names.unshift(suite.name);
  }
  return names;
}

function workerName(): string {
  const id = process.env.VITEST_POOL_ID;
  return id === undefined ? 'main' : `worker ${id}`;
}
