/**
 * The catalog's server restarted in the middle of an ingest, on a private server of each engine
 * that can be restarted (test/support/private-server.ts; never the shared one other tests use):
 * the watcher, the ledger and the workers carry on by themselves once it answers again, and the
 * final catalog is exact — every frame once, none lost, none doubled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { createIngestService, type IngestService } from '../../src/ingest/ingest-service.js';
import { EventBus } from '../../src/util/events.js';
import { catalogDiscrepancies, until } from '../support/catalog-truth.js';
import { type PrivateServer, privateServerEngines, startPrivateServer } from '../support/private-server.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';
import { skipBecause } from '../support/tmpfs.js';

for (const engine of privateServerEngines()) {
  const skip = skipBecause(`the ${engine.dialect} restart fault tests`, engine.unavailable);
  describe.skipIf(skip)(`ingest while ${engine.dialect} restarts`, () => {
    let server: PrivateServer | undefined;
    let work: string;
    let database: Database | undefined;
    let service: IngestService | undefined;

    beforeAll(async () => {
      server = await startPrivateServer(engine.dialect);
      work = mkdtempSync(join(tmpdir(), 'aims-restart-'));
    });
    afterAll(async () => {
      await service?.stop();
      await database?.close();
      server?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    const imageCount = async (db: Database) =>
      Number(
        (
          await db.db
            .selectFrom('images')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('resumes by itself after a fast and an immediate restart; nothing lost, nothing doubled', async () => {
      const images = join(work, 'images');
      writeSyntheticNight(join(images, 'night1'), { count: 40, width: 96, height: 96, seed: 31 });
      const config = loadConfig(
        {
          AIMS_DATA_DIR: join(work, 'data'),
          AIMS_STABLE_SECONDS: '0',
          AIMS_RESCAN_SECONDS: '0',
          AIMS_RETRY_SECONDS: '1',
        },
        { imageDirs: [images], databaseUrl: server?.url },
      );
      database = await openDatabase(config.databaseUrl);
      const errors: string[] = [];
      service = createIngestService(config, database, new EventBus(), {
        threads: 2,
        log: (level, message, fields) => {
          if (level === 'error') errors.push(`${message} ${JSON.stringify(fields)}`);
        },
      });
      await service.start();
      const db = database;

      // 1. An immediate stop (as after a crash) while frames are being written to the catalog,
      //    down for two seconds, while the camera goes on writing frames into a new folder.
      await until(async () => (await imageCount(db)) >= 5, 'the first frames catalogued', 120_000);
      const restarted = server?.restart('immediate', 2000);
      writeSyntheticNight(join(images, 'night2'), { count: 20, width: 96, height: 96, seed: 32 });
      await restarted;
      // 2. A fast (clean) restart a little later.
      await until(async () => (await imageCount(db)) >= 45, 'frames catalogued after the first restart', 180_000);
      await server?.restart('fast', 1000);

      await until(
        async () => {
          const states = await countByState(db);
          return states.pending === 0 && states.failed === 0 && (await imageCount(db)) === 60;
        },
        'every frame catalogued once the server is back',
        180_000,
      );
      expect(await countByState(db)).toMatchObject({ ingested: 60, pending: 0, failed: 0, duplicate: 0 });
      expect(await catalogDiscrepancies(db, [images])).toEqual([]);
      // The outage was seen (and logged), not silently skipped over.
      expect(errors.length).toBeGreaterThan(0);

      // 3. A restart with nothing left to write: the health problem it raises is gone as soon as
      //    the engine answers again, not only when a frame is written or the problem goes stale
      //    (two retry periods + 10 s = 12 s here).
      const idleRestart = server?.restart('immediate', 3000);
      await until(async () => service?.problem() != null, 'the outage seen while idle', 20_000);
      await idleRestart;
      const back = Date.now();
      await until(async () => service?.problem() == null, 'the problem cleared once the engine answers', 30_000);
      expect(Date.now() - back).toBeLessThan(8000);
    });
  });
}
