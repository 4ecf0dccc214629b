import { defineConfig } from 'vitest/config';

// `npm test`: everything that needs only npm packages. Tests that need Debian packages
// (chromium, promtool, prometheus) are named *.system.test.ts and run by `npm run test:system`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.system.test.ts', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
