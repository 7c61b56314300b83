import { describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import {
  claimPending,
  completeEntry,
  countByState,
  type DiscoveredFile,
  failEntry,
  findLedgerEntry,
  listLedger,
  lockClaims,
  releaseClaims,
  requeue,
  stillAsRead,
  upsertDiscovered,
} from '../../src/db/ingest-ledger.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

const file = (rel_path: string, size_bytes = 100, mtime_ms = 1000, inode: number | null = 7): DiscoveredFile => ({
  root: '/data',
  rel_path,
  size_bytes,
  mtime_ms,
  inode,
});

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    const t = useTestDatabase(dialect);

    it('records a discovered path once and requeues it only when size, mtime or inode changed', async () => {
      const first = await upsertDiscovered(t.database, [file('a.fits'), file('b.fits', 100, 1000, null)], 10);
      expect(first.map((e) => [e.rel_path, e.state, e.file_path])).toEqual([
        ['a.fits', 'pending', '/data/a.fits'],
        ['b.fits', 'pending', '/data/b.fits'],
      ]);
      const [a] = first;
      await completeEntry(t.database, a?.id ?? -1, { state: 'ingested' });
      expect(await upsertDiscovered(t.database, [file('a.fits'), file('b.fits', 100, 1000, null)], 20)).toEqual([]);
      expect((await findLedgerEntry(t.database, '/data', 'a.fits'))?.state).toBe('ingested');
      for (const changed of [file('a.fits', 101), file('a.fits', 101, 1001), file('a.fits', 101, 1001, 8)]) {
        await completeEntry(t.database, a?.id ?? -1, { state: 'ingested' });
        const again = await upsertDiscovered(t.database, [changed], 30);
        expect(again).toHaveLength(1);
        expect(again[0]).toMatchObject({ id: a?.id, state: 'pending', attempts: 0, size_bytes: changed.size_bytes });
      }
      // null → a value is a change too (null-safe comparison).
      expect(await upsertDiscovered(t.database, [file('b.fits', 100, 1000, 3)], 40)).toHaveLength(1);
    });

    it('checks the claims of a transaction, read in one statement or one by one, alike', async () => {
      await upsertDiscovered(t.database, [file('x.fits'), file('y.fits', 100, 2000, null), file('z.fits')]);
      const [x, y, z] = await claimPending(t.database, 'w1', 3);
      const ids = [x!.id, y!.id, z!.id];
      // z is claimed by another worker by now (taken over after a stale claim).
      await releaseClaims(t.database, 'w1');
      await claimPending(t.database, 'w1', 2);
      await claimPending(t.database, 'w2', 1);
      const checks = async (tx: Parameters<typeof stillAsRead>[0]) => [
        await stillAsRead(tx, ids[0]!, 'w1', { mtime_ms: 1000, inode: 7 }),
        await stillAsRead(tx, ids[1]!, 'w1', { mtime_ms: 2000, inode: null }),
        await stillAsRead(tx, ids[2]!, 'w1', { mtime_ms: 1000, inode: 7 }),
        await stillAsRead(tx, ids[2]!, 'w2', { mtime_ms: 1000, inode: 7 }),
        // Facts that differ from the file that was read: rewritten meanwhile.
        await stillAsRead(tx, ids[0]!, 'w1', { mtime_ms: 1001, inode: 7 }),
        await stillAsRead(tx, ids[1]!, 'w1', { mtime_ms: 2000, inode: 3 }),
        // A row that no longer exists.
        await stillAsRead(tx, 999_999, 'w1', { mtime_ms: 1000, inode: 7 }),
      ];
      const expected = [true, true, false, true, false, false, false];
      expect(await inTransaction(t.database, checks)).toEqual(expected);
      const batched = await inTransaction(t.database, async (tx) => {
        await lockClaims(tx, [...ids, 999_999]);
        return checks(tx);
      });
      expect(batched).toEqual(expected);
    });

    it('claims pending rows oldest first, completes, fails, requeues and counts', async () => {
      await upsertDiscovered(
        t.database,
        ['1', '2', '3', '4', '5'].map((n) => file(`${n}.fits`)),
      );
      const claimed = await claimPending(t.database, 'w1', 3, { nowMs: 1000 });
      expect(claimed.map((e) => e.rel_path)).toEqual(['1.fits', '2.fits', '3.fits']);
      expect(claimed[0]).toMatchObject({ claimed_by: 'w1', attempts: 1, claimed_at: '1970-01-01T00:00:01.000Z' });
      const [c1, c2, c3] = claimed;
      expect(await completeEntry(t.database, c1?.id ?? -1, { state: 'ingested', claimedBy: 'someone-else' })).toBe(
        false,
      );
      expect(await completeEntry(t.database, c1?.id ?? -1, { state: 'unchanged', claimedBy: 'w1' })).toBe(true);
      expect(await failEntry(t.database, c2?.id ?? -1, 'truncated: 100 of 2880 bytes', true)).toBe(true);
      expect(await failEntry(t.database, c3?.id ?? -1, 'not a FITS file', false)).toBe(true);
      expect(await countByState(t.database)).toEqual({
        pending: 2,
        ingested: 0,
        duplicate: 0,
        unchanged: 1,
        rejected: 0,
        failed: 2,
      });
      // A live claim is not taken again; a stale one is.
      const rest = await claimPending(t.database, 'w2', 10, { nowMs: 2000 });
      expect(rest.map((e) => e.rel_path)).toEqual(['4.fits', '5.fits']);
      expect(await claimPending(t.database, 'w3', 10, { nowMs: 3000, staleAfterMs: 60_000 })).toEqual([]);
      const stolen = await claimPending(t.database, 'w3', 10, { nowMs: 1_000_000, staleAfterMs: 60_000 });
      expect(stolen.map((e) => [e.rel_path, e.attempts])).toEqual([
        ['4.fits', 2],
        ['5.fits', 2],
      ]);
      expect(await releaseClaims(t.database, 'w3')).toBe(2);

      const failed = await listLedger(t.database, { states: ['failed'] });
      expect(failed.total).toBe(2);
      expect(failed.items.map((e) => [e.rel_path, e.reason, e.retryable]).sort()).toEqual([
        ['2.fits', 'truncated: 100 of 2880 bytes', true],
        ['3.fits', 'not a FITS file', false],
      ]);
      expect((await listLedger(t.database, { pathContains: '3.FI' })).items.map((e) => e.rel_path)).toEqual(['3.fits']);
      expect((await listLedger(t.database, { pathContains: '%' })).total).toBe(0);
      expect((await listLedger(t.database, { limit: 2 })).items).toHaveLength(2);
      expect(await requeue(t.database, { retryableOnly: true })).toBe(1);
      expect((await findLedgerEntry(t.database, '/data', '2.fits'))?.state).toBe('pending');
      expect(await requeue(t.database)).toBe(1);
      expect((await countByState(t.database)).failed).toBe(0);
    });

    it('never hands the same row to two concurrent claimers on separate connections', async () => {
      const files = Array.from({ length: 400 }, (_, i) => file(`f${i}.fits`));
      await upsertDiscovered(t.database, files);
      const other = await openDatabase(t.url);
      try {
        const seen = new Map<number, string>();
        const worker = async (name: string, database: typeof other) => {
          for (;;) {
            const batch = await claimPending(database, name, 7);
            if (batch.length === 0) return;
            for (const entry of batch) {
              expect(seen.get(entry.id)).toBeUndefined();
              seen.set(entry.id, name);
              await completeEntry(database, entry.id, { state: 'ingested', claimedBy: name });
            }
          }
        };
        await Promise.all([
          worker('a1', t.database),
          worker('b1', other),
          worker('a2', t.database),
          worker('b2', other),
        ]);
        expect(seen.size).toBe(400);
        const byWorker = new Set(seen.values());
        expect(byWorker.size).toBeGreaterThan(1);
        expect((await countByState(t.database)).ingested).toBe(400);
      } finally {
        await other.close();
      }
    });
  });
}
