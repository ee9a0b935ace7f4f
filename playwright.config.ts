import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: real Chromium (Debian's, never a downloaded one) with the built extension
 * from .output/chrome-mv3 (run `npm run build` first; `npm test` does). Pages are real saved
 * copies served at their real URLs through `context.route` (tests/e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
});
