import { defineConfig } from 'vitest/config';

// `npm run test:system`: tests that need Debian packages (chromium, prometheus/promtool).
export default defineConfig({
  test: {
    include: ['test/**/*.system.test.ts'],
    passWithNoTests: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
