/**
 * The watcher, the rescans and the pipeline together, in this process, on real files and both
 * catalog dialects: a frame written slowly, a file deleted and put back, exclusion globs.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits } from '@aims/fits';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Env, loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/connection.js';
import { eventsAfter } from '../../src/db/event-outbox.repository.js';
import { queryImages } from '../../src/db/image-query.js';
import { findImageByPath, getImage, insertImage } from '../../src/db/images.repository.js';
import { countByState, findLedgerEntry, listLedger, upsertDiscovered } from '../../src/db/ingest-ledger.repository.js';
import { createIngestService, type IngestService } from '../../src/ingest/ingest-service.js';
import { EventBus } from '../../src/util/events.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { makeImage } from '../support/images.js';
import { generateFrame } from '../support/synthetic-frames.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

const BLOCK_SIZE = 2880;

async function until<T>(check: () => Promise<T | false | null | undefined>, what: string, timeoutMs = 60_000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function oneFrame(seed: number, width = 160, height = 160): Uint8Array {
  const frame = generateFrame({ width, height, seed, stars: { count: 15, fwhm: 3 } });
  return writeFits([
    {
      bitpix: 16,
      bzero: 32768,
      axes: [width, height],
      data: frame.data,
      cards: [
        { key: 'DATE-OBS', value: '2024-05-02T01:02:03' },
        { key: 'OBJECT', value: 'M 13' },
        { key: 'EXPTIME', value: 60 },
        { key: 'IMAGETYP', value: 'LIGHT' },
        { key: 'FILTER', value: 'R' },
      ],
    },
  ]);
}

for (const dialect of DIALECTS) {
  describe(`ingest service (watcher + rescan + pipeline) on ${dialect}`, () => {
    const t = useTestDatabase(dialect);
    let work: string;
    let images: string;
    let service: IngestService | undefined;
    /** The ingest.failed events the service wrote to the event outbox. */
    const failures = async () =>
      (await eventsAfter(t.database, 0, [], 10_000)).flatMap(({ event }) =>
        event?.type === 'ingest.failed' ? [`${event.data.file_path}: ${event.data.reason}`] : [],
      );
    /** Warnings and errors the service logged: none is expected in these tests. */
    const problems: string[] = [];

    function startService(env: Env, database: Database): Promise<void> {
      const config = loadConfig(
        { AIMS_DATA_DIR: join(work, 'data'), AIMS_STABLE_SECONDS: '0', AIMS_RESCAN_SECONDS: '0', ...env },
        { imageDirs: [images] },
      );
      service = createIngestService(config, database, new EventBus(), {
        threads: 1,
        log: (level, message, fields) => {
          if (level === 'warn' || level === 'error') problems.push(`${level} ${message} ${JSON.stringify(fields)}`);
        },
      });
      return service.start();
    }

    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'aims-service-'));
      images = join(work, 'images');
      mkdirSync(images);
      problems.length = 0;
    });
    afterEach(async () => {
      await service?.stop();
      service = undefined;
      rmSync(work, { recursive: true, force: true });
    });

    it('takes a frame written slowly only once it is complete, and only once', async () => {
      await startService({ AIMS_STABLE_SECONDS: '1', AIMS_RESCAN_SECONDS: '1' }, t.database);
      const bytes = oneFrame(11);
      const path = join(images, 'slow.fits');
      const statesSeen = new Set<string>();
      let writing = true;
      const watchLedger = (async () => {
        while (writing) {
          const entry = await findLedgerEntry(t.database, images, 'slow.fits');
          if (entry) statesSeen.add(entry.state);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      // A camera driver that writes one block every 150 ms: 23 blocks, about 3.5 s.
      writeFileSync(path, '');
      for (let offset = 0; offset < bytes.length; offset += BLOCK_SIZE) {
        appendFileSync(path, bytes.subarray(offset, offset + BLOCK_SIZE));
        await new Promise((r) => setTimeout(r, 150));
      }
      const done = await until(async () => {
        const entry = await findLedgerEntry(t.database, images, 'slow.fits');
        if (entry) statesSeen.add(entry.state);
        return entry && entry.state !== 'pending' ? entry : null;
      }, 'the slow frame is settled');
      writing = false;
      await watchLedger;

      expect(done.state).toBe('ingested');
      expect(statesSeen.has('failed')).toBe(false);
      expect(await failures()).toEqual([]);
      expect(problems).toEqual([]);
      const page = await queryImages(t.database, {}, { limit: 10 });
      expect(page.total).toBe(1);
      const image = await getImage(t.database, page.items[0]!.id);
      expect(image?.size_bytes).toBe(bytes.length);
      expect(image?.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
      expect(image?.naxis1).toBe(160);
      // Rescans every second since: still one image, one ledger row, nothing read again.
      await new Promise((r) => setTimeout(r, 2500));
      expect((await queryImages(t.database, {}, { limit: 10 })).total).toBe(1);
      expect(await countByState(t.database)).toMatchObject({ ingested: 1, pending: 0, failed: 0, unchanged: 0 });
    });

    it('marks a deleted file missing (not deleted) and present again when it comes back', async () => {
      writeSyntheticNight(images, { count: 3, width: 32, height: 32, seed: 5 });
      await startService({}, t.database);
      await until(async () => (await countByState(t.database)).ingested === 3, 'three frames ingested');
      const page = await queryImages(t.database, {}, { limit: 10 });
      const victim = page.items[0]!;
      const relPath = victim.file_path.slice(images.length + 1);
      const aside = join(work, 'aside.fits');
      const before = await getImage(t.database, victim.id);

      renameSync(victim.file_path, aside);
      await until(async () => (await findImageByPath(t.database, images, relPath))?.missing, 'marked missing');
      const gone = await getImage(t.database, victim.id);
      expect(gone?.missing_since).not.toBeNull();
      expect((await queryImages(t.database, {}, { limit: 10 })).total).toBe(3);

      // Back with the same name, inode, size and mtime: the ledger must not take it for unchanged.
      renameSync(aside, victim.file_path);
      await until(
        async () => (await findImageByPath(t.database, images, relPath))?.missing === false,
        'marked present again',
      );
      const back = await getImage(t.database, victim.id);
      expect(back?.missing_since).toBeNull();
      expect(back?.sha256).toBe(before?.sha256);
      expect(back?.file_path).toBe(victim.file_path);
      expect((await queryImages(t.database, {}, { limit: 10 })).total).toBe(3);
      const entry = await findLedgerEntry(t.database, images, relPath);
      expect(entry?.state).toBe('unchanged');
      expect(entry?.image_id).toBe(victim.id);
      expect(entry?.reason).toMatch(/back/);
      expect(await failures()).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('reads no file through a symbolic link, found by the first scan, the watcher or a rescan', async () => {
      const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
      mkdirSync(join(work, 'outside'));
      mkdirSync(join(images, 'night'));
      const secret = oneFrame(41, 24, 24);
      const own = oneFrame(42, 24, 24);
      writeFileSync(join(work, 'outside/secret.fits'), secret);
      writeFileSync(join(images, 'night/own.fits'), own);
      symlinkSync(join(work, 'outside/secret.fits'), join(images, 'night/escape.fits'));
      symlinkSync(join(images, 'night/own.fits'), join(images, 'night/alias.fits'));
      symlinkSync(join(work, 'outside/none.fits'), join(images, 'night/dangling.fits'));
      // What an older version catalogued through the link: marked missing once the link is refused.
      const old = await insertImage(
        t.database,
        makeImage({ root: images, rel_path: 'night/escape.fits', sha256: sha(secret), size_bytes: secret.length }),
      );
      await startService({}, t.database);
      // After start only the watcher can see it (no periodic rescan).
      symlinkSync(join(work, 'outside/secret.fits'), join(images, 'night/later.fits'));
      const settled = async () => {
        const ledger = await listLedger(t.database, { limit: 100 });
        return ledger.items.length === 5 && ledger.items.every((e) => e.state !== 'pending') ? ledger : null;
      };
      const ledger = await until(settled, 'every path settled');
      const outside = 'symbolic link to a file outside the image roots';
      const byPath = Object.fromEntries(ledger.items.map((e) => [e.rel_path, [e.state, e.reason, e.retryable]]));
      expect(byPath).toEqual({
        'night/own.fits': ['ingested', null, false],
        'night/escape.fits': ['failed', outside, false],
        'night/later.fits': ['failed', outside, false],
        'night/alias.fits': [
          'failed',
          'symbolic link to night/own.fits inside the image roots: the target is catalogued under its own path',
          false,
        ],
        'night/dangling.fits': ['failed', 'symbolic link to a file that does not exist', false],
      });
      expect((await getImage(t.database, old.id))?.missing_since).not.toBeNull();
      const page = await queryImages(t.database, { missing: false }, { limit: 10 });
      expect(page.items.map((i) => i.file_path)).toEqual([join(images, 'night/own.fits')]);
      expect((await getImage(t.database, page.items[0]!.id))?.sha256).toBe(sha(own));
      expect((await failures()).filter((f) => f.includes(outside)).length).toBe(2);

      // A rescan finds the links again and leaves them refused: not pending, not read, not retried.
      const attempts = ledger.items.map((e) => [e.rel_path, e.attempts]);
      await service?.rescan();
      await new Promise((r) => setTimeout(r, 500));
      const again = await listLedger(t.database, { limit: 100 });
      expect(again.items.map((e) => [e.rel_path, e.attempts])).toEqual(attempts);
      expect(again.items.map((e) => e.state).sort()).toEqual(['failed', 'failed', 'failed', 'failed', 'ingested']);
      expect((await queryImages(t.database, { missing: false }, { limit: 10 })).total).toBe(1);
    });

    it('skips AIMS_EXCLUDE globs in the first scan and in what the watcher reports', async () => {
      const frame = (seed: number) => oneFrame(seed, 24, 24);
      mkdirSync(join(images, 'keep'));
      mkdirSync(join(images, 'rejected'));
      writeFileSync(join(images, 'keep/a.fits'), frame(1));
      writeFileSync(join(images, 'keep/a_bad.fits'), frame(2));
      writeFileSync(join(images, 'rejected/b.fits'), frame(3));
      // No periodic rescan: what appears after start can only come from the watcher.
      await startService({ AIMS_EXCLUDE: 'rejected, **/*_bad.fits' }, t.database);
      await until(async () => (await countByState(t.database)).ingested === 1, 'the first scan ingested a.fits');

      writeFileSync(join(images, 'rejected/c.fits'), frame(4));
      writeFileSync(join(images, 'keep/c_bad.fits'), frame(5));
      mkdirSync(join(images, 'rejected/deeper'));
      writeFileSync(join(images, 'rejected/deeper/d.fits'), frame(6));
      writeFileSync(join(images, 'keep/e.fits'), frame(7));
      await until(async () => (await countByState(t.database)).ingested === 2, 'the watcher reported e.fits');
      await new Promise((r) => setTimeout(r, 1000));
      // An explicit rescan honours the globs too.
      await service?.rescan();
      await new Promise((r) => setTimeout(r, 500));

      const ledger = await listLedger(t.database, { limit: 100 });
      expect(ledger.items.map((e) => e.rel_path).sort()).toEqual(['keep/a.fits', 'keep/e.fits']);
      expect((await queryImages(t.database, {}, { limit: 10 })).total).toBe(2);
      expect(problems).toEqual([]);
    });
  });
}

describe('a worker that cannot see an image folder', () => {
  const t = useTestDatabase('sqlite');

  it('does not mark its images missing; the entry fails as retryable', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-unmounted-'));
    const images = join(work, 'share');
    try {
      writeSyntheticNight(images, { count: 2, width: 24, height: 24, seed: 9 });
      const config = loadConfig(
        { AIMS_DATA_DIR: join(work, 'data'), AIMS_STABLE_SECONDS: '0' },
        { imageDirs: [images] },
      );
      const service = createIngestService(config, t.database, new EventBus(), { threads: 0 });
      await service.rescan();
      await service.pipeline.drain();
      expect(await countByState(t.database)).toMatchObject({ ingested: 2 });
      // The share goes away (unmounted), and one of its files is queued again by another machine.
      renameSync(images, join(work, 'unmounted'));
      const [entry] = (await listLedger(t.database, { limit: 1 })).items;
      await upsertDiscovered(t.database, [{ ...entry!, mtime_ms: entry!.mtime_ms + 1000 }]);
      await service.pipeline.drain();
      await service.stop();

      const after = await findLedgerEntry(t.database, images, entry!.rel_path);
      expect(after?.state).toBe('failed');
      expect(after?.retryable).toBe(true);
      expect(after?.reason).toMatch(/not reachable/);
      expect((await queryImages(t.database, { missing: true }, { limit: 10 })).total).toBe(0);
      expect((await findImageByPath(t.database, images, entry!.rel_path))?.missing).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
