import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { queryImages } from '../../src/db/image-query.js';
import { countByState, listLedger } from '../../src/db/ingest-ledger.repository.js';
import { runAims as runQuietly } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { type NightFrame, writeSyntheticNight } from '../support/synthetic-night.js';

/** `aims` quietly: these tests read its JSON and exit codes, not its log. */
const runAims = (args: string[], env: Record<string, string> = {}) =>
  runQuietly(args, { AIMS_LOG_LEVEL: 'silent', ...env });

async function ingestJson(dir: string, url: string, extra: string[] = [], env: Record<string, string> = {}) {
  const { done } = runAims(['ingest', dir, '--db', url, '--json', ...extra], env);
  const result = await done;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.trim()) as Record<string, number>;
}

for (const dialect of DIALECTS) {
  describe(`aims ingest on ${dialect}`, () => {
    let work: string;
    let test: TestDatabase;
    let night: NightFrame[];

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-ingest-'));
      test = await createTestDatabase(dialect);
      night = writeSyntheticNight(join(work, 'images/2024-05-01'), { count: 300, width: 48, height: 48 });
      // Ten exact copies under other names.
      mkdirSync(join(work, 'images/copies'));
      for (let i = 0; i < 10; i++) copyFileSync(night[i * 7]!.path, join(work, 'images/copies', `copy_${i}.fit`));
      // Three broken files: truncated in the data, not FITS, empty.
      const whole = readFileSync(night[0]!.path);
      writeFileSync(join(work, 'images/truncated.fits'), whole.subarray(0, 2880 + 1000));
      writeFileSync(join(work, 'images/notes.fits'), 'observing log: clouds after 02:00\n');
      writeFileSync(join(work, 'images/empty.fits'), '');
    });
    afterAll(async () => {
      await test.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('counts exactly: 300 new frames, 10 copies, 3 broken files', async () => {
      const summary = await ingestJson(join(work, 'images'), test.url, ['--skip-analysis']);
      expect(summary).toMatchObject({ files: 313, ingested: 300, updated: 0, duplicates: 10, unchanged: 0, failed: 3 });
      expect(Object.keys(summary).sort()).toEqual([
        'duplicates',
        'failed',
        'files',
        'ingested',
        'seconds',
        'unchanged',
        'updated',
      ]);
      expect(summary.seconds).toBeGreaterThan(0);
    });

    it('records every path with its state and a reason for each failure', async () => {
      const database = await openDatabase(test.url);
      try {
        expect(await countByState(database)).toMatchObject({ ingested: 300, duplicate: 10, failed: 3, pending: 0 });
        const failed = await listLedger(database, { states: ['failed'] });
        const reasons = Object.fromEntries(failed.items.map((e) => [e.rel_path, e.reason ?? '']));
        expect(Object.keys(reasons).sort()).toEqual(['empty.fits', 'notes.fits', 'truncated.fits']);
        for (const reason of Object.values(reasons)) expect(reason.length).toBeGreaterThan(10);
        expect(reasons['truncated.fits']).toMatch(/declare|truncat/i);
      } finally {
        await database.close();
      }
    });

    it('normalizes what each header style says', async () => {
      const database = await openDatabase(test.url);
      try {
        const page = await queryImages(database, {}, { limit: 500 });
        expect(page.total).toBe(300);
        const byName = new Map(page.items.map((item) => [item.file_path, item]));
        for (const frame of night) {
          const item = byName.get(frame.path);
          expect(item, frame.path).toBeDefined();
          expect(item?.object_name).toBe(frame.object);
          expect(item?.filter_name).toBe(frame.filter);
          expect(item?.exptime).toBe(frame.exptime);
          expect(item?.ccd_temp).toBe(frame.ccdTemp);
          expect(item?.image_type).toBe('light');
          expect(item?.date_obs).toBe(`${frame.dateObs}Z`);
          expect(item?.ra_deg).toBeCloseTo(frame.raDeg, 6);
          expect(item?.dec_deg).toBeCloseTo(frame.decDeg, 6);
        }
      } finally {
        await database.close();
      }
    });

    it('running it again reads nothing again', async () => {
      const summary = await ingestJson(join(work, 'images'), test.url);
      expect(summary).toMatchObject({ files: 313, ingested: 0, updated: 0, duplicates: 0, unchanged: 313, failed: 0 });
    });

    it('new content at a known path updates the image; a renamed file moves its image', async () => {
      const replaced = night[1]!.path;
      const other = readFileSync(night[2]!.path);
      // Same header, different pixels: flip one data byte.
      const changed = Buffer.from(other);
      changed[changed.length - 10] = (changed[changed.length - 10]! + 1) & 0xff;
      writeFileSync(replaced, changed);
      const summary = await ingestJson(join(work, 'images'), test.url, ['--skip-analysis']);
      expect(summary).toMatchObject({ files: 313, updated: 1, ingested: 0, failed: 0 });

      const before = night[3]!.path;
      const after = join(work, 'images/2024-05-01/renamed.fits');
      renameSync(before, after);
      const moved = await ingestJson(join(work, 'images'), test.url, ['--skip-analysis']);
      expect(moved).toMatchObject({ files: 313, ingested: 1, duplicates: 0, failed: 0 });
      const database = await openDatabase(test.url);
      try {
        const page = await queryImages(database, {}, { limit: 1000 });
        expect(page.total).toBe(300);
        const paths = page.items.map((i) => i.file_path);
        expect(paths).toContain(after);
        expect(paths).not.toContain(before);
      } finally {
        await database.close();
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`aims ingest and symbolic links on ${dialect}`, () => {
    let work: string;
    let test: TestDatabase;
    beforeAll(async () => {
      work = realpathSync(mkdtempSync(join(tmpdir(), 'aims-ingest-links-')));
      test = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await test.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('catalogues no file through a link: outside the roots refused, inside left to its target', async () => {
      const images = join(work, 'images');
      const night = writeSyntheticNight(join(images, 'night'), { count: 2, width: 32, height: 32, seed: 3 });
      const [secret] = writeSyntheticNight(join(work, 'outside'), { count: 1, width: 32, height: 32, seed: 77 });
      symlinkSync(secret!.path, join(images, 'night', 'escape.fits'));
      symlinkSync(night[0]!.path, join(images, 'night', 'alias.fits'));
      symlinkSync(join(work, 'outside'), join(images, 'linked'));
      const env = { AIMS_IMAGE_DIR: images };

      const summary = await ingestJson(images, test.url, ['--skip-analysis'], env);
      expect(summary).toMatchObject({ files: 4, ingested: 2, failed: 2 });
      // Named through the linked folder: the path itself leads out of the roots.
      const throughFolder = await ingestJson(
        join(images, 'linked', secret!.path.split('/').at(-1)!),
        test.url,
        ['--skip-analysis'],
        env,
      );
      expect(throughFolder).toMatchObject({ files: 1, ingested: 0, failed: 1 });

      const database = await openDatabase(test.url);
      try {
        const page = await queryImages(database, {}, { limit: 10 });
        expect(page.items.map((i) => i.file_path).sort()).toEqual(night.map((f) => f.path).sort());
        const failed = await listLedger(database, { states: ['failed'] });
        const reasons = Object.fromEntries(failed.items.map((e) => [e.rel_path, [e.reason, e.retryable]]));
        const name = night[0]!.path.split('/').at(-1);
        expect(reasons).toEqual({
          'night/escape.fits': ['symbolic link to a file outside the image roots', false],
          'night/alias.fits': [
            `symbolic link to night/${name} inside the image roots: the target is catalogued under its own path`,
            false,
          ],
          [`linked/${secret!.path.split('/').at(-1)}`]: [
            'the path leads outside the image roots (through a linked folder)',
            false,
          ],
        });
      } finally {
        await database.close();
      }
      // Refused for good: a second run reads nothing again and refuses nothing again.
      const again = await ingestJson(images, test.url, ['--skip-analysis'], env);
      expect(again).toMatchObject({ files: 4, ingested: 0, failed: 0, unchanged: 4 });
    });
  });
}

describe('aims ingest, interrupted', () => {
  it('resumes after kill -9 with nothing lost or doubled', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-kill-'));
    const test = await createTestDatabase('sqlite');
    try {
      writeSyntheticNight(join(work, 'images'), { count: 120, width: 48, height: 48, seed: 7 });
      const first = runAims(['ingest', join(work, 'images'), '--db', test.url, '--json', '--workers', '1']);
      // Kill it once it has written some frames but not all.
      const database = await openDatabase(test.url);
      try {
        for (let i = 0; i < 600; i++) {
          const counts = await countByState(database).catch(() => null);
          if (counts && counts.ingested >= 10) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        first.child.kill('SIGKILL');
        await first.done;
        const mid = await countByState(database);
        expect(mid.ingested).toBeGreaterThanOrEqual(10);
        expect(mid.ingested).toBeLessThan(120);

        const second = runAims(['ingest', join(work, 'images'), '--db', test.url, '--json']);
        const result = await second.done;
        expect(result.code).toBe(0);
        const summary = JSON.parse(result.stdout) as Record<string, number>;
        expect(summary.files).toBe(120);
        expect(summary.ingested + summary.unchanged).toBe(120);
        expect(summary.failed).toBe(0);
        expect(await countByState(database)).toMatchObject({ ingested: 120, pending: 0, failed: 0 });
        expect((await queryImages(database, {}, { limit: 1 })).total).toBe(120);
      } finally {
        await database.close();
      }
    } finally {
      await test.drop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
