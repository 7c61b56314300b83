import { type Db, inTransaction } from '../db/connection.js';

interface Job {
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
 * entry can still join it (or it is full). If the group's transaction fails, each write is
 * retried in its own transaction, so one bad frame costs only itself.
 */
export class CommitGroup {
  private queue: Job[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: Db,
    /** Entries that may still write. */
    private open: number,
    private readonly maxSize = 64,
  ) {}

  /** This entry will not write (still settling, failed, gone). */
  skip(): void {
    this.open--;
    this.maybeCommit();
  }

  write<T>(write: (tx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.open--;
      this.maybeCommit();
    });
  }

  private maybeCommit(): void {
    if (this.queue.length === 0 || (this.open > 0 && this.queue.length < this.maxSize)) return;
    const jobs = this.queue.splice(0);
    this.chain = this.chain.then(() => this.commit(jobs));
  }

  private async commit(jobs: Job[]): Promise<void> {
    if (jobs.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = await inTransaction(this.database, async (tx) => {
          const out: unknown[] = [];
          for (const job of jobs) out.push(await job.write(tx));
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
        job.resolve(await inTransaction(this.database, job.write));
      } catch (error) {
        job.reject(error);
      }
    }
  }
}
