/**
 * An image folder that goes away and comes back — a share unmounted, a folder renamed away — on
 * every catalog dialect: while it is gone, no frame of it is marked missing (the root is reported
 * offline instead) and the other roots go on; when it returns, nothing is read again (the ledger's
 * rows stay as they were) and the counts are exact.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Env, loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/db/connection.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { createIngestService, type IngestService } from '../../src/ingest/ingest-service.js';
import { EventBus } from '../../src/util/events.js';
import { catalogDiscrepancies, until } from '../support/catalog-truth.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';
import { mountTmpfs, skipBecause, type Tmpfs } from '../support/tmpfs.js';

/** Every ledger row as it stands, to prove that nothing was touched. */
async function ledgerSnapshot(db: Database): Promise<string[]> {
  const rows = await db.db
    .selectFrom('ingest_ledger')
    .select(['root', 'rel_path', 'state', 'mtime_ms', 'inode', 'attempts', 'updated_at'])
    .orderBy('id')
    .execute();
  return rows.map((r) => `${r.root}/${r.rel_path} ${r.state} ${r.mtime_ms} ${r.inode} ${r.attempts} ${r.updated_at}`);
}

async function missingCount(db: Database): Promise<number> {
  const row = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('missing_since', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const dialect of DIALECTS) {
  describe(`an image folder offline and back on ${dialect}`, () => {
    const t = useTestDatabase(dialect);
    let work: string;
    let service: IngestService | undefined;
    const warnings: string[] = [];

    async function startService(roots: string[], env: Env = {}): Promise<IngestService> {
      const config = loadConfig(
        {
          AIMS_DATA_DIR: join(work, 'data'),
          AIMS_STABLE_SECONDS: '0',
          AIMS_RESCAN_SECONDS: '1',
          AIMS_RETRY_SECONDS: '1',
          ...env,
        },
        { imageDirs: roots },
      );
      service = createIngestService(config, t.database, new EventBus(), {
        threads: 1,
        log: (level, message, fields) => {
          if (level !== 'debug' && level !== 'info') warnings.push(`${message} ${JSON.stringify(fields)}`);
        },
      });
      await service.start();
      return service;
    }

    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'aims-offline-'));
      warnings.length = 0;
    });
    afterEach(async () => {
      await service?.stop();
      service = undefined;
      rmSync(work, { recursive: true, force: true });
    });

    it('a root renamed away: reported offline, nothing marked missing, nothing read again on return', async () => {
      const share = join(work, 'share');
      const local = join(work, 'local');
      writeSyntheticNight(join(share, 'night'), { count: 6, width: 48, height: 48, seed: 51 });
      writeSyntheticNight(local, { count: 2, width: 48, height: 48, seed: 52 });
      const running = await startService([share, local]);
      await until(async () => (await countByState(t.database)).ingested === 8, 'eight frames ingested');
      const before = await ledgerSnapshot(t.database);

      renameSync(share, join(work, 'share.unmounted'));
      await until(
        async () => (await running.rootStates()).find((r) => r.root === share)?.online === false,
        'the share reported offline',
      );
      // Rescans every second and the watcher's reports of vanished files: give them time to act.
      await sleep(3000);
      // The other root goes on meanwhile.
      writeSyntheticNight(join(local, 'more'), { count: 1, width: 48, height: 48, seed: 53 });
      await until(async () => (await countByState(t.database)).ingested === 9, 'a frame of the other root ingested');
      expect(await missingCount(t.database)).toBe(0);
      expect((await ledgerSnapshot(t.database)).filter((r) => r.startsWith(share))).toEqual(
        before.filter((r) => r.startsWith(share)),
      );
      expect(warnings.some((w) => w.includes('offline'))).toBe(true);

      renameSync(join(work, 'share.unmounted'), share);
      await until(
        async () => (await running.rootStates()).find((r) => r.root === share)?.online === true,
        'the share back online',
      );
      await sleep(3000);
      expect((await ledgerSnapshot(t.database)).filter((r) => r.startsWith(share))).toEqual(
        before.filter((r) => r.startsWith(share)),
      );
      expect(await missingCount(t.database)).toBe(0);
      expect(await countByState(t.database)).toMatchObject({ ingested: 9, pending: 0, failed: 0, unchanged: 0 });
      expect(await catalogDiscrepancies(t.database, [share, local])).toEqual([]);

      // Frames written into it after its return are found again.
      writeSyntheticNight(join(share, 'night2'), { count: 1, width: 48, height: 48, seed: 54 });
      await until(async () => (await countByState(t.database)).ingested === 10, 'a new frame of the returned share');
      expect(await catalogDiscrepancies(t.database, [share, local])).toEqual([]);
    });

    describe('a share unmounted from its mount point (the root) and mounted again', () => {
      let disk: Tmpfs | string;
      let mountPoint: string;
      beforeEach(() => {
        disk = mountTmpfs(join(work, 'disk'), 8);
        mountPoint = join(work, 'mnt');
        mkdirSync(mountPoint);
      });
      afterEach(() => {
        if (typeof disk === 'string') return;
        try {
          execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
        } catch {
          // not mounted
        }
        disk.unmount();
      });
      const bind = () => execFileSync('mount', ['--bind', join(work, 'disk'), mountPoint], { stdio: 'pipe' });
      const unbind = () => execFileSync('umount', [mountPoint], { stdio: 'pipe' });

      for (const polling of [false, true]) {
        it(`${polling ? 'polling (network shares)' : 'file-system events'}: the empty mount point is offline`, async (ctx) => {
          if (skipBecause('the unmounted-share fault', typeof disk === 'string' ? disk : null)) return ctx.skip();
          writeSyntheticNight(join(work, 'disk', 'night'), { count: 4, width: 48, height: 48, seed: 61 });
          bind();
          const running = await startService([mountPoint], polling ? { AIMS_USE_POLLING: 'true' } : {});
          await until(async () => (await countByState(t.database)).ingested === 4, 'four frames ingested');
          const before = await ledgerSnapshot(t.database);

          unbind();
          await until(async () => (await running.rootStates())[0]?.online === false, 'the share reported offline');
          // Polling looks every 2 s: long enough for it to see every file gone.
          await sleep(polling ? 5000 : 3000);
          expect(await missingCount(t.database)).toBe(0);
          expect(await ledgerSnapshot(t.database)).toEqual(before);

          bind();
          await until(async () => (await running.rootStates())[0]?.online === true, 'the share back online');
          await sleep(polling ? 5000 : 3000);
          expect(await ledgerSnapshot(t.database)).toEqual(before);
          expect(await missingCount(t.database)).toBe(0);
          expect(await catalogDiscrepancies(t.database, [mountPoint])).toEqual([]);
        });
      }
    });
  });
}
