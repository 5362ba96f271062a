// The benchmark's no-op stand-in for leakwatch's Mocha preload: a root hook plugin, loaded the same way
// (MOCHA_OPTIONS=--require), with a beforeEach and an afterEach that do nothing. What it costs is Mocha's own price
// for the hooks, which leakwatch's marginal cost is measured beyond.
module.exports = {
  mochaHooks: {
    beforeEach() {},
    afterEach() {},
  },
};
