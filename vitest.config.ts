import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // The runners' fixture suites are run by the tests, not collected with them.
    exclude: [...configDefaults.exclude, '__tests__/fixtures/**'],
    // Each test as it ends, so that a run of several minutes never looks hung, in a terminal or a CI log.
    reporters: ['verbose'],
    globalSetup: ['__tests__/helpers/global-setup.ts'],
    // Real test runs under the bundled action take seconds each.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
