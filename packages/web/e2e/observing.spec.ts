import { join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import axe from 'axe-core';
import yauzl from 'yauzl';
import { ADMIN, e2eUrl, SHOTS, writtenFrames } from './support/scene.js';

function zipNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's audit of the page as it stands: the serious and critical violations, in words. */
async function audit(page: Page, screen: string): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return result.violations as unknown as AxeViolation[];
  });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
  // Two of axe's "moderate" rules, held here too: one main landmark and a top-level heading per screen.
  await expect(page.getByRole('main'), `${screen}: one main landmark`).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 }), `${screen}: one top-level heading`).toHaveCount(1);
}

test.describe.configure({ mode: 'serial' });

let browser: Browser;
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser: b }) => {
  browser = b;
  // The app's Content-Security-Policy allows no inline script; the audit injects axe-core as one.
  context = await browser.newContext({ bypassCSP: true });
  page = await context.newPage();
  await page.goto(e2eUrl());
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.topbar .badge-accent')).toHaveText('admin');
});

test.afterAll(async () => {
  await context.close();
});

/** Catalog id of a written frame, by file name. */
async function idOf(fileName: string): Promise<number> {
  const response = await page.request.get(`${e2eUrl()}/api/images?limit=1000&fields=id,file_name`);
  const item = (await response.json()).items.find((i: { file_name: string }) => i.file_name === fileName);
  if (!item) throw new Error(`${fileName} is not in the catalog`);
  return item.id;
}

test("a light frame's calibration panel lists its darks and flats, says what is missing, and downloads them", async () => {
  // Light 3 (M 13, B, 300 s, -10 °C, Apogee): dark 15 (300 s, -10 °C, Apogee) and flat 23 (B, Apogee)
  // match; dark 7 is at -15 °C; there is no bias at all.
  await page.goto(`${e2eUrl()}/images/${await idOf('M_13_B_0003.fits')}`);
  const panel = page.locator('.calibration-panel');
  await expect(panel.getByRole('heading', { name: 'Calibration' })).toBeVisible();
  const darks = panel.locator('[data-kind="dark"]');
  await expect(darks.getByRole('heading')).toContainText('1 found');
  await expect(darks.getByRole('link')).toHaveText(['dark_L_0015.fits']);
  await expect(darks).toContainText('sensor -10 °C, within ±2 °C');
  await expect(darks).toContainText('exposure 300 s');
  await expect(panel.locator('[data-kind="flat"]').getByRole('link')).toHaveText(['flat_B_0023.fits']);
  await expect(panel.locator('[data-kind="flat"]')).toContainText('filter B');
  const bias = panel.locator('[data-kind="bias"]');
  await expect(bias.getByRole('heading')).toContainText('missing');
  await expect(bias).toContainText('no bias frame in the catalog');
  await page.screenshot({ path: join(SHOTS, 'frame-calibration.png'), fullPage: true });
  await audit(page, 'frame');

  const downloading = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download with calibration (ZIP)' }).click();
  const saved = join(process.env.AIMS_E2E_DIR!, 'with-calibration.zip');
  await (await downloading).saveAs(saved);
  expect((await zipNames(saved)).sort()).toEqual([
    'darks/dark_L_0015.fits',
    'flats/flat_B_0023.fits',
    'lights/M_13_B_0003.fits',
    'manifest.csv',
  ]);

  // A dark is not calibrated: its page has no calibration panel.
  await darks.getByRole('link', { name: 'dark_L_0015.fits' }).click();
  await expect(page.getByRole('heading', { name: 'dark_L_0015.fits' })).toBeVisible();
  await expect(page.locator('.calibration-panel')).toHaveCount(0);
});

test('the nights dashboard flags the lights without calibration', async () => {
  await page.getByRole('link', { name: 'Nights' }).click();
  const check = page.locator('.calibration-check');
  await expect(check.getByRole('heading', { name: 'Calibration' })).toBeVisible();
  // No bias frames in the catalog: every light lacks one.
  const lights = writtenFrames().filter((f) => f.kind === 'light').length;
  await expect(check).toContainText(`${lights} of ${lights} lights lack bias, dark or flat frames.`);
  await audit(page, 'nights');
});

test("a target page's totals are the sums of the frames behind them", async () => {
  await page.getByRole('link', { name: 'Targets' }).click();
  await expect(page.getByRole('heading', { name: 'Targets' })).toBeVisible();
  const objects = new Set(writtenFrames().flatMap((f) => (f.object ? [f.object] : [])));
  await expect(page.locator('.targets-table tbody tr')).toHaveCount(objects.size);
  await page.screenshot({ path: join(SHOTS, 'targets.png') });
  await audit(page, 'targets');

  await page.getByRole('link', { name: 'M 13' }).click();
  await expect(page.getByRole('heading', { name: 'M 13', level: 1 })).toBeVisible();
  // The frames behind the target, from the search API.
  const response = await page.request.get(
    `${e2eUrl()}/api/images?object=M%2013&image_type=light&limit=1000&fields=id,exptime,filter_name,quality_flag`,
  );
  const items = (await response.json()).items as Array<{ exptime: number; filter_name: string; quality_flag: boolean }>;
  expect(items.length).toBe(writtenFrames().filter((f) => f.object === 'M 13').length);
  const sum = (list: typeof items) => list.reduce((s, i) => s + i.exptime, 0);
  const seconds = (s: number) => `${s.toLocaleString('en-US')} s`;
  await expect(page.locator('[data-stat="frames"] .stat-value')).toHaveText(String(items.length));
  await expect(page.locator('[data-stat="integration"]')).toContainText(seconds(sum(items)));
  const good = items.filter((i) => i.quality_flag);
  await expect(page.locator('[data-stat="good-frames"] .stat-value')).toHaveText(String(good.length));
  await expect(page.locator('[data-stat="good-integration"]')).toContainText(seconds(sum(good)));
  for (const filter of new Set(items.map((i) => i.filter_name))) {
    const row = page.locator(`.per-filter tr[data-filter="${filter}"]`);
    const own = items.filter((i) => i.filter_name === filter);
    await expect(row.locator('td').nth(1)).toHaveText(String(own.length));
    await expect(row.locator('td').nth(3)).toHaveText(seconds(sum(own)));
  }
  await expect(page.locator('.target-frames tbody tr')).toHaveCount(items.length);
  await expect(page.getByRole('img', { name: /Cumulative integration/ })).toBeVisible();
  await expect(page.locator('.integration-series')).toHaveCount(new Set(items.map((i) => i.filter_name)).size);
  await page.screenshot({ path: join(SHOTS, 'target.png'), fullPage: true });
  await audit(page, 'target');
});

test('every other screen passes the accessibility audit', async () => {
  await page.goto(e2eUrl());
  await expect(page.getByRole('heading', { name: /frames$/ })).toBeVisible();
  await audit(page, 'search');
  await page.getByRole('button', { name: 'Grid' }).click();
  await expect(page.locator('.results-grid .tile').first()).toBeVisible();
  await audit(page, 'search (grid)');
  await page.getByRole('button', { name: 'Table' }).click();

  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('tab', { name: 'Ingest' })).toBeVisible();
  // Every tab of the admin screen, those added later included.
  const tabs = await page.getByRole('tablist', { name: 'Administration' }).getByRole('tab').allTextContents();
  expect(tabs.length).toBeGreaterThanOrEqual(3);
  for (const tab of tabs) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await audit(page, `admin (${tab})`);
  }

  const signedOut = await browser.newContext({ bypassCSP: true });
  const visitor = await signedOut.newPage();
  await visitor.goto(e2eUrl());
  await expect(visitor.getByLabel('E-mail')).toBeVisible();
  await audit(visitor, 'sign-in');
  await visitor.getByRole('tab', { name: 'Create account' }).click();
  await audit(visitor, 'sign-in (create account)');
  await signedOut.close();
});
