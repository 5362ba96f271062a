/**
 * Jest: test globals live in each test file's own context, out of a preload's reach. What it can reach is the module
 * jest-circus runs every test file through: wrapped when it is loaded, it hands leakwatch each file's test
 * environment, whose `handleTestEvent` jest-circus calls around every test (`test_started` before the beforeEach
 * hooks, `test_done` after the afterEach hooks). An environment's own handler keeps being called.
 */
import { realpathSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { confirmTargets, isTarget, withoutOption, type ConfirmTargets } from './confirm.js';
import { Recorder, packageVersion } from './recorder.js';

interface CircusTest {
  type: 'test';
  name: string;
  mode?: string;
  concurrent?: boolean;
  errors: unknown[];
  /** Runs of this test so far: 2 on its first retry. */
  invocations?: number;
  parent?: CircusBlock;
  asyncError?: unknown;
}

interface CircusBlock {
  type: 'describeBlock';
  name: string;
  mode?: string;
  parent?: CircusBlock;
  children?: (CircusBlock | CircusTest)[];
}

interface CircusState {
  rootDescribeBlock?: CircusBlock;
  hasFocusedTests?: boolean;
  testNamePattern?: RegExp | null;
}

interface CircusEvent {
  name: string;
  test?: CircusTest;
}

type EventHandler = (event: CircusEvent, state: unknown) => unknown;
type TestEnvironment = { handleTestEvent?: EventHandler };
type Adapter = (
  globalConfig: unknown,
  config: unknown,
  environment: TestEnvironment,
  runtime: unknown,
  testPath: string,
  ...rest: unknown[]
) => Promise<unknown>;

const CIRCUS_RUNNER = /[\\/]jest-circus[\\/](?:build[\\/])?runner\.js$/;

const JEST_CLI = /[\\/]jest(?:-cli)?[\\/]bin[\\/]jest\.js$/;

/** Watches for jest-circus's runner being loaded, in this process or thread. */
export function hookJest(): void {
  if (confirmTargets !== undefined) narrowJestCli(confirmTargets);
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  /** What leakwatch hands out in place of each loaded runner module. */
  const replacements = new WeakMap<object, unknown>();
  loader._load = function (request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    if (!CIRCUS_RUNNER.test(request) || (typeof loaded !== 'object' && typeof loaded !== 'function') || !loaded) {
      return loaded;
    }
    if (!replacements.has(loaded)) {
      const version = packageVersion(path.dirname(request).replace(/[\\/]build$/, ''));
      const recorder = new Recorder('jest', version, workerName());
      const [major = 0, minor = 0] = version.split('.').map(Number);
      if (major < 29) {
        recorder.unsupported(`Jest ${version} is not supported: leakwatch measures Jest 29 and 30 (jest-circus)`);
      }
      // jest-circus tells a test that runs (test_started) from one it skips from 29.6 on; before, test_start comes
      // for every test, and test_skip or test_todo follows for a test that will not run.
      const startEvent = major > 29 || (major === 29 && minor >= 6) ? 'test_started' : 'test_start';
      const jest = new JestObserver(recorder, major, startEvent);
      // Jest 29 exports the adapter itself; Jest 30 as `default`.
      if (typeof loaded === 'function') replacements.set(loaded, jest.wrap(loaded as Adapter));
      else {
        const exports = loaded as { default?: Adapter };
        if (typeof exports.default === 'function') exports.default = jest.wrap(exports.default);
        replacements.set(loaded, loaded);
      }
    }
    return replacements.get(loaded);
  };
}

/**
 * Confirming: in Jest's own process, the suspects' file names as test path patterns, so that Jest starts no other
 * file (with patterns of the project's own, which chose those files already, Jest runs what matches any). They run in
 * band, one file after another in this process, each in its own module registry as in a worker; and a failing suspect
 * does not stop the others (--bail). A `--shard` goes: the suspects ran in this shard already.
 */
function narrowJestCli(targets: ConfirmTargets): void {
  let script: string;
  try {
    script = realpathSync(process.argv[1] ?? '');
  } catch {
    return;
  }
  if (!JEST_CLI.test(script)) return;
  const names = new Set(targets.tests.map((test) => path.basename(test.file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // Before a `--`, after which every argument is a pattern.
  const end = process.argv.includes('--') ? process.argv.indexOf('--') : process.argv.length;
  const options = withoutOption(withoutWorkerCounts(process.argv.slice(0, end)), '--shard');
  process.argv = [...options, '--runInBand', '--no-bail', ...names, ...process.argv.slice(end)];
}

const WORKER_COUNT = /^(?:--maxWorkers|--max-workers|-w)$/;

/** Jest refuses --runInBand beside --maxWorkers (-w): in a run alone, the count of workers goes. */
function withoutWorkerCounts(args: readonly string[]): string[] {
  return args.filter((arg, index) => {
    const isCount = WORKER_COUNT.test(arg) || /^(?:--maxWorkers=|--max-workers=|-w=?\d)/.test(arg);
    return !isCount && !WORKER_COUNT.test(args[index - 1] ?? '');
  });
}

class JestObserver {
  /** Test files (their root blocks) that hold concurrent tests, which Jest 29 starts all at once. */
  readonly #withConcurrentTests = new WeakMap<CircusBlock, boolean>();

  constructor(
    private readonly recorder: Recorder,
    private readonly majorVersion: number,
    private readonly startEvent: 'test_started' | 'test_start',
  ) {}

  wrap(adapter: Adapter): Adapter {
    const observe = this.observe.bind(this);
    const recorder = this.recorder;
    return function (this: unknown, globalConfig, config, environment, runtime, testPath, ...rest) {
      const own = environment.handleTestEvent;
      environment.handleTestEvent = function (event, state) {
        if (event.name === 'run_start') {
          const circus = state as CircusState;
          if (confirmTargets !== undefined) keepOnlyTargets(confirmTargets, circus.rootDescribeBlock, testPath);
          countTests(recorder, circus, testPath);
        }
        if (event.name !== 'test_done') void observe(event, testPath);
        const result = own?.call(this, event, state);
        if (event.name !== 'test_done') return result;
        // A promise made in the test file's context is not an instance of this context's Promise.
        const pending = result as { then?: unknown } | undefined;
        if (typeof pending?.then === 'function') return Promise.resolve(result).then(() => observe(event, testPath));
        // jest-circus waits for the promise of a test whose figure waits for the event loop to turn.
        return observe(event, testPath);
      };
      return adapter.call(this, globalConfig, config, environment, runtime, testPath, ...rest);
    };
  }

  observe(event: CircusEvent, testPath: string): Promise<void> | undefined {
    const test = event.test;
    try {
      // test_started comes only for tests that run, before their beforeEach hooks; test_done after the afterEach.
      if (test === undefined) return undefined;
      if (event.name === this.startEvent) {
        if (this.startEvent === 'test_start' && isMarkedSkipped(test)) return undefined;
        const identity = { titles: titles(test), file: testPath, line: null };
        const concurrent = test.concurrent === true || (this.majorVersion < 30 && this.#fileHasConcurrentTests(test));
        const attempt = (test.invocations ?? 1) - 1;
        this.recorder.start(test, identity, { concurrent, attempt, locate: () => lineOf(test, testPath) });
      } else if (event.name === 'test_done') {
        return this.recorder.finish(test, test.errors.length > 0 ? 'failed' : 'passed');
      } else if (event.name === 'test_skip' || event.name === 'test_todo') {
        this.recorder.forget(test);
      }
    } catch {
      // Whatever this runner version's events hold, the test's outcome is not leakwatch's to change.
    }
    return undefined;
  }

  #fileHasConcurrentTests(test: CircusTest): boolean {
    let root = test.parent;
    while (root?.parent !== undefined) root = root.parent;
    if (root === undefined) return false;
    let found = this.#withConcurrentTests.get(root);
    if (found === undefined) {
      found = holdsConcurrentTests(root);
      this.#withConcurrentTests.set(root, found);
    }
    return found;
  }
}

/**
 * Confirming: every test but the targets is skipped (their describe blocks' hooks then do not run either), and each
 * target is followed by copies of itself, fresh as jest-circus makes a test, for the runs asked.
 */
function keepOnlyTargets(targets: ConfirmTargets, root: CircusBlock | undefined, testPath: string): void {
  const visit = (block: CircusBlock): void => {
    const children = block.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (child === undefined) continue;
      if (child.type === 'describeBlock') visit(child);
      else if (!isTarget(targets, testPath, titles(child))) child.mode = 'skip';
      else {
        const copies = Array.from({ length: targets.runs - 1 }, () => ({
          ...child,
          duration: null,
          errors: [],
          invocations: 0,
          numPassingAsserts: 0,
          retryReasons: [],
          seenDone: false,
          startedAt: null,
          status: null,
          unhandledRejectionErrorByPromise: new Map(),
        }));
        children.splice(index + 1, 0, ...copies);
      }
    }
  };
  if (root !== undefined) visit(root);
}

/** The tests of the file that jest-circus will run: not skipped, not todo, focused and matching -t if asked. */
function countTests(recorder: Recorder, state: CircusState, testPath: string): void {
  try {
    let count = 0;
    const visit = (block: CircusBlock, skipped: boolean): void => {
      for (const child of block.children ?? []) {
        const skip = skipped || child.mode === 'skip';
        if (child.type === 'describeBlock') visit(child, skip);
        else if (
          !skip &&
          child.mode !== 'todo' &&
          (state.hasFocusedTests !== true || child.mode === 'only') &&
          (!state.testNamePattern || state.testNamePattern.test(titles(child).join(' ')))
        ) {
          count += 1;
        }
      }
    };
    if (state.rootDescribeBlock === undefined) return;
    visit(state.rootDescribeBlock, false);
    recorder.collected(count, testPath);
  } catch {
    // Counting is a courtesy: the tests run whatever happens here.
  }
}

/** Skipped or todo, itself or through a describe block: jest-circus will not run it. */
function isMarkedSkipped(test: CircusTest): boolean {
  if (test.mode === 'skip' || test.mode === 'todo') return true;
  for (let block = test.parent; block !== undefined; block = block.parent) if (block.mode === 'skip') return true;
  return false;
}

function holdsConcurrentTests(block: CircusBlock): boolean {
  return (block.children ?? []).some((child) =>
    child.type === 'test' ? child.concurrent === true : holdsConcurrentTests(child),
  );
}

function titles(test: CircusTest): string[] {
  const names = [test.name];
  // The root block (named ROOT_DESCRIBE_BLOCK) is the one without a parent.
  for (let block = test.parent; block?.parent !== undefined; block = block.parent) names.unshift(block.name);
  return names;
}

/**
 * jest-circus keeps the stack of the `test()` call; its frame in the test file gives the line, even for a title built
 * in a loop. Reading it costs: Jest maps the stack through the file's source map.
 */
function lineOf(test: CircusTest, testPath: string): number | null {
  // Made in the test file's context, so not an instance of this context's Error.
  const error = test.asyncError as { stack?: unknown } | null | undefined;
  const stack = typeof error === 'object' && error !== null ? error.stack : undefined;
  if (typeof stack !== 'string') return null;
  for (const frame of stack.split('\n')) {
    const index = frame.indexOf(testPath);
    if (index === -1) continue;
    const match = /^:(\d+):\d+/.exec(frame.slice(index + testPath.length));
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return null;
}

function workerName(): string {
  const id = process.env.JEST_WORKER_ID;
  return id === undefined ? 'main' : `worker ${id}`;
}
