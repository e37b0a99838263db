import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the app served by the backend (scripts/e2e.sh
 * starts it). Chromium is Debian's, never a downloaded browser.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  outputDir: '../e2e-test-results/artifacts',
  reporter: [['list'], ['json']],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'engineer', testMatch: /engineer\.spec\.ts/ },
    { name: 'manager', testMatch: /manager\.spec\.ts/ },
  ],
});
