/**
 * The disk holding the previews, or the SQLite catalog, fills up during an ingest (a tmpfs of a few
 * megabytes mounted by the test and filled to the last byte), with `aims serve` running in this
 * process: the ledger and `GET /api/health` say what is wrong, nothing is half-written (no partial
 * preview, no image without its previews and headers, an intact SQLite file), and ingest resumes
 * by itself once the space is back.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import type { DialectName } from '../../src/db/dialect.js';
import { countByState, listLedger } from '../../src/db/ingest-ledger.repository.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { previewPath } from '../../src/util/preview-paths.js';
import { catalogDiscrepancies, until } from '../support/catalog-truth.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';
import { fillDisk, mountTmpfs, skipBecause, type Tmpfs } from '../support/tmpfs.js';

interface Health {
  status: string;
  ingest: { problem: string | null; image_roots_offline: number };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Preview files that are not a whole image of their format (a write cut short by the full disk). */
async function unreadable(files: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const file of files) {
    if (!/-(thumb|medium)\.(webp|png)$/.test(file)) bad.push(file);
    else
      await sharp(file, { failOn: 'truncated' })
        .raw()
        .toBuffer()
        .catch(() => bad.push(file));
  }
  return bad;
}

/** Cases: which folder lives on the small disk. The catalog's own file only on SQLite. */
const CASES: { full: 'previews' | 'catalog'; dialects: DialectName[] }[] = [
  { full: 'previews', dialects: DIALECTS },
  { full: 'catalog', dialects: DIALECTS.filter((d) => d === 'sqlite') },
];

for (const { full, dialects } of CASES)
  for (const dialect of dialects) {
    describe(`the disk holding the ${full} fills up (${dialect})`, () => {
      let work: string;
      let disk: Tmpfs | string;
      let test: TestDatabase | undefined;
      let server: RunningServer | undefined;
      let database: Database | undefined;

      beforeEach(() => {
        work = mkdtempSync(join(tmpdir(), 'aims-full-'));
        disk = mountTmpfs(join(work, 'disk'), 4);
      });
      afterEach(async () => {
        await server?.close();
        await database?.close();
        await test?.drop();
        server = database = test = undefined;
        if (typeof disk !== 'string') disk.unmount();
        rmSync(work, { recursive: true, force: true });
      });

      it('says so in the ledger and the health report, writes nothing half, and resumes when space returns', async (ctx) => {
        if (skipBecause('the full-disk fault', typeof disk === 'string' ? disk : null)) return ctx.skip();
        const small = join(work, 'disk');
        const images = join(work, 'images');
        mkdirSync(images);
        const previewDir = full === 'previews' ? join(small, 'previews') : join(work, 'previews');
        let databaseUrl: string;
        if (full === 'catalog') databaseUrl = `sqlite:${join(small, 'aims.db')}`;
        else {
          test = await createTestDatabase(dialect);
          databaseUrl = test.url;
        }
        const config = loadConfig(
          {
            AIMS_DATA_DIR: join(work, 'data'),
            AIMS_PREVIEW_DIR: previewDir,
            AIMS_PORT: '0',
            AIMS_STABLE_SECONDS: '0',
            AIMS_RESCAN_SECONDS: '0',
            AIMS_RETRY_SECONDS: '1',
            AIMS_WORKERS: '1',
            AIMS_LOG_LEVEL: 'silent',
          },
          { imageDirs: [images], databaseUrl },
        );
        server = await startServer(config, { signals: false });
        database = await openDatabase(databaseUrl);
        const db = database;
        const health = async () => (await (await fetch(`${server?.url}/api/health`)).json()) as Health;
        expect((await health()).status).toBe('ok');

        const filler = fillDisk(small);
        writeSyntheticNight(join(images, 'night'), { count: 8, width: 64, height: 64, seed: 71 });
        const held = await until(async () => {
          const h = await health();
          return h.status === 'degraded' && h.ingest.problem ? h : null;
        }, 'the health report names the problem');
        expect(held.ingest.problem).toMatch(full === 'previews' ? /no space left/ : /disk is full|no space/i);
        if (full === 'previews') {
          const failed = await until(async () => {
            const page = await listLedger(db, { states: ['failed'] });
            return page.total > 0 ? page.items : null;
          }, 'failures in the ledger');
          for (const entry of failed) {
            expect(entry.reason).toMatch(/no space left on the device holding the previews/);
            expect(entry.retryable).toBe(true);
          }
        } else {
          // Whatever the ledger could still record says why.
          for (const entry of (await listLedger(db, { states: ['failed'] })).items)
            expect(entry.reason).toMatch(/catalog write failed: .*(full|space)/i);
        }
        // Nothing half-written meanwhile: every preview file whole (a `.partial` file may be in the
        // middle of a retry's write now; none may be left at the end), no image without previews
        // or headers.
        expect(await unreadable(filesUnder(previewDir).filter((f) => !f.endsWith('.partial')))).toEqual([]);
        const incomplete = async () => {
          const rows = await db.db
            .selectFrom('images')
            .leftJoin('image_headers', 'image_headers.image_id', 'images.id')
            .select(['images.id', 'images.sha256', 'image_headers.image_id as with_headers'])
            .execute();
          return rows.filter(
            (r) => r.with_headers === null || !existsSync(previewPath(previewDir, r.sha256, 'thumb', 'webp')),
          );
        };
        expect(await incomplete()).toEqual([]);

        rmSync(filler);
        await until(
          async () => {
            const states = await countByState(db);
            return states.ingested === 8 && states.pending === 0 && states.failed === 0;
          },
          'every frame ingested once space is back',
          120_000,
        );
        expect(await catalogDiscrepancies(db, [images])).toEqual([]);
        expect(await incomplete()).toEqual([]);
        expect(await unreadable(filesUnder(previewDir))).toEqual([]);
        expect((await health()).status).toBe('ok');
        if (full === 'catalog') {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.db);
          expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
        }
      });
    });
  }
