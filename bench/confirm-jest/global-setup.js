// The confirmation suite's fixed start: a second, as a globalSetup that starts a database would take, paid once by
// every start of Jest, the confirming runs' too.
/* global module -- CommonJS. */
module.exports = () => new Promise((resolve) => setTimeout(resolve, 1000));
