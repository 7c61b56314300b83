/**
 * Libraries in the web UI, on the server of e2e/global-setup.ts (AIMS_LIBRARY_ROOTS: its
 * `libraries` folder): an admin adds a camera folder, its frames arrive (and one written later),
 * a folder outside the allowed roots is refused with the reason, and removing the library with
 * its frames leaves the catalog as it was for the specs after this one.
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFits } from '@aims/fits';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN, e2eUrl, SHOTS } from './support/scene.js';

/**
 * A focus frame (image type `other`, no object): it changes no target, no calibration match and
 * no count of lights that the other specs check.
 */
function writeFocusFrame(path: string, index: number): void {
  const data = new Int16Array(32 * 32).map((_, i) => ((i * 7919 + index * 104_729) % 2000) - 1000);
  const bytes = writeFits([
    {
      bitpix: 16,
      axes: [32, 32],
      data,
      cards: [
        { key: 'DATE-OBS', value: `2023-10-10T04:0${index}:00` },
        { key: 'IMAGETYP', value: 'Focus' },
        { key: 'EXPTIME', value: 2 },
        { key: 'FILTER', value: 'L' },
      ],
    },
  ]);
  writeFileSync(path, bytes);
}

test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
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

test('an admin adds a library in the UI and sees its frames arrive; removes it with its frames', async () => {
  const roots = realpathSync(join(process.env.AIMS_E2E_DIR!, 'libraries'));
  const folder = join(roots, 'roof-camera');
  mkdirSync(join(folder, '2023-10-10'), { recursive: true });
  writeFocusFrame(join(folder, '2023-10-10/focus_1.fits'), 1);
  writeFocusFrame(join(folder, '2023-10-10/focus_2.fits'), 2);

  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('tab', { name: 'Libraries' }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel.getByRole('heading', { name: 'Libraries' })).toBeVisible();
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  // The folder of --images is a library too, managed by the configuration.
  await expect(panel.locator('tbody tr')).toHaveCount(1);
  await expect(panel.locator('tbody tr').first()).toContainText('configuration');

  // Outside AIMS_LIBRARY_ROOTS: refused, with the reason.
  await panel.getByLabel('Folder on the server').fill(join(process.env.AIMS_E2E_DIR!, 'images'));
  await panel.getByRole('button', { name: 'Add library' }).click();
  await expect(panel.getByRole('alert')).toContainText('outside the folders AIMS_LIBRARY_ROOTS allows');

  await panel.getByLabel('Folder on the server').fill(folder);
  await panel.getByLabel('Name', { exact: true }).fill('Roof camera');
  await panel.getByLabel('Time zone for observing nights').fill('America/Denver');
  await panel.getByRole('button', { name: 'Add library' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Added library Roof camera' })).toBeVisible();
  const row = panel.locator(`tr[data-library="${folder}"]`);
  await expect(row.locator('td[data-frames]')).toHaveText('2', { timeout: 30_000 });
  await expect(row).toContainText('America/Denver');

  // A frame written now is seen by the library's watcher.
  writeFocusFrame(join(folder, '2023-10-10/focus_3.fits'), 3);
  await expect(row.locator('td[data-frames]')).toHaveText('3', { timeout: 30_000 });
  await expect(row.locator('.badge')).toHaveText('watching');
  await page.screenshot({ path: join(SHOTS, 'admin-libraries.png'), fullPage: true });

  // Its frames are in the catalog, dated by the library's time zone (04:0x UTC is the evening of the 9th in Denver).
  const found = await page.request.get(`${e2eUrl()}/api/images?night=2023-10-09&fields=id,file_path&limit=10`);
  const items = (await found.json()).items as Array<{ id: number; file_path: string }>;
  expect(items.map((i) => i.file_path).sort()).toEqual(
    [1, 2, 3].map((n) => join(folder, `2023-10-10/focus_${n}.fits`)),
  );
  const download = await page.request.get(`${e2eUrl()}/api/images/${items[0]!.id}/download`);
  expect(download.status()).toBe(200);

  await row.getByRole('button', { name: 'Remove Roof camera' }).click();
  await panel.getByLabel('Remove its 3 frames from the catalog').check();
  await panel.getByRole('button', { name: 'Remove library' }).click();
  await expect(panel.getByRole('status')).toContainText(
    'Removed library Roof camera: 3 frames removed from the catalog',
  );
  await expect(panel.locator('tbody tr')).toHaveCount(1);
  const after = await page.request.get(`${e2eUrl()}/api/images?night=2023-10-09&limit=10`);
  expect((await after.json()).total).toBe(0);
});
