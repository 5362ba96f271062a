// The benchmark's no-op stand-in for leakwatch's node:test preload: the same hooks, registered the same way (a
// top-level beforeEach that gives each test an `after` callback, see src/preload/node-test.ts), doing nothing. What
// it costs is node:test's own price for the hooks, which leakwatch's marginal cost is measured beyond.
/* global process -- loaded through NODE_OPTIONS=--require, in every Node process of the run. */

// Only in the processes that run test files: registering a hook in `node --test` itself would start a run there.
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  require('node:test').beforeEach((context) => {
    context.after(() => {});
  });
}
