import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // The runners' fixture suites are run by the tests, not collected with them.
    exclude: [...configDefaults.exclude, '__tests__/fixtures/**'],
    globalSetup: ['__tests__/helpers/global-setup.ts'],
    // Real test runs under the bundled action take seconds each.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
