// The confirmation suite's fixed start: a second, as a globalSetup that starts a database would take, paid once by
// every start of Vitest, the confirming runs' too.
export default () => new Promise((resolve) => setTimeout(resolve, 1000));
