/**
 * Jest: test globals live in each test file's own context, out of a preload's reach. What it can reach is the module
 * jest-circus runs every test file through: wrapped when it is loaded, it hands leakwatch each file's test
 * environment, whose `handleTestEvent` jest-circus calls around every test (`test_start` before the beforeEach
 * hooks, `test_done` after the afterEach hooks). An environment's own handler keeps being called.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { Recorder } from './recorder.js';

interface CircusTest {
  name: string;
  mode?: string;
  concurrent?: boolean;
  errors: unknown[];
  parent?: CircusBlock;
  asyncError?: unknown;
}

interface CircusBlock {
  name: string;
  parent?: CircusBlock;
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

/** Watches for jest-circus's runner being loaded, in this process or thread. */
export function hookJest(): void {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  const wrapped = new WeakMap<object, unknown>();
  loader._load = function (request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    if (!CIRCUS_RUNNER.test(request) || (typeof loaded !== 'object' && typeof loaded !== 'function') || !loaded) {
      return loaded;
    }
    // Jest 29 exports the adapter itself; Jest 30 as `default`.
    if (!wrapped.has(loaded)) {
      const recorder = new Recorder('jest', circusVersion(request), workerName());
      if (typeof loaded === 'function') wrapped.set(loaded, wrapAdapter(loaded as Adapter, recorder));
      else {
        const exports = loaded as { default?: Adapter };
        if (typeof exports.default === 'function') exports.default = wrapAdapter(exports.default, recorder);
        wrapped.set(loaded, loaded);
      }
    }
    return wrapped.get(loaded);
  };
}

function wrapAdapter(adapter: Adapter, recorder: Recorder): Adapter {
  return function (this: unknown, globalConfig, config, environment, runtime, testPath, ...rest) {
    const own = environment.handleTestEvent;
    environment.handleTestEvent = async function (event, state) {
      if (event.name !== 'test_done') observe(recorder, event, testPath);
      await own?.call(this, event, state);
      if (event.name === 'test_done') observe(recorder, event, testPath);
    };
    return adapter.call(this, globalConfig, config, environment, runtime, testPath, ...rest);
  };
}

function observe(recorder: Recorder, event: CircusEvent, testPath: string): void {
  try {
    record(recorder, event, testPath);
  } catch {
    // Whatever this runner version's events hold, the test's outcome is not leakwatch's to change.
  }
}

function record(recorder: Recorder, event: CircusEvent, testPath: string): void {
  const test = event.test;
  if (test === undefined) return;
  switch (event.name) {
    case 'test_start':
      if (test.mode === 'skip' || test.mode === 'todo') return;
      recorder.start(test, { titles: titles(test), file: testPath, line: lineOf(test, testPath) }, test.concurrent);
      return;
    case 'test_skip':
    case 'test_todo':
      recorder.forget(test);
      return;
    case 'test_done':
      recorder.finish(test, test.errors.length > 0 ? 'failed' : 'passed');
      return;
  }
}

function titles(test: CircusTest): string[] {
  const names = [test.name];
  // The root block (named ROOT_DESCRIBE_BLOCK) is the one without a parent.
  for (let block = test.parent; block?.parent !== undefined; block = block.parent) names.unshift(block.name);
  return names;
}

/** jest-circus keeps the stack of the `test()` call; its frame in the test file gives the line. */
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

function circusVersion(runnerPath: string): string {
  try {
    const packageDirectory = path.dirname(runnerPath).replace(/[\\/]build$/, '');
    const { version } = JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as {
      version: string;
    };
    return version;
  } catch {
    return 'unknown';
  }
}

function workerName(): string {
  const id = process.env.JEST_WORKER_ID;
  return id === undefined ? 'main' : `worker ${id}`;
}
