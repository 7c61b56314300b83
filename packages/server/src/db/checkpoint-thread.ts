/**
 * WAL checkpoints of a SQLite catalog's writer on a thread of their own (`aims ingest`).
 *
 *   CheckpointThread.start(sqlite, path, options?): CheckpointThread | undefined
 *   thread.committed()          after each commit of the writer: the thread checkpoints it
 *   thread.beforeWrite()        before the writer's next transaction: waits only when the WAL is
 *                               over its bound and a checkpoint is still copying
 *   thread.close()              the last checkpoint done, the thread's connection closed
 *
 * SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages, on the
 * thread that commits: in `aims ingest` that was about 60 µs a frame of the catalog writer's
 * 430-660 (docs/performance.md, "Catalog writes"), copying pages and syncing the main file while
 * the frame thread's results waited. Here the writer's automatic checkpoint is off and the thread
 * runs a PASSIVE checkpoint after every commit, beside the writer's next transaction.
 *
 * The WAL stays bounded: SQLite starts it again from its beginning at the first write of a
 * transaction that began when every frame had been copied. A writer that begins its next
 * transaction while the checkpoint is still copying keeps appending; so once the WAL holds
 * `boundPages` or more, the next transaction waits for the checkpoint under way, and the WAL then
 * starts over; and the writer never runs more than MAX_BEHIND commits ahead of the thread. Nothing is lost by a crash: a committed transaction is in the WAL (synchronous =
 * NORMAL, as before), and whatever the checkpoint had not copied yet is copied at the next open.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type BetterSqlite from 'better-sqlite3';
import { compiledExecArgv, compiledWorkerFile } from '../util/thread-pool.js';

/**
 * WAL pages at which the writer waits for the checkpoint under way before its next transaction
 * (4 kB pages: 64 MB). A round of 256 catalog-only frames writes about 2,000 pages; a larger
 * bound waits less often (each wait lasts what is left of one round's checkpoint).
 */
export const DEFAULT_WAL_BOUND_PAGES = 16_384;

/**
 * Commits the thread may be behind before the writer waits: the WAL's size is known only from the
 * thread's answers, and a thread still starting (50-80 ms) or starved of a core answers none.
 */
const MAX_BEHIND = 2;

/** SQLite's default automatic checkpoint: 1,000 pages of 4 kB. */
const START_AT_WAL_BYTES = 4_096_000;

export interface CheckpointThreadData {
  path: string;
  busyTimeoutMs: number;
}

/** What the thread answers after each checkpoint (SQLite's wal_checkpoint row). */
export interface CheckpointReport {
  /** The commit it was asked for (CheckpointThread.committed's count). */
  seq: number;
  /** Frames in the WAL when it ran. */
  log: number;
  /** Frames of them in the main file when it was done. */
  checkpointed: number;
  error?: string;
}

export interface CheckpointThreadOptions {
  boundPages?: number;
  /** The WAL's size (bytes) at which the thread starts (default 1,000 pages). */
  startAtWalBytes?: number;
  busyTimeoutMs?: number;
}

export class CheckpointThread {
  private worker: Worker | undefined;
  private asked = 0;
  private answered = 0;
  private walPages = 0;
  private waiters: Array<() => void> = [];
  private failed = false;
  /** Checkpoints the thread ran, and the WAL frames it found copied after them (tests, figures). */
  readonly stats = { checkpoints: 0, waits: 0, largestWal: 0 };

  private constructor(
    private readonly sqlite: BetterSqlite.Database,
    private readonly file: string,
    private readonly data: CheckpointThreadData,
    private readonly boundPages: number,
    private readonly startAtWalBytes: number,
  ) {}

  /** Whether the thread was started (a catalog that wrote little never starts it). */
  get started(): boolean {
    return this.asked > 0;
  }

  /**
   * Turns the writer's automatic checkpoint off and returns the thread that replaces it (started
   * at the first commit that leaves the WAL past 1,000 pages: a run that writes little does not
   * pay for it). Undefined, and the connection left as it was, when there is no compiled worker
   * script (tests from sources).
   */
  static start(
    sqlite: BetterSqlite.Database,
    path: string,
    options: CheckpointThreadOptions = {},
  ): CheckpointThread | undefined {
    const file = compiledWorkerFile(new URL('./checkpoint.worker.js', import.meta.url));
    if (!file) return undefined;
    sqlite.pragma('wal_autocheckpoint = 0');
    return new CheckpointThread(
      sqlite,
      file,
      { path, busyTimeoutMs: options.busyTimeoutMs ?? 10_000 },
      options.boundPages ?? DEFAULT_WAL_BOUND_PAGES,
      options.startAtWalBytes ?? START_AT_WAL_BYTES,
    );
  }

  /** The writer committed: the thread copies the WAL into the main file. */
  committed(): void {
    if (this.failed) return;
    if (!this.worker) {
      // Started once the WAL is as large as SQLite's own first checkpoint would want: a run of a
      // few frames (whose close copies the WAL anyway) does not pay 50 ms of CPU for the thread.
      if ((statSync(`${this.data.path}-wal`, { throwIfNoEntry: false })?.size ?? 0) < this.startAtWalBytes) return;
      this.worker = this.spawn();
    }
    // Referenced while a checkpoint is asked for: the process does not end with one half done,
    // nor while a transaction waits for it (beforeWrite); idle, the thread keeps nothing alive.
    this.worker.ref();
    this.worker.postMessage(++this.asked);
  }

  /** Before the writer's next transaction: returns at once unless the WAL is over its bound. */
  beforeWrite(): Promise<void> | undefined {
    if (this.answered >= this.asked) return undefined;
    if (this.walPages < this.boundPages && this.asked - this.answered < MAX_BEHIND) return undefined;
    this.stats.waits++;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Waits for the checkpoints asked for, then closes the thread's connection. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage('close');
    await exited;
    this.release();
  }

  private spawn(): Worker {
    const worker = new Worker(this.file, { workerData: this.data, execArgv: compiledExecArgv(process.execArgv) });
    worker.on('message', (report: CheckpointReport) => {
      this.answered = Math.max(this.answered, report.seq);
      if (report.error) this.fallBack();
      else {
        this.stats.checkpoints++;
        this.stats.largestWal = Math.max(this.stats.largestWal, report.log);
        this.walPages = report.log;
      }
      if (this.answered >= this.asked) {
        // Not once close() waits for the thread's exit: an answer arriving then must not let the
        // process end before the thread has closed its connection.
        if (this.worker === worker) worker.unref();
        this.release();
      }
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => {
      if (this.worker === worker) this.fallBack();
    });
    return worker;
  }

  /** The thread failed: the writer checkpoints itself again, as SQLite does by default. */
  private fallBack(): void {
    if (this.failed) return;
    this.failed = true;
    this.worker = undefined;
    if (this.sqlite.open) this.sqlite.pragma('wal_autocheckpoint = 1000');
    this.answered = this.asked;
    this.release();
  }

  private release(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
