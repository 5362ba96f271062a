/**
 * node:test: each test file runs in a child process of `node --test` (NODE_TEST_CONTEXT is set there). beforeEach and
 * afterEach hooks registered at the top level before the file loads run around every test of the file, subtests
 * too: before the file's own beforeEach hooks and after its afterEach hooks. Registering them in any other process
 * would start a test run of its own, so only the direct children of `node --test` do it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Recorder } from './recorder.js';

const PARENT_PID = 'LEAKWATCH_NODE_TEST_PARENT';

interface TestContext {
  name: string;
  fullName?: string;
  filePath?: string;
  passed?: boolean;
}

interface NodeTest {
  beforeEach(hook: (context: TestContext) => void): void;
  afterEach(hook: (context: TestContext) => void): void;
}

export function hookNodeTest(): void {
  if (process.env.NODE_TEST_CONTEXT === undefined) {
    // Perhaps the `node --test` parent: its own children will know it by this.
    if (process.execArgv.includes('--test')) process.env[PARENT_PID] = String(process.pid);
    return;
  }
  // A process that a test started inherits NODE_TEST_CONTEXT too, but it is not a test file's process.
  if (process.env[PARENT_PID] !== String(process.ppid)) return;
  const nodeTest = createRequire(path.join(process.cwd(), 'index.js'))('node:test') as NodeTest;
  const recorder = new Recorder('node-test', process.version, null);
  nodeTest.beforeEach((context) => {
    const titles = (context.fullName ?? context.name).split(' > ');
    recorder.start(context, { titles, file: context.filePath ?? process.argv[1] ?? '', line: null });
  });
  nodeTest.afterEach((context) => {
    recorder.finish(context, context.passed === false ? 'failed' : 'passed');
  });
}
