import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Db, inTransaction } from '../db/connection.js';

/**
 * A group's writes give the event loop a turn at least this often. On SQLite a group of 256
 * frames is written synchronously (prepared statements, no I/O wait), a quarter of a second
 * during which the worker threads' finished frames wait unseen and the workers are handed no
 * new file: the two threads took turns instead of overlapping. A turn costs microseconds.
 */
const YIELD_EVERY_MS = 1;

interface Job {
  /** Position in the round (the ledger's discovery order): frames are written in this order. */
  order: number;
  write: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Catalog writes of one round of entries, committed together. Each frame touches about a hundred
 * index pages (its keywords are spread over three keyword indexes); one transaction per frame
 * rewrote them all into the SQLite WAL every time, 1.2 MB a frame, and commits took most of a
 * catalog-only ingest. Frames written in one transaction share those pages.
 *
 * Every entry of the round calls either `write` once or `skip` once. The group commits when no
 * entry can still join it (or it is full), writing its frames in the order they were discovered,
 * whatever order the workers finished them in, and not before the group it follows has committed:
 * of two identical files, the one discovered first becomes the image and the other its copy. If
 * the group's transaction fails, each write is retried in its own transaction, so one bad frame
 * costs only itself.
 */
export class CommitGroup {
  private queue: Job[] = [];
  private chain: Promise<void>;
  private finished: () => void = () => {};
  /** Resolves once every entry wrote or skipped and every write is committed (or failed). */
  readonly settled: Promise<void>;

  constructor(
    private readonly database: Db,
    /** Entries that may still write. */
    private open: number,
    private readonly maxSize = 64,
    /** The group this one follows: it commits nothing before that one has settled. */
    after?: CommitGroup,
    /**
     * Run first in each transaction, with the orders of the writes it holds: work of the whole
     * group done in one statement (the pipeline locks the ledger rows of the frames it writes).
     */
    private readonly begin?: (tx: Db, orders: number[]) => Promise<void>,
  ) {
    this.chain = after ? after.settled : Promise.resolve();
    this.settled = new Promise<void>((resolve) => (this.finished = resolve));
    if (open <= 0) this.finished();
  }

  /** This entry will not write (still settling, failed, gone). */
  skip(): void {
    this.open--;
    this.maybeCommit();
  }

  write<T>(write: (tx: Db) => Promise<T>, order = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ order, write, resolve: resolve as (value: unknown) => void, reject });
      this.open--;
      this.maybeCommit();
    });
  }

  private maybeCommit(): void {
    if (this.queue.length > 0 && (this.open <= 0 || this.queue.length >= this.maxSize)) {
      const jobs = this.queue.splice(0).sort((a, b) => a.order - b.order);
      this.chain = this.chain.then(() => this.commit(jobs));
    }
    if (this.open <= 0 && this.queue.length === 0) this.chain.then(this.finished, this.finished);
  }

  private async commit(jobs: Job[]): Promise<void> {
    if (jobs.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = await inTransaction(this.database, async (tx) => {
          await this.begin?.(
            tx,
            jobs.map((j) => j.order),
          );
          const out: unknown[] = [];
          let turnAt = performance.now();
          for (const job of jobs) {
            out.push(await job.write(tx));
            if (performance.now() - turnAt >= YIELD_EVERY_MS) {
              await nextTurn();
              turnAt = performance.now();
            }
          }
          return out;
        });
      } catch {
        // Rolled back as a whole (one frame's write failed, or a PostgreSQL deadlock with another
        // process's group): each frame alone below.
      }
      if (results) {
        for (const [i, job] of jobs.entries()) job.resolve(results[i]);
        return;
      }
    }
    for (const job of jobs) {
      try {
        job.resolve(
          await inTransaction(this.database, async (tx) => {
            await this.begin?.(tx, [job.order]);
            return job.write(tx);
          }),
        );
      } catch (error) {
        job.reject(error);
      }
    }
  }
}
