/**
 * node:test: each test file runs in a child process of `node --test` (NODE_TEST_CONTEXT is set there), or, with
 * `--test-isolation=none`, in `node --test` itself. A beforeEach hook registered at the top level before the files
 * load runs before every test and subtest, before the files' own hooks; the `after` callback it gives each test runs
 * after all afterEach hooks. Registering the hook in any other process would start a test run of its own, so only
 * the processes that run test files do it.
 */
import { createRequire } from 'node:module';
import { Recorder } from './recorder.js';

const PARENT_PID = 'LEAKWATCH_NODE_TEST_PARENT';

interface TestContext {
  name: string;
  fullName?: string;
  filePath?: string;
  passed?: boolean;
  after(callback: () => void): void;
}

interface NodeTest {
  beforeEach(hook: (context: TestContext) => void): void;
}

export function hookNodeTest(): void {
  const runsFilesHere = process.execArgv.some((arg) => /^--(experimental-)?test-isolation=none$/.test(arg));
  if (process.env.NODE_TEST_CONTEXT === undefined && !runsFilesHere) {
    // Perhaps the `node --test` parent: its own children will know it by this.
    if (process.execArgv.includes('--test')) process.env[PARENT_PID] = String(process.pid);
    return;
  }
  // A process that a test started inherits NODE_TEST_CONTEXT too, but it is not a test file's process.
  if (!runsFilesHere && process.env[PARENT_PID] !== String(process.ppid)) return;
  const nodeTest = createRequire(__filename)('node:test') as NodeTest;
  const recorder = new Recorder('node-test', process.version, null);
  nodeTest.beforeEach((context) => {
    // Names holding ' > ' split into more levels than there are: the id is the same, only the line may be missed.
    const titles = (context.fullName ?? context.name).split(' > ');
    recorder.start(context, { titles, file: context.filePath ?? process.argv[1] ?? '', line: null });
    context.after(() => {
      recorder.finish(context, context.passed === false ? 'failed' : 'passed');
    });
  });
}
