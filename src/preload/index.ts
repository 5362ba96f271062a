/**
 * leakwatch's preload for Node test runners, loaded into every Node process of the test command through
 * NODE_OPTIONS (and, for Mocha, through MOCHA_OPTIONS as a root hook plugin). It hooks only the runner leakwatch
 * was told about (LEAKWATCH_RUNNER; all of them when it could not tell). In other processes (npm, tools the tests
 * start) it measures nothing: for Jest it watches module loading for jest-circus, which they never load.
 */
import { hookJest } from './jest.js';
import { checkMochaCli } from './mocha.js';
import { hookNodeTest } from './node-test.js';
import { hookVitestCli } from './vitest.js';

export { mochaHooks } from './mocha.js';
export { hookVitestWorker, vitestProjectsInFiles } from './vitest.js';

if (process.env.LEAKWATCH_DIR) {
  const runner = process.env.LEAKWATCH_RUNNER ?? 'auto';
  const wanted = (name: string): boolean => runner === name || runner === 'auto';
  try {
    if (wanted('jest')) hookJest();
    if (wanted('node-test')) hookNodeTest();
    if (wanted('vitest')) hookVitestCli(__filename);
    if (wanted('mocha')) checkMochaCli();
  } catch (error) {
    // The tests must run whatever happens here.
    process.emitWarning(`leakwatch could not hook the test runner: ${String(error)}`);
  }
}
