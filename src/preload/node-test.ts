/**
 * node:test: each test file runs in a child process of `node --test` (NODE_TEST_CONTEXT is set there), or, with
 * `--test-isolation=none`, in `node --test` itself. A beforeEach hook registered at the top level before the files
 * load runs before every test and subtest, before the files' own hooks; the `after` callback it gives each test runs
 * after all afterEach hooks. Registering the hook in any other process would start a test run of its own, so only
 * the processes that run test files do it.
 */
import Module, { createRequire, syncBuiltinESMExports } from 'node:module';
import { spawnSync } from 'node:child_process';
import { confirmTargets, targetTitlesIn, withoutOption, type ConfirmTargets } from './confirm.js';
import { Recorder } from './recorder.js';

const PARENT_PID = 'LEAKWATCH_NODE_TEST_PARENT';

interface TestContext {
  name: string;
  fullName?: string;
  filePath?: string;
  passed?: boolean;
  after(callback: () => Promise<void> | undefined): void;
}

type Register = (...args: unknown[]) => unknown;

interface NodeTest extends Register {
  beforeEach(hook: (context: TestContext) => void): void;
  test: Register;
  it: Register;
  describe: Register;
  suite: Register;
}

export function hookNodeTest(): void {
  const runsFilesHere = process.execArgv.some((arg) => /^--(experimental-)?test-isolation=none$/.test(arg));
  if (
    confirmTargets !== undefined &&
    process.env.NODE_TEST_CONTEXT === undefined &&
    process.execArgv.includes('--test')
  ) {
    // Confirming, in `node --test` itself: it reads its files (or globs) from process.argv after the preloads, so the
    // suspects' files take their place, and no other file's process is started.
    const files = [...new Set(confirmTargets.tests.map((test) => test.file))];
    if (process.execArgv.some((arg) => arg.startsWith('--test-shard'))) {
      // Node read --test-shard before any preload ran, and would shard the suspects' files anew, leaving some to other
      // shards: the runs alone are a `node --test` of their own without it, whose exit is this one's.
      const { status } = spawnSync(process.execPath, [...withoutOption(process.execArgv, '--test-shard'), ...files], {
        stdio: 'inherit',
      });
      process.exit(status ?? 1);
    }
    process.argv = [process.argv[0] ?? process.execPath, ...files];
  }
  if (process.env.NODE_TEST_CONTEXT === undefined && !runsFilesHere) {
    // Perhaps the `node --test` parent: its own children will know it by this.
    if (process.execArgv.includes('--test')) process.env[PARENT_PID] = String(process.pid);
    return;
  }
  // A process that a test started inherits NODE_TEST_CONTEXT too, but it is not a test file's process.
  if (!runsFilesHere && process.env[PARENT_PID] !== String(process.ppid)) return;
  const nodeTest = createRequire(__filename)('node:test') as NodeTest;
  // With --test-isolation=none every file runs here, and a registering call does not tell its file: titles decide.
  const confine =
    confirmTargets === undefined
      ? undefined
      : keepOnlyTargets(
          confirmTargets.runs,
          runsFilesHere
            ? confirmTargets.tests.map((test) => test.titles)
            : targetTitlesIn(confirmTargets, process.argv[1] ?? ''),
          nodeTest,
        );
  const recorder = new Recorder('node-test', process.version, null);
  // node:test registers a file's tests as it runs them, so it cannot tell their number before: what it ran, per file,
  // is told at exit (before the end record), whether or not each test's figure could be written.
  const ran = new Map<string, number>();
  process.on('exit', () => {
    for (const [file, count] of ran) recorder.collected(count, file);
  });
  nodeTest.beforeEach((context) => {
    confine?.(context);
    const titles = titlesOfContext(context);
    const file = context.filePath ?? process.argv[1] ?? '';
    ran.set(file, (ran.get(file) ?? 0) + 1);
    recorder.start(context, { titles, file, line: null });
    // node:test waits for the promise of a test whose figure waits for the event loop to turn.
    context.after(() => recorder.finish(context, context.passed === false ? 'failed' : 'passed'));
  });
}

/** Names holding ' > ' split into more levels than there are: the id is the same, only the line may be missed. */
function titlesOfContext(context: TestContext): string[] {
  return (context.fullName ?? context.name).split(' > ');
}

/**
 * Confirming: node:test cannot skip a test from outside, so its registering functions are wrapped before the test file
 * loads. Tests and describe blocks off every target's path are not registered; each target is registered once per run
 * asked. This covers `test`, `it`, `describe` and `suite` called as named (ESM imports included), the module itself
 * required from CommonJS or imported as ESM's default (see `importAs`), and subtests (`t.test()`, through the
 * function returned, which is given each test's context).
 */
function keepOnlyTargets(
  runs: ConfirmTargets['runs'],
  targets: readonly string[][],
  nodeTest: NodeTest,
): (context: TestContext) => void {
  const path: string[] = [];
  const nameOf = (args: unknown[]): string => {
    const fn = args.find((arg) => typeof arg === 'function') as { name?: string } | undefined;
    return typeof args[0] === 'string' ? args[0] : fn?.name || '<anonymous>';
  };
  const titlesOf = (args: unknown[]): string[] => [...path, nameOf(args)];
  // Compared joined, as the recorder splits names holding ' > ' into more levels than there are.
  const wanted = targets.map((titles) => titles.join(' > '));
  const onTargetPath = (titles: string[]): boolean => {
    const joined = titles.join(' > ');
    return wanted.some((target) => target === joined || target.startsWith(`${joined} > `));
  };
  const isTarget = (titles: string[]): boolean => wanted.includes(titles.join(' > '));
  const wrapSuite = (register: Register): Register =>
    Object.assign(function (this: unknown, ...args: unknown[]) {
      const titles = titlesOf(args);
      if (!onTargetPath(titles) || isTarget(titles)) return Promise.resolve();
      const index = args.findIndex((arg) => typeof arg === 'function');
      const body = args[index] as Register | undefined;
      if (body !== undefined) {
        args[index] = function (this: unknown, ...inner: unknown[]) {
          path.push(titles.at(-1) ?? '');
          try {
            return body.apply(this, inner);
          } finally {
            path.pop();
          }
        };
      }
      return register.apply(this, args);
    }, register);
  const wrapTest = (register: Register, titlesIn = (_: unknown, args: unknown[]) => titlesOf(args)): Register =>
    Object.assign(function (this: unknown, ...args: unknown[]) {
      const titles = titlesIn(this, args);
      if (!onTargetPath(titles)) return Promise.resolve();
      if (!isTarget(titles)) return register.apply(this, args); // the target is one of its subtests
      let registered: unknown;
      for (let run = 0; run < runs; run++) registered = register.apply(this, args);
      return registered;
    }, register);
  const wrapped = { test: wrapTest(nodeTest.test), it: wrapTest(nodeTest.it) };
  const suites = { describe: wrapSuite(nodeTest.describe), suite: wrapSuite(nodeTest.suite) };
  Object.assign(nodeTest, wrapped, suites);
  syncBuiltinESMExports();
  const asModule = Object.assign(wrapTest(nodeTest), nodeTest);
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    return loaded === nodeTest ? asModule : loaded;
  };
  importAs(asModule);
  let contextPatched = false;
  return (context) => {
    const prototype = Object.getPrototypeOf(context) as { test?: Register } | null;
    if (contextPatched || typeof prototype?.test !== 'function') return;
    contextPatched = true;
    prototype.test = wrapTest(prototype.test, (parent, args) => [
      ...titlesOfContext(parent as TestContext),
      nameOf(args),
    ]);
  };
}

/**
 * ESM's default import of node:test is the module's own function, which no property can replace: a resolve hook
 * (Node 20.6 and later) hands the test files a module of the wrapped functions instead.
 */
function importAs(wrapped: NodeTest): void {
  const register = (Module as unknown as { register?: (url: string) => void }).register;
  if (register === undefined) return;
  const key = 'leakwatch.node-test';
  (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = wrapped;
  const names = Object.keys(wrapped).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  const source = [
    `const wrapped = globalThis[Symbol.for(${JSON.stringify(key)})];`,
    'export default wrapped;',
    ...names.map((name) => `export const ${name} = wrapped[${JSON.stringify(name)}];`),
  ].join('\n');
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const hooks = [
    'export async function resolve(specifier, context, next) {',
    `  if (specifier === 'node:test' && !context.parentURL?.startsWith('data:')) return { url: ${JSON.stringify(url)}, shortCircuit: true };`,
    '  return next(specifier, context);',
    '}',
  ].join('\n');
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
