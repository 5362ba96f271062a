// The confirmation suite's fixed start: a second, as a global fixture that starts a database would take, paid once
// by every start of Mocha, the confirming runs' too.
/* global exports -- CommonJS. */
exports.mochaGlobalSetup = () => new Promise((resolve) => setTimeout(resolve, 1000));
