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

    it('writes in discovery order, whatever order the frames finish in, and after the group it follows', async () => {
      const written: string[] = [];
      const note = (name: string) => async (tx: Db) => {
        written.push(name);
        return (await upsertDiscovered(tx, [file(`${name}.fits`)])).length;
      };
      const first = new CommitGroup(t.database, 2, 2);
      const second = new CommitGroup(t.database, 2, 2, first);
      // The second round finishes before the first, and each round's later frame finishes first.
      const later = [second.write(note('d'), 4), second.write(note('c'), 3)];
      await new Promise((r) => setTimeout(r, 50));
      expect(written).toEqual([]);
      const earlier = [first.write(note('b'), 2), first.write(note('a'), 1)];
      await Promise.all([...earlier, ...later]);
      await second.settled;
      expect(written).toEqual(['a', 'b', 'c', 'd']);
      expect((await countByState(t.database)).pending).toBe(4);
    });

    it('gives the event loop turns while it writes, so finished frames are taken in meanwhile', async () => {
      // Each write holds the thread for 3 ms, as a synchronous SQLite write of frames does; a
      // callback queued once the group has started writing must run before the group is done
      // (on the engines reached over a socket, already while the first write waits for it).
      const frames = 6;
      const group = new CommitGroup(t.database, frames, frames);
      let written = 0;
      let writtenWhenTurnCame: number | undefined;
      const busy = (index: number) => async (tx: Db) => {
        if (index === 0) setImmediate(() => (writtenWhenTurnCame = written));
        const until = performance.now() + 3;
        while (performance.now() < until);
        await upsertDiscovered(tx, [file(`${index}.fits`)]);
        written++;
      };
      await Promise.all(Array.from({ length: frames }, (_, i) => group.write(busy(i), i)));
      expect(written).toBe(frames);
      expect(writtenWhenTurnCame).toBeDefined();
      expect(writtenWhenTurnCame).toBeLessThan(frames);
    });
  });
}
