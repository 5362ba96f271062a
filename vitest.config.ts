import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    globalSetup: ['__tests__/helpers/global-setup.ts'],
    // Real test runs under the bundled action take seconds each.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
