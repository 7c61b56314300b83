import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import { type EventFollower, type EventFollowerOptions, followEvents } from '../../src/db/event-follower.js';
import { eventsAfter, pruneEvents, recordEvent } from '../../src/db/event-outbox.repository.js';
import type { AimsEvent, OutboxEvent } from '../../src/util/events.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

const ingested = (imageId: number): OutboxEvent => ({
  type: 'image.ingested',
  data: { image_id: imageId, file_path: `/data/${imageId}.fits`, duplicate: false },
});

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const HOUR_MS = 3_600_000;

for (const dialect of DIALECTS)
  describe(`event outbox and follower (${dialect})`, () => {
    const t = useTestDatabase(dialect);
    let follower: EventFollower | undefined;
    afterEach(async () => {
      await follower?.close();
      follower = undefined;
    });

    function follow(options: Partial<EventFollowerOptions> = {}) {
      const got: Array<{ event: AimsEvent; audience: string }> = [];
      const ready = followEvents(t.database, {
        deliver: (event, audience) => got.push({ event, audience }),
        pollMs: 20,
        ...options,
      }).then((f) => {
        follower = f;
        return f;
      });
      return { got, ready };
    }

    it('hands on each event written after it started, once, in order, with its audience', async () => {
      await recordEvent(t.database, ingested(1));
      const { got, ready } = follow();
      await ready;
      await inTransaction(t.database, async (tx) => {
        await recordEvent(tx, ingested(2));
        await recordEvent(tx, {
          type: 'ingest.failed',
          data: { file_path: '/data/x.fits', state: 'failed', reason: 'not a FITS file' },
        });
      });
      await recordEvent(t.database, ingested(3));
      await until(() => got.length >= 3, 'three events');
      for (let i = 0; i < 5; i++) follower!.poke();
      // A later event shows that the pokes read nothing twice.
      await recordEvent(t.database, ingested(4));
      await until(() => got.length >= 4, 'the fourth event');
      expect(got.map((g) => [g.event.type, g.audience])).toEqual([
        ['image.ingested', 'all'],
        ['ingest.failed', 'admin'],
        ['image.ingested', 'all'],
        ['image.ingested', 'all'],
      ]);
      expect(got[0]!.event.data).toEqual(ingested(2).data);
    });

    it('writes nothing of a transaction that rolls back', async () => {
      const { got, ready } = follow();
      await ready;
      await expect(
        inTransaction(t.database, async (tx) => {
          await recordEvent(tx, ingested(5));
          throw new Error('the frame could not be written');
        }),
      ).rejects.toThrow('could not be written');
      await recordEvent(t.database, ingested(6));
      await until(() => got.length >= 1, 'the committed event');
      expect(got.map((g) => (g.event.data as { image_id: number }).image_id)).toEqual([6]);
    });

    it('prunes events by age', async () => {
      await recordEvent(t.database, ingested(7), 1_000);
      await recordEvent(t.database, ingested(8), 5_000);
      expect(await pruneEvents(t.database, 2_000)).toBe(1);
      expect((await eventsAfter(t.database, 0, [], 10)).map((e) => e.event?.data)).toEqual([ingested(8).data]);
    });

    if (dialect === 'postgres') {
      it('does not lose an event whose commit is overtaken by a later one', async () => {
        const other = await openDatabase(t.url);
        try {
          const { got, ready } = follow();
          await ready;
          let commitFirst!: () => void;
          const held = new Promise<void>((r) => (commitFirst = r));
          let inserted!: () => void;
          const insertedFirst = new Promise<void>((r) => (inserted = r));
          const first = inTransaction(other, async (tx) => {
            await recordEvent(tx, ingested(10));
            // Events are inserted as the transaction commits: held after that insert, before the commit.
            tx.beforeCommit?.push(async () => {
              inserted();
              await held;
            });
          });
          await insertedFirst;
          await recordEvent(t.database, ingested(11));
          await until(() => got.length >= 1, 'the later event');
          commitFirst();
          await first;
          await until(() => got.length >= 2, 'the overtaken event');
          expect(got.map((g) => (g.event.data as { image_id: number }).image_id)).toEqual([11, 10]);
          // The first took its id first: the later commit overtook it, and the gap was asked for again.
          const stored = await eventsAfter(t.database, 0, [], 10);
          expect(stored.map((e) => (e.event?.data as { image_id?: number } | undefined)?.image_id)).toEqual([10, 11]);
        } finally {
          await other.close();
        }
      });

      it('wakes on NOTIFY, and listens again after its connection was killed', async () => {
        let listens = 0;
        // Polls an hour apart: only a notification can deliver within the test.
        const { got, ready } = follow({ pollMs: HOUR_MS, listeningPollMs: HOUR_MS, onListening: () => listens++ });
        await ready;
        await until(() => listens === 1, 'listening');
        await inTransaction(t.database, (tx) => recordEvent(tx, ingested(20)));
        await until(() => got.length === 1, 'the notified event');

        const killed = await t.database.db
          .selectFrom('pg_stat_activity' as never)
          .select((eb) => eb.fn<boolean>('pg_terminate_backend', [eb.ref('pid' as never)]).as('ok'))
          .where('application_name' as never, '=', 'aims-events' as never)
          .where('datname' as never, '=', new URL(t.url).pathname.slice(1) as never)
          .execute();
        expect(killed).toHaveLength(1);
        await until(() => listens === 2, 'listening again');
        await inTransaction(t.database, (tx) => recordEvent(tx, ingested(21)));
        await until(() => got.length === 2, 'the event after the reconnect');
        expect(got.map((g) => (g.event.data as { image_id: number }).image_id)).toEqual([20, 21]);
      });
    }
  });
