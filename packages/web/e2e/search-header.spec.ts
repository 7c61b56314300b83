import { basename, join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import axe from 'axe-core';
import { ADMIN, e2eUrl, SHOTS, type WrittenFrame, writtenFrames } from './support/scene.js';

/** EXPTIME as e2e/support/write-night.mjs writes it for the i-th frame. */
const exptimeOf = (frame: WrittenFrame, i: number) => (frame.kind === 'flat' ? 2 : [30, 60, 120, 300][i % 4]!);
const namesWhere = (keep: (frame: WrittenFrame, i: number) => boolean) =>
  writtenFrames()
    .filter(keep)
    .map((f) => basename(f.path))
    .sort();

const heading = (n: number) => new RegExp(`^${n} frames?$`);

async function shownNames(page: Page): Promise<string[]> {
  const cells = page.locator('.results-table .trow[data-id] .tcell:last-child');
  return (await cells.allTextContents()).map((t) => t.trim()).sort();
}

async function expectNoSeriousAxeViolation(page: Page): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  // The axe audit is injected as an inline script, which the app's CSP would refuse.
  context = await browser.newContext({ bypassCSP: true });
  page = await context.newPage();
  await page.goto(e2eUrl());
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  // Run alone, this spec meets an empty server and makes the admin; after aims.spec.ts it signs in.
  const create = page.getByRole('button', { name: 'Create the admin account' });
  if (await create.isVisible()) await create.click();
  else await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.topbar .badge-accent')).toHaveText('admin');
});

test.afterAll(async () => {
  await context.close();
});

test('header conditions narrow the search, live in the URL and come off again', async () => {
  // After aims.spec.ts the catalog also holds its live frame (a flat at -10 °C, 2 s), which no
  // condition below matches: the written frames say which frames match, the API how many there are.
  const total = (await (await page.request.get(`${e2eUrl()}/api/images?limit=1&fields=id`)).json()).total as number;
  expect(total).toBeGreaterThanOrEqual(writtenFrames().length);
  await page.goto(e2eUrl());
  await expect(page.getByRole('heading', { name: heading(total) })).toBeVisible();
  const group = page.getByRole('group', { name: 'Header keywords' });
  const keyword = group.getByRole('combobox', { name: 'Keyword' });
  const operator = group.getByRole('combobox', { name: 'Operator' });
  const value = group.getByRole('textbox', { name: 'Value' });

  // Keywords are suggested from the catalog's own (CTYPE1 is in no list of common ones).
  const suggestions = page.locator(`datalist#${await keyword.getAttribute('list')} option`);
  await expect(suggestions.and(page.locator('[value="CTYPE1"]'))).toHaveCount(1);
  await expect(suggestions.and(page.locator('[value="CCD-TEMP"]'))).toHaveCount(1);

  // ≤ needs a number: the error shows in place and nothing is searched.
  await keyword.fill('ccd-temp');
  await expect(keyword).toHaveValue('CCD-TEMP');
  await operator.selectOption('<=');
  await value.fill('cold');
  await expect(group.getByText('≤ needs a number, e.g. 12340 or -9.5')).toBeVisible();
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await group.getByRole('button', { name: 'Add' }).click();
  await expect(page).not.toHaveURL(/header\./);
  await expect(page.getByRole('heading', { name: heading(total) })).toBeVisible();

  // CCD-TEMP ≤ -15: the frames at -15 and -20 °C.
  await value.fill('-15');
  await value.press('Enter');
  const cold = namesWhere((f) => f.ccdTemp <= -15);
  expect(cold.length).toBeGreaterThan(0);
  expect(cold.length).toBeLessThan(writtenFrames().length);
  await expect(page.getByRole('heading', { name: heading(cold.length) })).toBeVisible();
  await expect(page).toHaveURL(/[?&]header\.CCD-TEMP%3C=-15(&|$)/);
  expect(await shownNames(page)).toEqual(cold);

  // And EXPTIME ≥ 120.
  await keyword.fill('EXPTIME');
  await operator.selectOption('>=');
  await value.fill('120');
  await group.getByRole('button', { name: 'Add' }).click();
  const coldLong = namesWhere((f, i) => f.ccdTemp <= -15 && exptimeOf(f, i) >= 120);
  expect(coldLong.length).toBeGreaterThan(0);
  expect(coldLong.length).toBeLessThan(cold.length);
  await expect(page.getByRole('heading', { name: heading(coldLong.length) })).toBeVisible();
  expect(await shownNames(page)).toEqual(coldLong);
  await expect(page.getByRole('button', { name: 'Clear 2' })).toBeVisible();

  // A reload (or a shared link) gives the same search.
  await page.reload();
  await expect(page.getByRole('heading', { name: heading(coldLong.length) })).toBeVisible();
  expect(await shownNames(page)).toEqual(coldLong);
  const chips = group.getByRole('list', { name: 'Header conditions' }).getByRole('button');
  await expect(chips).toHaveText(['CCD-TEMP ≤ -15 ×', 'EXPTIME ≥ 120 ×']);
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'search-header.png') });
  await expectNoSeriousAxeViolation(page);

  // The CSV export carries the conditions: one line per matching frame.
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await page.request.get(`${e2eUrl()}${href}`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines.length - 1).toBe(coldLong.length);

  // Each chip takes its condition off.
  await group.getByRole('button', { name: 'Remove CCD-TEMP ≤ -15' }).click();
  const long = namesWhere((f, i) => exptimeOf(f, i) >= 120);
  await expect(page.getByRole('heading', { name: heading(long.length) })).toBeVisible();
  expect(await shownNames(page)).toEqual(long);
  await expect(page).not.toHaveURL(/CCD-TEMP/);

  // Text compares without case: IMAGETYP = "dark frame" with EXPTIME ≥ 120.
  await keyword.fill('IMAGETYP');
  await operator.selectOption('=');
  await value.fill('dark frame');
  await value.press('Enter');
  const darkLong = namesWhere((f, i) => f.kind === 'dark' && exptimeOf(f, i) >= 120);
  await expect(page.getByRole('heading', { name: heading(darkLong.length) })).toBeVisible();
  expect(await shownNames(page)).toEqual(darkLong);

  await group.getByRole('button', { name: 'Remove EXPTIME ≥ 120' }).click();
  await group.getByRole('button', { name: 'Remove IMAGETYP = dark frame' }).click();
  await expect(page.getByRole('heading', { name: heading(total) })).toBeVisible();
  await expect(page).not.toHaveURL(/header\./);
});
