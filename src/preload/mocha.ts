/**
 * Mocha: a root hook plugin, loaded through MOCHA_OPTIONS so that it joins the project's own `--require`s and
 * .mocharc instead of replacing them. Root hooks run around every test, in --parallel workers too; once the test
 * files are loaded, leakwatch puts its beforeEach first and its afterEach last among them, so that the project's
 * own root hooks (from its plugins and its test files' top level) run inside the measured window.
 */
import { realpathSync } from 'node:fs';
import { confirmTargets, isTarget, type ConfirmTargets } from './confirm.js';
import { Recorder, packageVersion } from './recorder.js';

interface MochaTest {
  file?: string;
  state?: string;
  pending?: boolean;
  titlePath(): string[];
  currentRetry(): number;
  clone(): MochaTest;
}

interface MochaHook {
  fn?: unknown;
}

interface MochaSuite {
  pending?: boolean;
  _beforeEach?: MochaHook[];
  _afterEach?: MochaHook[];
  tests?: MochaTest[];
  suites?: MochaSuite[];
  _bail?: boolean;
}

interface HookContext {
  currentTest?: MochaTest;
  test?: { parent?: MochaSuite };
}

let recorder: Recorder | undefined;

function beforeEach(this: HookContext): void {
  const test = this.currentTest;
  if (test === undefined) return;
  recorder ??= new Recorder('mocha', mochaVersion(), workerName());
  const identity = { titles: test.titlePath(), file: test.file ?? '', line: null };
  recorder.start(test, identity, { attempt: test.currentRetry() });
}

/** Mocha waits for the promise of a test whose figure waits for the event loop to turn. */
function afterEach(this: HookContext): Promise<void> | undefined {
  const test = this.currentTest;
  if (test === undefined) return undefined;
  // `pending`: skipped from inside (this.skip()); no state: a beforeEach hook failed and the test never ran.
  if (test.state === 'pending') {
    recorder?.forget(test);
    return undefined;
  }
  return recorder?.finish(test, test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'error');
}

export const mochaHooks = {
  beforeAll(this: HookContext): void {
    const root = this.test?.parent;
    moveHook(root?._beforeEach, beforeEach, 'first');
    moveHook(root?._afterEach, afterEach, 'last');
    if (confirmTargets !== undefined && root !== undefined) keepOnlyTargets(confirmTargets, root);
    if (root !== undefined) countTests(root);
  },
  beforeEach,
  afterEach,
};

/**
 * Confirming: every test but the targets is taken out (a suite left without tests is then passed over, hooks and
 * all), and each target is followed by clones of itself for the runs asked; a failing one does not stop the others
 * (--bail). Mocha has loaded every test file by then: their top-level code has run, in this one process.
 */
function keepOnlyTargets(targets: ConfirmTargets, suite: MochaSuite): void {
  suite._bail = false;
  const tests = suite.tests ?? [];
  const kept = tests.filter((test) => isTarget(targets, test.file ?? '', test.titlePath()));
  tests.splice(
    0,
    tests.length,
    ...kept.flatMap((test) => [test, ...Array.from({ length: targets.runs - 1 }, () => test.clone())]),
  );
  for (const child of suite.suites ?? []) keepOnlyTargets(targets, child);
}

/** The tests Mocha will run (`.only` has already narrowed the tree), per file, not counting skipped ones. */
function countTests(root: MochaSuite): void {
  const counts = new Map<string, number>();
  const visit = (suite: MochaSuite): void => {
    if (suite.pending === true) return;
    for (const test of suite.tests ?? []) {
      if (test.pending !== true && test.file !== undefined) counts.set(test.file, (counts.get(test.file) ?? 0) + 1);
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  visit(root);
  if (counts.size === 0) return;
  recorder ??= new Recorder('mocha', mochaVersion(), workerName());
  for (const [file, count] of counts) recorder.collected(count, file);
}

/**
 * Mocha reads MOCHA_OPTIONS, and so leakwatch's root hooks, from 10.5 on. In the process of an older Mocha, which
 * the NODE_OPTIONS preload reaches, leakwatch says it cannot measure it.
 */
export function checkMochaCli(): void {
  let script: string;
  try {
    script = realpathSync(process.argv[1] ?? '');
  } catch {
    return;
  }
  if (!/[\\/]mocha[\\/](?:bin[\\/](?:_?mocha|mocha\.js)|lib[\\/]cli[\\/]cli\.js)$/.test(script)) return;
  const version = packageVersion(script.slice(0, script.search(/[\\/](?:bin|lib)[\\/][^\\/]*(?:[\\/]cli\.js)?$/)));
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > 10 || (major === 10 && minor >= 5)) return;
  new Recorder('mocha', version, 'main').unsupported(
    `Mocha ${version} is not supported: leakwatch reaches Mocha's tests through MOCHA_OPTIONS, which Mocha reads ` +
      'from 10.5 on; upgrade to Mocha 10.5 or later',
  );
}

function moveHook(hooks: MochaHook[] | undefined, fn: unknown, where: 'first' | 'last'): void {
  const index = hooks?.findIndex((hook) => hook.fn === fn) ?? -1;
  if (hooks === undefined || index === -1) return;
  const [hook] = hooks.splice(index, 1);
  if (hook === undefined) return;
  if (where === 'first') hooks.unshift(hook);
  else hooks.push(hook);
}

function mochaVersion(): string {
  const mochaFile = Object.keys(require.cache).find((file) => /[\\/]mocha[\\/]lib[\\/]/.test(file));
  return mochaFile === undefined ? 'unknown' : packageVersion(mochaFile.slice(0, mochaFile.search(/[\\/]lib[\\/]/)));
}

/** --parallel runs files in worker processes started from mocha's lib/nodejs/worker.js. */
function workerName(): string {
  return /[\\/]worker\.js$/.test(process.argv[1] ?? '') ? `worker ${process.pid}` : 'main';
}
