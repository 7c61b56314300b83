import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { checkpointThreadOf, inTransaction, openDatabase } from '../../src/db/connection.js';

const PAGE = 4096;
const walBytes = (path: string) => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/** Writes `transactions` transactions of `rows` rows of 1 kB each; returns the WAL's largest size seen. */
async function write(
  database: Awaited<ReturnType<typeof openDatabase>>,
  path: string,
  transactions: number,
  rows = 100,
) {
  let largest = 0;
  for (let t = 0; t < transactions; t++) {
    await inTransaction(database, async (tx) => {
      for (let r = 0; r < rows; r++)
        await sql`insert into blobs (body) values (${Buffer.alloc(1000, (t * rows + r) % 251)})`.execute(tx.db);
    });
    largest = Math.max(largest, walBytes(path));
    // The writer's next transaction comes at once, as in an ingest: no pause for the thread.
  }
  return largest;
}

describe('WAL checkpoints on a thread of their own (SQLite)', () => {
  it('checkpoints off the writer, keeps the WAL bounded, and loses nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aims-checkpoint-')), 'catalog.db');
    const bound = 64;
    // The catalog's tables first, without the thread: closed, the file has no WAL left.
    const fresh = await openDatabase(`sqlite:${path}`);
    await sql`create table blobs (id integer primary key, body blob not null)`.execute(fresh.db);
    await fresh.close();
    expect(walBytes(path)).toBe(0);
    const database = await openDatabase(`sqlite:${path}`, {
      checkpointThread: { boundPages: bound, startAtWalBytes: 0 },
    });
    try {
      const thread = checkpointThreadOf(database);
      expect(thread).toBeDefined();
      // The writer's own automatic checkpoint is off: the thread's are the only ones.
      const [setting] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db))
        .rows;
      expect(setting?.wal_autocheckpoint).toBe(0);
      // 60 transactions of about 30 pages each: some 1,800 pages, 7 MB, were the WAL never reset.
      const largest = await write(database, path, 60);
      expect(thread?.stats.checkpoints).toBeGreaterThan(0);
      expect(thread?.stats.largestWal).toBeGreaterThan(0);
      // Bounded: the bound, plus the transactions written while the checkpoint of the last ran.
      expect(largest).toBeLessThan((bound + 4 * 40) * PAGE);
      const [count] = (await sql<{ n: number }>`select count(*) as n from blobs`.execute(database.db)).rows;
      expect(Number(count?.n)).toBe(6000);
    } finally {
      await database.close();
    }
    // Closed: everything is in the main file and the WAL is gone; opened again, every row is there.
    expect(walBytes(path)).toBe(0);
    const again = await openDatabase(`sqlite:${path}`);
    try {
      const [count] = (await sql<{ n: number }>`select count(*) as n from blobs`.execute(again.db)).rows;
      expect(Number(count?.n)).toBe(6000);
      expect(checkpointThreadOf(again)).toBeUndefined();
    } finally {
      await again.close();
    }
  });

  it('starts no thread for a catalog that writes little (its close copies the WAL)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aims-checkpoint-')), 'catalog.db');
    const fresh = await openDatabase(`sqlite:${path}`);
    await sql`create table blobs (id integer primary key, body blob not null)`.execute(fresh.db);
    await fresh.close();
    const database = await openDatabase(`sqlite:${path}`, { checkpointThread: true });
    const thread = checkpointThreadOf(database);
    try {
      // Three transactions, about 90 pages: under the 1,000 at which SQLite would checkpoint.
      await write(database, path, 3);
      expect(thread?.started).toBe(false);
      // Past 1,000 pages (4 MB), the thread starts and takes over.
      await write(database, path, 40);
      expect(thread?.started).toBe(true);
    } finally {
      await database.close();
    }
    expect(thread?.stats.checkpoints).toBeGreaterThan(0);
    expect(walBytes(path)).toBe(0);
  });
});
