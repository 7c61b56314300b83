import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { runAims } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

describe.runIf(DIALECTS.includes('postgres') && DIALECTS.includes('sqlite'))('aims migrate-catalog', () => {
  let work: string;
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'aims-migrate-'));
    writeSyntheticNight(join(work, 'images'), { count: 8, width: 48, height: 48 });
    [source, target] = await Promise.all([createTestDatabase('sqlite'), createTestDatabase('postgres')]);
    const ingest = await runAims(['ingest', join(work, 'images'), '--db', source.url, '--json', '--skip-analysis'])
      .done;
    expect(ingest.code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses bad usage and a source that does not exist', async () => {
    const missing = await runAims(['migrate-catalog', '--to', target.url]).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from and --to are required/);
    const nowhere = await runAims(['migrate-catalog', '--from', `sqlite:${join(work, 'no.db')}`, '--to', target.url])
      .done;
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/does not exist/);
  });

  it('killed in the middle of a copy, continues where it stopped when run again', async () => {
    // The target is migrated, then one of its tables is locked against writes (SHARE: reads go
    // on): the copy commits the tables before it and waits at its first insert, where it is killed.
    (await openDatabase(target.url)).close();
    const locker = new pg.Client({ connectionString: target.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table image_keywords in share mode');
    const first = runAims(['migrate-catalog', '--from', source.url, '--to', target.url, '--batch-size', '3']);
    try {
      await first.printed('copied image_paths');
      first.child.kill('SIGKILL');
      expect((await first.done).code).toBe(null);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    const database = await openDatabase(target.url);
    try {
      const count = async (table: 'images' | 'image_keywords' | 'ingest_ledger') =>
        Number(
          (
            await database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('images')).toBe(8);
      expect(await count('image_keywords')).toBe(0);
      expect(await count('ingest_ledger')).toBe(0);
    } finally {
      await database.close();
    }

    const second = await runAims(['migrate-catalog', '--from', source.url, '--to', target.url, '--batch-size', '3'])
      .done;
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^resuming the copy of sqlite:/);
    const rowsLeft = (out: string) => Number(/^\S.*: (\d+) rows$/m.exec(out)?.[1]);
    expect(rowsLeft(second.stdout)).toBeGreaterThan(0);
    expect(rowsLeft(second.stdout)).toBeLessThan(rowsLeft(first.stdout()));
    expect(second.stdout).toMatch(/copied ingest_ledger: 8 rows/);
    expect(second.stdout).toMatch(/verified: the copy matches the source/);

    // Once finished, running again copies nothing and verifies again.
    const third = await runAims(['migrate-catalog', '--from', source.url, '--to', target.url, '--json']).done;
    expect(third.code).toBe(0);
    const summary = JSON.parse(third.stdout) as { tables: { table: string; rows: number }[]; resumed: boolean };
    expect(summary.resumed).toBe(true);
    expect(summary.tables.find((t) => t.table === 'images')?.rows).toBe(8);
  });

  it('exits 2 with the reason when the target holds another catalog', async () => {
    const other = await createTestDatabase('sqlite');
    try {
      const ingest = await runAims(['ingest', join(work, 'images'), '--db', other.url, '--json', '--skip-analysis'])
        .done;
      expect(ingest.code).toBe(0);
      const refused = await runAims(['migrate-catalog', '--from', source.url, '--to', other.url]).done;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/the target catalog is not empty \(images: 8 rows\)/);
    } finally {
      await other.drop();
    }
  });
});
