/**
 * End-to-end tests of the web UI in Debian's Chromium against a real `aims serve` on a night of
 * generated frames (see e2e/global-setup.ts). Run from the repository root:
 *   node node_modules/@playwright/test/cli.js test -c packages/web/playwright.config.ts
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One server, one catalog, accounts created in order: the scenarios run one after the other.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  outputDir: '../../test-results/e2e-artifacts',
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'dark',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
