import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { countByState, upsertDiscovered } from '../../src/db/ingest-ledger.repository.js';
import { CommitGroup } from '../../src/ingest/commit-group.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

const file = (name: string) => ({ root: '/images', rel_path: name, size_bytes: 2880, mtime_ms: 1, inode: 1 });

for (const dialect of DIALECTS) {
  describe(`CommitGroup on ${dialect}`, () => {
    const t = useTestDatabase(dialect);

    it('commits when every entry has written or skipped, and returns each write its own result', async () => {
      const group = new CommitGroup(t.database, 4);
      const a = group.write(async (tx: Db) => (await upsertDiscovered(tx, [file('a.fits')])).length);
      group.skip();
      let settled = false;
      void a.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 50));
      // Two entries may still join: nothing is committed yet.
      expect(settled).toBe(false);
      expect((await countByState(t.database)).pending).toBe(0);
      const b = group.write(async (tx: Db) => (await upsertDiscovered(tx, [file('b.fits'), file('c.fits')])).length);
      group.skip();
      expect(await Promise.all([a, b])).toEqual([1, 2]);
      expect((await countByState(t.database)).pending).toBe(3);
    });

    it('when one write fails, the others are still written, each alone', async () => {
      const group = new CommitGroup(t.database, 3);
      const results = await Promise.allSettled([
        group.write((tx: Db) => upsertDiscovered(tx, [file('a.fits')])),
        group.write(async (tx: Db) => {
          await upsertDiscovered(tx, [file('half.fits')]);
          throw new Error('catalog refused the frame');
        }),
        group.write((tx: Db) => upsertDiscovered(tx, [file('c.fits')])),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason.message).toBe('catalog refused the frame');
      // The failed write left nothing behind: its own transaction was rolled back too.
      expect((await countByState(t.database)).pending).toBe(2);
    });
  });
}
