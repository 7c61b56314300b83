/**
 * Fixity end to end with the `aims` binary on both dialects: FITS checksums verified at ingest
 * (astropy writes them; one flipped bit makes a bad one), then `aims verify` after files were
 * damaged in place, deleted and replaced by a link.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/db/audit.repository.js';
import { openDatabase } from '../../src/db/connection.js';
import { lastRun } from '../../src/db/fixity.repository.js';
import { queryImages } from '../../src/db/image-query.js';
import { runAims as runQuietly } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';

const runAims = (args: string[]) => runQuietly(args, { AIMS_LOG_LEVEL: 'silent' }).done;

const WRITE_FILES = `
import sys, numpy as np
from astropy.io import fits
out = sys.argv[1]
rng = np.random.default_rng(11)
def frame(seed, shape=(64, 64)):
    return np.random.default_rng(seed).integers(0, 60000, size=shape).astype(np.uint16)
fits.PrimaryHDU(frame(1)).writeto(out + '/good.fits', checksum=True)
fits.PrimaryHDU(frame(2)).writeto(out + '/bad.fits', checksum=True)
fits.PrimaryHDU(frame(3)).writeto(out + '/plain.fits')
fits.PrimaryHDU(frame(4)).writeto(out + '/zipped.fits', checksum=True)
# Over 16 MB: hashed and checksummed as a stream, not read whole.
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(rng.random((2100, 2100), dtype=np.float32))]).writeto(out + '/big.fits', checksum=True)
`;

const python = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy'], { encoding: 'utf8' });
const noAstropy = python.status === 0 ? undefined : `${SYSTEM_PYTHON} has no astropy`;

for (const dialect of DIALECTS) {
  describe.skipIf(noAstropy !== undefined)(`fixity on ${dialect}${noAstropy ? ` (skipped: ${noAstropy})` : ''}`, () => {
    let work: string;
    let images: string;
    let test: TestDatabase;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-fixity-'));
      images = join(work, 'images');
      mkdirSync(join(images, 'copies'), { recursive: true });
      const made = spawnSync(SYSTEM_PYTHON, ['-c', WRITE_FILES, images], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      // One bit of bad.fits's pixels flipped after astropy wrote its checksums.
      const bad = readFileSync(join(images, 'bad.fits'));
      bad[2880 + 500]! ^= 0x01;
      writeFileSync(join(images, 'bad.fits'), bad);
      writeFileSync(join(images, 'zipped.fits.gz'), gzipSync(readFileSync(join(images, 'zipped.fits'))));
      rmSync(join(images, 'zipped.fits'));
      copyFileSync(join(images, 'good.fits'), join(images, 'copies/good-copy.fits'));
      test = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await test?.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('verifies FITS checksums at ingest and flags the bad one', async () => {
      const ingest = await runAims(['ingest', images, '--db', test.url, '--json', '--skip-analysis']);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(JSON.parse(ingest.stdout)).toMatchObject({ files: 6, ingested: 5, duplicates: 1, failed: 0 });
      const database = await openDatabase(test.url);
      try {
        const page = await queryImages(database, {}, { limit: 10 });
        const status = Object.fromEntries(page.items.map((i) => [i.rel_path, i.checksum_status]));
        expect(status).toEqual({
          'good.fits': 'ok',
          'bad.fits': 'bad',
          'plain.fits': 'absent',
          'zipped.fits.gz': 'ok',
          'big.fits': 'ok',
        });
        for (const item of page.items) expect(item.fixity_status).toBe('ok');
        const flagged = await queryImages(database, { checksum_status: 'bad' });
        expect(flagged.items.map((i) => i.rel_path)).toEqual(['bad.fits']);
        const audit = await listAudit(database, { action: 'fixity.checksum_bad', limit: 10 });
        expect(audit).toHaveLength(1);
        expect(audit[0]?.target).toBe(join(images, 'bad.fits'));
        expect(JSON.stringify(audit[0]?.details)).toMatch(/DATASUM says/);
      } finally {
        await database.close();
      }
    });

    it('aims verify: all files read, the bad checksum reported, exit 1', async () => {
      const run = await runAims(['verify', '--db', test.url, '--json']);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ files: 6, ok: 6, changed: 0, missing: 0, unreadable: 0, checksum_bad: 1 });
      expect(report.problems).toEqual([
        expect.objectContaining({ problem: 'checksum_bad', file_path: join(images, 'bad.fits') }),
      ]);
    });

    it('aims verify: a byte changed in place, a file deleted, a link in place of a copy', async () => {
      const big = join(images, 'big.fits');
      const before = statSync(big);
      const bytes = readFileSync(big);
      bytes[bytes.length - 5000]! ^= 0x20;
      writeFileSync(big, bytes);
      utimesSync(big, before.atimeMs / 1000, before.mtimeMs / 1000);
      rmSync(join(images, 'plain.fits'));
      rmSync(join(images, 'copies/good-copy.fits'));
      symlinkSync(join(images, 'good.fits'), join(images, 'copies/good-copy.fits'));

      const run = await runAims(['verify', '--db', test.url, '--json']);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ files: 6, ok: 3, changed: 1, missing: 1, unreadable: 1, checksum_bad: 1 });
      const byPath = Object.fromEntries(
        (report.problems as { file_path: string; problem: string; reason: string }[]).map((p) => [p.file_path, p]),
      );
      expect(byPath[big]).toMatchObject({ problem: 'changed', reason: expect.stringMatching(/in place/) });
      expect(byPath[join(images, 'plain.fits')]).toMatchObject({ problem: 'missing' });
      expect(byPath[join(images, 'copies/good-copy.fits')]).toMatchObject({ problem: 'unreadable', path: 'copy' });

      const human = await runAims(['verify', '--db', test.url, '--sample', '2']);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(/^verified [2-4] files in/m);

      const database = await openDatabase(test.url);
      try {
        const changed = await queryImages(database, { fixity_status: 'changed' });
        expect(changed.items.map((i) => [i.rel_path, i.verified_at !== null])).toEqual([['big.fits', true]]);
        expect(await lastRun(database)).toMatchObject({ source: 'cli' });
        const runs = await listAudit(database, { action: 'fixity.run', limit: 10 });
        expect(runs).toHaveLength(3);
        expect(runs[1]?.details).toMatchObject({ files: 6, changed: 1, missing: 1, unreadable: 1 });
        const problems = await listAudit(database, { action: 'fixity.problem', limit: 100 });
        expect(problems.filter((p) => p.target === big).map((p) => p.details?.problem)).toContain('changed');
      } finally {
        await database.close();
      }
    });

    it('refuses a sample that is not a positive whole number', async () => {
      const run = await runAims(['verify', '--db', test.url, '--sample', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--sample/);
    });
  });
}
