/**
 * The web UI end to end, in order: the first visitor becomes the admin, searches and filters,
 * opens a frame, downloads a ZIP (checked entry by entry), looks at a night and the admin pages;
 * a second account cannot download; deactivating it ends its session at the next request.
 * Each screen is saved to e2e/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import yauzl from 'yauzl';
import { ADMIN, e2eUrl, SHOTS, writtenFrames } from './support/scene.js';

const VIEWER = { email: 'student@observatory.example', password: 'only looking, not taking' };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The page never scrolls sideways at 1280 px (tables scroll inside their own panels). */
async function expectNoHorizontalScroll(page: Page) {
  const [scrollWidth, clientWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

interface ZipEntry {
  name: string;
  size: number;
}

function zipEntries(path: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test.describe.configure({ mode: 'serial' });

let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;

test.beforeAll(async ({ browser: b }) => {
  browser = b;
  adminContext = await browser.newContext();
  admin = await adminContext.newPage();
});

test.afterAll(async () => {
  await adminContext.close();
});

test('the first visitor signs up and becomes the administrator', async () => {
  await admin.goto(e2eUrl());
  await expect(admin.getByText('becomes the')).toBeVisible();
  await expect(admin.getByRole('note')).toContainText('administrator');
  await shot(admin, 'sign-in');
  await admin.getByLabel('E-mail').fill(ADMIN.email);
  await admin.getByLabel('Password').fill(ADMIN.password);
  await admin.getByRole('button', { name: 'Create the admin account' }).click();
  await expect(admin.getByRole('heading', { name: `${writtenFrames().length} frames` })).toBeVisible();
  await expect(admin.locator('.topbar .badge-accent')).toHaveText('admin');
  await expect(admin.getByRole('link', { name: 'Admin' })).toBeVisible();
  // Every frame is a row (the table is virtualized, but 24 rows fit in view).
  await expect(admin.locator('.results-table .trow[data-id]')).toHaveCount(writtenFrames().length);
  await expectNoHorizontalScroll(admin);
  await shot(admin, 'search');
});

test('filters change the results and live in the URL', async () => {
  const all = writtenFrames();
  const ha = all.filter((f) => f.filter === 'Ha').length;
  await admin.getByRole('button', { name: /^Ha\s*\d+$/ }).click();
  await expect(admin.getByRole('heading', { name: `${ha} frames` })).toBeVisible();
  await expect(admin).toHaveURL(/filter_name=Ha/);
  await expect(admin.locator('.results-table .trow[data-id]')).toHaveCount(ha);

  // Cone search in sexagesimal: 10 arcmin around AD Leo, light Ha frames of it only.
  const adLeoHa = all.filter((f) => f.object === 'AD Leo' && f.filter === 'Ha').length;
  await admin.getByRole('textbox', { name: 'RA', exact: true }).fill('10 19 36.3');
  await admin.getByRole('textbox', { name: 'Dec', exact: true }).fill('+19:52:12');
  await admin.getByRole('textbox', { name: 'Radius' }).fill("10'");
  await admin.getByRole('textbox', { name: 'Radius' }).press('Enter');
  await expect(admin).toHaveURL(/radius=0\.1666/);
  await expect(admin.getByRole('heading', { name: new RegExp(`^${adLeoHa} frames?$`) })).toBeVisible();
  await shot(admin, 'search-filtered');

  // A shared link reproduces the search.
  await admin.goto(`${e2eUrl()}/?object=M%2013&image_type=light`);
  const m13 = all.filter((f) => f.object === 'M 13').length;
  await expect(admin.getByRole('heading', { name: `${m13} frames` })).toBeVisible();
  await expect(admin.getByRole('combobox', { name: 'Object' })).toHaveValue('M 13');
  await admin.getByRole('button', { name: 'Clear 2' }).click();
  await expect(admin.getByRole('heading', { name: `${all.length} frames` })).toBeVisible();

  // The same results as a grid of previews, the view kept in the URL.
  await admin.getByRole('button', { name: 'Grid' }).click();
  await expect(admin).toHaveURL(/view=grid/);
  await expect(admin.locator('.results-grid .tile')).toHaveCount(all.length);
  await expectNoHorizontalScroll(admin);
  await shot(admin, 'search-grid');
  await admin.getByRole('button', { name: 'Table' }).click();
  await expect(admin.locator('.results-table')).toBeVisible();
});

test('a frame opens with its pixels, header and quality', async () => {
  await admin.goto(`${e2eUrl()}/?object=AD%20Leo`);
  const firstRow = admin.locator('.results-table .trow[data-id]').first();
  const fileName = ((await firstRow.locator('.tcell').last().textContent()) ?? '').trim();
  await firstRow.getByRole('link').first().click();
  await expect(admin.getByRole('heading', { name: fileName })).toBeVisible();
  await expect(admin.getByRole('heading', { name: /^Quality/ })).toBeVisible();
  // The original is read in the browser: the canvas appears, and the cursor reads values and RA/Dec.
  const canvas = admin.getByRole('img', { name: /128 × 128 pixels/ });
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  await admin.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(admin.locator('.readout')).toContainText(/value \d/);
  await expect(admin.locator('.readout')).toContainText(/RA 10:19:3\d\.\d\d Dec \+19:5\d/);
  // The keyboard walks the readout too: from the centre (64, 64), one pixel right.
  await admin.mouse.move(0, 0);
  await canvas.focus();
  await admin.keyboard.press('ArrowRight');
  await expect(admin.locator('.readout')).toContainText('x 65 y 64');
  await admin.getByRole('button', { name: 'log' }).click();
  await expect(admin.getByRole('button', { name: 'log' })).toHaveAttribute('aria-pressed', 'true');
  await admin.getByRole('button', { name: 'asinh' }).click();
  // Header: searchable.
  await admin.getByPlaceholder('Search keyword, value, comment').fill('CCD-TEMP');
  await expect(admin.locator('.card-key')).toHaveText(['CCD-TEMP']);
  await admin.getByPlaceholder('Search keyword, value, comment').fill('');
  await expectNoHorizontalScroll(admin);
  await admin.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await expect(admin.locator('.readout')).toContainText('RA');
  await shot(admin, 'frame');

  // Step through the search this frame came from: n for the next frame, p back.
  const adLeo = writtenFrames().filter((f) => f.object === 'AD Leo').length;
  await expect(admin.getByRole('navigation', { name: 'Frames of the search' })).toContainText(`1 / ${adLeo}`);
  await admin.getByRole('heading', { name: fileName }).click();
  await admin.keyboard.press('n');
  await expect(admin.getByRole('navigation', { name: 'Frames of the search' })).toContainText(`2 / ${adLeo}`);
  await expect(admin.getByRole('heading', { name: fileName })).toHaveCount(0);
  await admin.getByRole('link', { name: '‹ Previous' }).click();
  await expect(admin.getByRole('heading', { name: fileName })).toBeVisible();
});

test('selected frames download as a ZIP whose entries match the files', async () => {
  await admin.goto(`${e2eUrl()}/?object=NGC%206946`);
  const rows = admin.locator('.results-table .trow[data-id]');
  await expect(rows.first()).toBeVisible();
  const picked: string[] = [];
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    picked.push(((await row.locator('.tcell').last().textContent()) ?? '').trim());
    await row.getByRole('checkbox').check();
  }
  await expect(admin.getByText('3 selected')).toBeVisible();
  const downloading = admin.waitForEvent('download');
  await admin.getByRole('button', { name: 'Download ZIP' }).click();
  const download = await downloading;
  const saved = join(process.env.AIMS_E2E_DIR!, 'selection.zip');
  await download.saveAs(saved);
  await expect(admin.getByText(/^Saved .*\.zip/)).toBeVisible();

  const entries = await zipEntries(saved);
  const byName = new Map(entries.map((e) => [e.name, e.size]));
  expect([...byName.keys()].sort()).toEqual([...picked, 'manifest.csv'].sort());
  for (const frame of writtenFrames().filter((f) => picked.includes(basename(f.path))))
    expect(byName.get(basename(frame.path))).toBe(statSync(frame.path).size);
  await shot(admin, 'search-selection');
});

test('the nights dashboard plots the night', async () => {
  await admin.getByRole('link', { name: 'Nights' }).click();
  await expect(admin.getByRole('heading', { name: 'Night of 2024-05-01' })).toBeVisible();
  await expect(admin.getByRole('img', { name: /Seeing/ })).toBeVisible();
  await expect(admin.locator('.plot svg').first()).toBeVisible();
  await expect(admin.locator('.pointing')).toHaveCount(3);
  await expectNoHorizontalScroll(admin);
  await shot(admin, 'nights');
});

let viewerContext: BrowserContext;
let viewer: Page;

test('a second account can search but not download', async () => {
  viewerContext = await browser.newContext();
  viewer = await viewerContext.newPage();
  await viewer.goto(e2eUrl());
  await expect(viewer.getByRole('note')).toHaveCount(0);
  await viewer.getByRole('tab', { name: 'Create account' }).click();
  await viewer.getByLabel('E-mail').fill(VIEWER.email);
  await viewer.getByLabel('Password').fill(VIEWER.password);
  await viewer.getByRole('button', { name: 'Create account' }).click();
  await expect(viewer.getByRole('heading', { name: `${writtenFrames().length} frames` })).toBeVisible();
  await expect(viewer.getByText('view only')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Download/ })).toHaveCount(0);
  await expect(viewer.getByRole('checkbox')).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await viewer.locator('.results-table .trow[data-id]').first().getByRole('link').first().click();
  await expect(viewer.getByText('Your account may not download originals')).toBeVisible();
  await expect(viewer.getByRole('link', { name: /Download original/ })).toHaveCount(0);
  await shot(viewer, 'frame-view-only');

  // The API refuses too, whatever the page shows.
  const response = await viewer.request.post(`${e2eUrl()}/api/downloads`, {
    data: { ids: [1] },
    headers: { 'X-Requested-With': 'aims-web' },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).message).toContain('may not download');
});

test('the admin pages list accounts, the ledger and the audit log; a deactivated account is signed out', async () => {
  await admin.getByRole('link', { name: 'Admin' }).click();
  const row = admin.locator(`tr[data-email="${VIEWER.email}"]`);
  await expect(row).toBeVisible();
  await expect(admin.getByText('connected')).toBeVisible();
  await expectNoHorizontalScroll(admin);
  await shot(admin, 'admin-users');

  await row.getByRole('checkbox', { name: `${VIEWER.email} is active` }).uncheck();
  await expect(row.getByRole('checkbox', { name: `${VIEWER.email} is active` })).not.toBeChecked();

  // The viewer's very next request fails, and the UI says why.
  const me = await viewer.request.get(`${e2eUrl()}/api/user/me`);
  expect(me.status()).toBe(403);
  // In the open page, the next screen's request ends the session and says why.
  await viewer.getByRole('link', { name: 'Nights' }).click();
  await expect(viewer.getByRole('alert')).toContainText('deactivated');
  await expect(viewer.getByLabel('E-mail')).toBeVisible();
  await viewerContext.close();

  await admin.getByRole('tab', { name: 'Ingest' }).click();
  await admin.getByRole('button', { name: /^all$/ }).click();
  await expect(admin.getByRole('button', { name: /^ingested\s*\d+/ })).toContainText(String(writtenFrames().length));
  await shot(admin, 'admin-ingest');

  await admin.getByRole('tab', { name: 'Audit log' }).click();
  await expect(admin.locator('code', { hasText: 'user.update' }).first()).toBeVisible();
  await expect(admin.locator('code', { hasText: /^download\./ }).first()).toBeVisible();
  await shot(admin, 'admin-audit');
});

test('a frame written into the watched folder shows up live', async () => {
  await admin.goto(e2eUrl());
  const total = writtenFrames().length;
  await expect(admin.getByRole('heading', { name: `${total} frames` })).toBeVisible();
  // Let the event stream connect before the file appears.
  await admin.waitForTimeout(1000);
  execFileSync(process.execPath, [
    fileURLToPath(new URL('./support/write-night.mjs', import.meta.url)),
    join(process.env.AIMS_E2E_DIR!, 'images', 'late'),
    '1',
    '64',
  ]);
  await admin.getByRole('button', { name: '1 new frame — show' }).click({ timeout: 45_000 });
  await expect(admin.getByRole('heading', { name: `${total + 1} frames` })).toBeVisible();
});
