#!/usr/bin/env node
// Runs every Vitest test of every package (and the Playwright end-to-end tests when present), then
// prints the one closing line CI reads: `N passed, N failed`. With `--unit` (npm run test:unit) only
// the unit tier: AIMS_TEST_TIER=unit, which vitest.config.ts reads, and no end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const unit = process.argv.includes('--unit');
const extra = process.argv.slice(2).filter((a) => a !== '--unit');
if (unit) process.env.AIMS_TEST_TIER = 'unit';
const vitestJson = join(out, 'vitest.json');
const vitest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
    ...extra,
  ],
  { stdio: 'inherit', cwd: root },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count but is still a failure.
  failed += (report.testResults ?? []).filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
} else {
  failed += 1;
}

const e2eConfig = join(root, 'packages/web/playwright.config.ts');
if (existsSync(e2eConfig) && !unit && !extra.length && process.env.AIMS_SKIP_E2E !== '1') {
  const e2eJson = join(out, 'e2e.json');
  const e2e = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', e2eConfig],
    {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson },
    },
  );
  if (existsSync(e2eJson)) {
    const stats = JSON.parse(readFileSync(e2eJson, 'utf8')).stats ?? {};
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    failed += stats.unexpected ?? 0;
    skipped += stats.skipped ?? 0;
  } else if (e2e.status !== 0) {
    failed += 1;
  }
}

if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
