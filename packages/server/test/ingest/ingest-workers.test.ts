import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { runAims } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the catalog holds, straight from the tables: the invariants every race must keep. */
async function catalogFacts(database: Database) {
  const images = await database.db.selectFrom('images').select(['id', 'sha256', 'root', 'rel_path']).execute();
  const paths = await database.db
    .selectFrom('image_paths')
    .select(['image_id', 'root', 'rel_path', 'kind'])
    .where('kind', '=', 'copy')
    .execute();
  const ledger = await database.db.selectFrom('ingest_ledger').select(['state', 'claimed_by', 'rel_path']).execute();
  return {
    images: images.length,
    distinctContents: new Set(images.map((i) => i.sha256)).size,
    distinctPaths: new Set(images.map((i) => `${i.root}/${i.rel_path}`)).size,
    imagePaths: images.map((i) => i.rel_path),
    copies: paths.map((p) => p.rel_path).sort(),
    ledgerRows: ledger.length,
    claimed: ledger.filter((e) => e.claimed_by !== null).length,
    states: await countByState(database),
  };
}

/** Stops a worker the way a supervisor does and returns its final outcome counts. */
async function stopWorker(run: Run): Promise<Record<string, number>> {
  run.child.kill('SIGTERM');
  const result = await run.done;
  expect(result.code).toBe(0);
  const stopped = result.stdout
    .split('\n')
    .filter((l) => l.includes('AIMS worker stopped'))
    .map((l) => JSON.parse(l) as { outcomes: Record<string, number> });
  expect(stopped).toHaveLength(1);
  return stopped[0]!.outcomes;
}

for (const dialect of DIALECTS) {
  describe(`a watching worker and two aims ingest on one folder, ${dialect}`, () => {
    let work: string;
    let test: TestDatabase;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-race-'));
      test = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await test.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('catalogs every frame once and every copy once', async () => {
      const images = join(work, 'images');
      const first = writeSyntheticNight(join(images, 'night1'), { count: 80, width: 32, height: 32, seed: 21 });
      mkdirSync(join(images, 'copies'));
      for (let i = 0; i < 5; i++) copyFileSync(first[i * 9]!.path, join(images, 'copies', `early_${i}.fits`));

      const worker = runAims(['worker', '--db', test.url, '--images', images, '--workers', '1'], {
        AIMS_RESCAN_SECONDS: '1',
        AIMS_LOG_LEVEL: 'info',
        AIMS_DATA_DIR: join(work, 'data'),
      });
      await worker.printed('AIMS worker ingest@');
      const cliEnv = { AIMS_DATA_DIR: join(work, 'data') };
      const cli = [
        runAims(['ingest', images, '--db', test.url, '--json', '--workers', '1'], cliEnv),
        runAims(['ingest', images, '--db', test.url, '--json', '--workers', '1'], cliEnv),
      ];
      // More frames and copies arrive while all three run: the watcher and the rescans see them.
      const second = writeSyntheticNight(join(images, 'night2'), { count: 40, width: 32, height: 32, seed: 22 });
      for (let i = 0; i < 5; i++) copyFileSync(second[i * 7]!.path, join(images, 'copies', `late_${i}.fits`));

      const results = await Promise.all(cli.map((c) => c.done));
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const summary = JSON.parse(result.stdout) as Record<string, number>;
        expect(summary.failed).toBe(0);
        expect(summary.updated).toBe(0);
        // Each run saw at least what was there before it started, and never more than all of it.
        expect(summary.files).toBeGreaterThanOrEqual(85);
        expect(summary.files).toBeLessThanOrEqual(130);
        expect(summary.ingested + summary.duplicates + summary.unchanged).toBe(summary.files);
      }

      const database = await openDatabase(test.url);
      try {
        await until(async () => {
          const facts = await catalogFacts(database);
          return facts.ledgerRows === 130 && facts.states.pending === 0;
        }, 'the worker has settled the late arrivals');
        const outcomes = await stopWorker(worker);
        expect(outcomes.failed).toBe(0);

        const facts = await catalogFacts(database);
        expect(facts.images).toBe(120);
        expect(facts.distinctContents).toBe(120);
        expect(facts.distinctPaths).toBe(120);
        // Which of two identical files becomes the image and which the copy depends on who read it
        // first; that every file is recorded exactly once, either way, does not.
        expect(facts.copies).toHaveLength(10);
        const everyFile = [
          ...first.map((f) => f.path),
          ...second.map((f) => f.path),
          ...[0, 1, 2, 3, 4].flatMap((i) => [`copies/early_${i}.fits`, `copies/late_${i}.fits`]),
        ].map((p) => (p.startsWith(images) ? p.slice(images.length + 1) : p));
        expect([...facts.imagePaths, ...facts.copies].sort()).toEqual(everyFile.sort());
        expect(facts.ledgerRows).toBe(130);
        expect(facts.claimed).toBe(0);
        expect(facts.states).toMatchObject({ pending: 0, ingested: 120, duplicate: 10, failed: 0, rejected: 0 });
      } finally {
        await database.close();
      }
    }, 300_000);
  });
}

// The server engines, where workers claim ledger rows with FOR UPDATE SKIP LOCKED.
for (const dialect of DIALECTS.filter((d) => d !== 'sqlite'))
  describe(`two aims worker processes on one ${dialect} catalog`, () => {
    it('split a folder of 200 frames between them, with exact totals', async () => {
      const work = mkdtempSync(join(tmpdir(), 'aims-workers-'));
      const test = await createTestDatabase(dialect);
      const images = join(work, 'images');
      mkdirSync(images);
      const env = { AIMS_RESCAN_SECONDS: '2', AIMS_LOG_LEVEL: 'info', AIMS_DATA_DIR: join(work, 'data') };
      const workers = [0, 1].map(() =>
        runAims(['worker', '--db', test.url, '--images', images, '--workers', '1'], env),
      );
      const database = await openDatabase(test.url);
      try {
        await Promise.all(workers.map((w) => w.printed('AIMS worker ingest@')));
        // The frames arrive once both are watching, so neither can have finished before the other began.
        writeSyntheticNight(images, { count: 200, width: 32, height: 32, seed: 31 });
        await until(async () => {
          const facts = await catalogFacts(database);
          return facts.ledgerRows === 200 && facts.states.ingested === 200;
        }, 'all 200 frames ingested');
        const outcomes = await Promise.all(workers.map(stopWorker));
        const ingestedBy = outcomes.map((o) => o.ingested ?? 0);
        expect(ingestedBy[0]).toBeGreaterThan(0);
        expect(ingestedBy[1]).toBeGreaterThan(0);
        expect(ingestedBy[0]! + ingestedBy[1]!).toBe(200);
        expect(outcomes.every((o) => o.failed === 0 && o.duplicate === 0)).toBe(true);

        const facts = await catalogFacts(database);
        expect(facts).toMatchObject({ images: 200, distinctContents: 200, distinctPaths: 200, copies: [], claimed: 0 });
        expect(facts.states).toMatchObject({ pending: 0, ingested: 200, failed: 0 });
      } finally {
        for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
        await database.close();
        await test.drop();
        rmSync(work, { recursive: true, force: true });
      }
    }, 300_000);
  });

describe('aims worker, stopped mid-night', () => {
  it('rejects a bad --workers with exit code 2', async () => {
    const result = await runAims(['worker', '--workers', 'many']).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--workers must be a whole number/);
  });

  it('on SIGTERM finishes what it holds, returns its claims and exits 0; a restart completes the night', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-sigterm-'));
    const test = await createTestDatabase('sqlite');
    const images = join(work, 'images');
    const env = { AIMS_RESCAN_SECONDS: '0', AIMS_LOG_LEVEL: 'info', AIMS_DATA_DIR: join(work, 'data') };
    writeSyntheticNight(images, { count: 150, width: 32, height: 32, seed: 41 });
    const database = await openDatabase(test.url);
    try {
      const first = runAims(['worker', '--db', test.url, '--images', images, '--workers', '1'], env);
      await until(async () => (await countByState(database)).ingested >= 10, 'some frames ingested', 120_000);
      const outcomes = await stopWorker(first);
      const mid = await catalogFacts(database);
      expect(mid.claimed).toBe(0);
      expect(mid.states.failed).toBe(0);
      // Every frame it reported is in the catalog, and nothing else: no half-written rows.
      expect(mid.images).toBe(outcomes.ingested);
      expect(mid.states.ingested).toBe(outcomes.ingested);
      expect(mid.states.ingested + mid.states.pending).toBe(150);

      const second = runAims(['worker', '--db', test.url, '--images', images, '--workers', '1'], env);
      await until(async () => (await countByState(database)).ingested === 150, 'the night completed', 240_000);
      await stopWorker(second);
      const facts = await catalogFacts(database);
      expect(facts).toMatchObject({ images: 150, distinctContents: 150, claimed: 0 });
      expect(facts.states).toMatchObject({ pending: 0, ingested: 150, failed: 0 });
    } finally {
      await database.close();
      await test.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
