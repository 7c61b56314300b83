import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileChecksumStatus } from '@aims/fits';
import { type RecordOutcome, recordFrame } from '../catalog/frame-record.js';
import { type Database, type Db, inTransaction } from '../db/connection.js';
import { pruneEvents, recordEvent } from '../db/event-outbox.repository.js';
import type { NewImage } from '../db/image.mapper.js';
import { findImageByPath, getImage, markMissing, movePath } from '../db/images.repository.js';
import {
  claimPending,
  countByState,
  failEntry,
  forgetFileFacts,
  type LedgerEntry,
  listClaimants,
  lockClaims,
  releaseClaims,
  retryFailed,
  stillAsRead,
  upsertDiscovered,
} from '../db/ingest-ledger.repository.js';
import type { EventBus } from '../util/events.js';
import { CommitGroup } from './commit-group.js';
import type { Candidate } from './discovery.js';
import type { FrameHeld, FrameJob, ProcessedFrame } from './frame.job.js';
import { createMemoryBudget } from './memory-budget.js';
import type { NormalizeOptions } from './normalize/index.js';
import type { FramePool } from './worker-pool.js';

/**
 * Rounds claimed and not yet committed. Three, so that the workers always hold a whole round: the
 * claim of round N+2 waits for round N to finish, and then for the catalog connection, which
 * round N+1's transaction takes at that moment; with two in flight the workers sat idle through
 * every other round's write (the main thread then waited for a whole round to be read).
 */
const ROUNDS_IN_FLIGHT = 3;
/** At most one queue-depth event a second from the pipeline itself. */
const DEPTH_EVENT_MS = 1000;
/**
 * Outbox events are kept this long: far longer than a server takes to read them (it reads every
 * 400 ms, or at once), short enough that the table stays small during a night's ingest.
 */
const EVENT_RETENTION_MS = 10 * 60_000;
const EVENT_PRUNE_EVERY_MS = 60_000;

/**
 * Failures of the machine, not of the file: a full disk (previews) or quota. They are retried
 * however often it takes; the file itself is fine.
 */
const ENVIRONMENT_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** A statement the engine aborted to break a deadlock is tried this many times in all. */
const CONFLICT_ATTEMPTS = 5;
/** The health problem while the catalog's engine does not answer; cleared by the next round that it answers. */
const UNREACHABLE = 'the catalog could not be reached';

interface RoundResult {
  /** The shortest wait of an entry still settling (Infinity: none). */
  settleMs: number;
  /** Whether any entry was settled (ingested, failed, …) rather than left to settle. */
  progressed: boolean;
}

/** What became of one ledger entry in this process. */
export type EntryOutcome = RecordOutcome | 'failed' | 'retry-later';

export interface PipelineOptions {
  database: Database;
  pool: FramePool;
  /** A file is read only once its size and mtime have been unchanged this long. */
  stableMs: number;
  skipAnalysis: boolean;
  normalize: NormalizeOptions;
  /** The options for frames of one root (its library's site facts), instead of `normalize`. */
  normalizeFor?: (root: string) => NormalizeOptions;
  /** Queue depth of this pipeline (image.ingested and ingest.failed go to the event outbox). */
  events?: EventBus;
  /** Called after a commit that wrote outbox events (a server in this process reads them at once). */
  onEventsRecorded?: () => void;
  /** Called for each finished entry (the CLI's progress bar and counts). */
  onOutcome?: (entry: LedgerEntry, outcome: EntryOutcome, detail: string | null) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Retryable failures are retried this many times in all, then left as failed. */
  maxAttempts?: number;
  /**
   * A retryable failure goes back to the queue after this long (default 60 s): a catalog write
   * that failed while the database restarted, a full disk, a file still being written. Only the
   * service loop (start) retries; drain() leaves failures to the caller.
   */
  retryAfterMs?: number;
  /** Where workers write previews (none when undefined). */
  previewDir?: string;
  /** AIMS_MAX_INFLATE_RATIO: a whole-file gzip inflating more per compressed byte fails for good. */
  maxInflateRatio?: number;
  /** AIMS_QUALITY_THRESHOLD: frames scoring at or above it get quality_flag. */
  qualityThreshold?: number;
  /**
   * The configured image roots: a file is read only if it resolves inside one of them (or inside
   * its own entry's root) and is not a symbolic link.
   */
  imageRoots?: readonly string[];
  /**
   * AIMS_ANALYSIS_MEMORY_MB in bytes: what the pool's pixel analyses may hold at once, together
   * (memory-budget.ts). Unbounded when absent.
   */
  analysisMemoryBytes?: number;
}

/**
 * Ledger → workers → catalog. Discovery calls `enqueue`; `drain` (one-shot) or `start` (service)
 * claim pending rows, wait until each file is stable, hand it to a worker thread and write the
 * result by the catalog's rules (catalog/frame-record.ts); the writes of one round share a
 * transaction (commit-group.ts). Several processes may run pipelines on one catalog: claims never
 * overlap.
 */
export class IngestPipeline {
  readonly workerId = `ingest@${hostname()}@${process.pid}@${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private active = 0;
  private depthSentAt = 0;
  private eventsPrunedAt = 0;
  /** The round committed last: the next round commits after it (CommitGroup). */
  private lastGroup: CommitGroup | undefined;
  /**
   * A batch failed midway (the catalog went away): rows this process claimed may still be marked
   * as its own, and nobody else takes them until the claim is stale. Released before the next claim.
   */
  private claimsStranded = false;
  private retriedAt = 0;
  /** What keeps every frame from being catalogued right now (a full disk, no catalog); null when frames go through. */
  private blocked: { problem: string; sinceMs: number; seenMs: number } | null = null;
  private readonly memory: FrameJob['memory'];

  constructor(private readonly options: PipelineOptions) {
    const bytes = options.analysisMemoryBytes;
    if (bytes !== undefined && !options.skipAnalysis)
      this.memory = { budget: createMemoryBudget(bytes), retainBytes: bytes / Math.max(1, options.pool.threads) };
  }

  get activeCount(): number {
    return this.active;
  }

  /** Why frames cannot be catalogued at the moment, for the health report; null when they can. */
  get problem(): { problem: string; since: string } | null {
    // Not seen again for two retry periods: nothing is being held up by it any more.
    const stale = 2 * (this.options.retryAfterMs ?? 60_000) + 10_000;
    if (!this.blocked || Date.now() - this.blocked.seenMs > stale) return null;
    return { problem: this.blocked.problem, since: new Date(this.blocked.sinceMs).toISOString() };
  }

  /** Records discovered files; only new or changed ones become pending. Returns those. */
  async enqueue(files: Candidate[]): Promise<LedgerEntry[]> {
    if (!files.length) return [];
    // A file being written is reported many times in one batch; one statement may touch a row once
    // (PostgreSQL refuses ON CONFLICT DO UPDATE twice on a row), and the latest facts are the ones that count.
    const latest = new Map<string, Candidate>();
    for (const f of files) latest.set(`${f.root}\0${f.relPath}`, f);
    const discovered = [...latest.values()].map((f) => ({
      root: f.root,
      rel_path: f.relPath,
      size_bytes: f.sizeBytes,
      mtime_ms: f.mtimeMs,
      inode: f.inode,
    }));
    const changed = await this.retryConflicts(() => upsertDiscovered(this.options.database, discovered)).catch(
      (error: unknown) => {
        this.setBlocked(`the catalog could not be written: ${firstLine(error)}`);
        throw error;
      },
    );
    // Wake even when nothing changed here: another process may have recorded these files first,
    // and their rows wait for whichever worker looks (a second worker would otherwise sleep until
    // its timer while the first takes round after round).
    this.wake?.();
    return changed;
  }

  /**
   * A watched file disappeared: its catalog rows are marked missing, never deleted. When it was an
   * image's own path and an exact copy is still on disk (a rename reported as add-then-unlink),
   * the copy becomes the image's path. The ledger forgets the file's facts, so that the same file
   * put back later is read again and its image marked present.
   */
  async removed(root: string, relPath: string): Promise<void> {
    const db = this.options.database;
    // The ledger first: a frame of this path being written right now either commits before this
    // (and is marked missing below) or finds its facts forgotten and is not written (stillAsRead).
    await forgetFileFacts(db, root, relPath);
    const at = await findImageByPath(db, root, relPath);
    await markMissing(db, root, relPath);
    if (at?.kind !== 'primary') return;
    const image = await getImage(db, at.id);
    const copy = image?.paths.find(
      (p) => p.kind === 'copy' && !p.missing_since && existsSync(join(p.root, p.rel_path)),
    );
    if (copy) await movePath(db, at.id, copy.root, copy.rel_path);
  }

  /**
   * Processes pending entries until none is left that this process can take. Entries still
   * settling are waited for. Resolves when the ledger has nothing pending for us.
   */
  async drain(): Promise<void> {
    await this.releaseDeadClaims();
    for (let conflicts = 0; ; ) {
      let waitMs: number | null;
      try {
        waitMs = await this.processBatch();
        conflicts = 0;
      } catch (error) {
        // The engine aborted a claim or round to break a deadlock with another process (seen on
        // MariaDB in test/faults/soak.test.ts): the claims go back and the batch is tried again,
        // as the service's loop does; anything else, or conflicts in every try of one batch, ends the run.
        if (!this.options.database.dialect.isConflictAbort(error) || ++conflicts > CONFLICT_ATTEMPTS * 4) throw error;
        this.claimsStranded = true;
        waitMs = 20 * conflicts + Math.random() * 50;
      }
      if (waitMs === null) return;
      if (waitMs > 0) await sleep(waitMs);
    }
  }

  /** Runs until stop(): processes pending entries as they appear. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      await this.releaseDeadClaims().catch((error) =>
        this.options.log?.('warn', 'could not release claims', { err: String(error) }),
      );
      const retryAfterMs = this.options.retryAfterMs ?? 60_000;
      while (this.running) {
        let waitMs: number | null;
        try {
          await this.retryFailures(retryAfterMs);
          waitMs = await this.processBatch();
          // The catalog answered this round's queries: it is reachable again, even when there
          // was no frame left to write (a restart after the last frame).
          if (this.blocked?.problem.startsWith(UNREACHABLE)) this.setBlocked(null);
        } catch (error) {
          this.options.log?.('error', 'ingest batch failed', { err: String(error) });
          this.claimsStranded = true;
          this.setBlocked(`${UNREACHABLE}: ${firstLine(error)}`);
          waitMs = 5000;
        }
        if (!this.running) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs ?? Math.min(10_000, retryAfterMs));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /** Lets in-flight files finish, then returns unfinished claims to the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await releaseClaims(this.options.database, this.workerId);
  }

  /**
   * After a crash (kill -9, power loss) the rows a process had claimed stay claimed. Claims of
   * processes on this host that no longer run are returned to the queue at once; claims from other
   * hosts are taken over when they are older than the ledger's stale limit.
   */
  /**
   * Runs `fn` again when the engine aborted it to break a deadlock: an upsert of many ledger rows
   * (another process's scan) meets a round's transaction, which locks the same rows in another
   * order. Seen in the soak (test/faults/soak.test.ts) as `aims ingest` ending with "deadlock detected".
   */
  private async retryConflicts<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (attempt >= CONFLICT_ATTEMPTS || !this.options.database.dialect.isConflictAbort(error)) throw error;
        await sleep(20 * attempt + Math.random() * 50);
      }
    }
  }

  /** Retryable failures older than `retryAfterMs` go back to the queue (at most every few seconds). */
  private async retryFailures(retryAfterMs: number): Promise<void> {
    const now = Date.now();
    if (now - this.retriedAt < Math.min(retryAfterMs, 5000)) return;
    this.retriedAt = now;
    const n = await retryFailed(this.options.database, now - retryAfterMs, now);
    if (n > 0) this.options.log?.('info', 'retrying failed files', { files: n });
  }

  private setBlocked(problem: string | null): void {
    const now = Date.now();
    if (problem === null) this.blocked = null;
    else if (this.blocked?.problem !== problem) this.blocked = { problem, sinceMs: now, seenMs: now };
    else this.blocked.seenMs = now;
  }

  async releaseDeadClaims(): Promise<number> {
    let released = 0;
    for (const claimant of await listClaimants(this.options.database)) {
      const [kind, host, pid] = claimant.split('@');
      if (kind !== 'ingest' || host !== hostname() || !pid || processAlive(Number(pid))) continue;
      released += await releaseClaims(this.options.database, claimant);
    }
    return released;
  }

  /**
   * Rounds back to back until nothing is left to claim. A round is claimed once the previous
   * round's files are all in the workers' hands, so the workers read round N+1 while the main
   * thread writes round N's frames (one transaction per round, CommitGroup). At most
   * ROUNDS_IN_FLIGHT rounds are in flight. Returns null when nothing was pending, else how long
   * to wait before trying again (0: go on at once).
   */
  private async processBatch(): Promise<number | null> {
    const { database } = this.options;
    if (this.claimsStranded) {
      await releaseClaims(database, this.workerId);
      this.claimsStranded = false;
    }
    const rounds: Promise<RoundResult>[] = [];
    let unfinished: Promise<RoundResult>[] = [];
    for (;;) {
      if (unfinished.length >= ROUNDS_IN_FLIGHT) {
        await unfinished[0];
        unfinished = unfinished.slice(1);
      }
      const entries = await claimPending(database, this.workerId, this.roundSize(rounds.length));
      if (!entries.length) break;
      const round = this.startRound(entries);
      rounds.push(round.done);
      unfinished.push(round.done);
      await round.dispatched;
      if (this.loop && !this.running) break;
    }
    if (!rounds.length) return null;
    const results = await Promise.all(rounds);
    // Entries still settling stay pending; our claims on them go back for the next pass.
    await releaseClaims(database, this.workerId);
    // Counting the ledger by state reads all of it: with a million rows, not after every round,
    // and not at all when nobody listens (main.ts also sends the depth every 2 s when it changed).
    const events = this.options.events;
    if (events && events.listenerCount() > 0 && Date.now() - this.depthSentAt >= DEPTH_EVENT_MS) {
      this.depthSentAt = Date.now();
      events.publish('queue.depth', { pending: (await countByState(database)).pending, active: this.active });
    }
    if (Date.now() - this.eventsPrunedAt >= EVENT_PRUNE_EVERY_MS) {
      this.eventsPrunedAt = Date.now();
      await pruneEvents(database, Date.now() - EVENT_RETENTION_MS);
    }
    const settleMs = Math.min(...results.map((r) => r.settleMs));
    return results.some((r) => r.progressed) ? 0 : Number.isFinite(settleMs) ? settleMs : 0;
  }

  /**
   * Entries claimed for round `index` of a batch. Catalog-only frames take milliseconds, and each
   * round is one commit: larger rounds write fewer, fuller transactions (a commit writes every
   * index page its frames touched; 256 frames a round took about 5 % less CPU than 64, a quarter
   * of a second a round at most). The first rounds grow from small (16 frames a thread, doubling
   * up to 256): a round is written only once all of it is read, and the catalog sits idle until
   * then, while the workers read their first frames slowly (code not yet compiled: 2-3 ms a frame
   * against half a millisecond later). A first round of 64 and a second of 256 kept the catalog
   * idle 210-290 ms after the claim; 16, 32, 64, … 90-155 ms (three pairs of runs, load 7). With
   * analysis a frame takes a second or more, and a round is kept to what the workers finish soon,
   * so frames reach the catalog without delay.
   */
  private roundSize(index: number): number {
    const threads = Math.max(1, this.options.pool.threads);
    if (!this.options.skipAnalysis) return Math.max(16, threads * 8);
    return Math.min(Math.max(256, threads * 32), threads * 16 * 2 ** Math.min(index, 8));
  }

  /** Settles each entry of a round; `dispatched` resolves once every file is with a worker (or done). */
  private startRound(entries: LedgerEntry[]): { dispatched: Promise<void>; done: Promise<RoundResult> } {
    const { database } = this.options;
    const result: RoundResult = { settleMs: Number.POSITIVE_INFINITY, progressed: false };
    // The claim check of every frame of a transaction in one statement at its start (stillAsRead).
    const group = new CommitGroup(database, entries.length, entries.length, this.lastGroup, lockClaims);
    this.lastGroup = group;
    const handedOver: Promise<void>[] = [];
    const settled = entries.map(async (entry) => {
      this.active++;
      let joined = false;
      let handOver: () => void = () => {};
      handedOver.push(new Promise<void>((resolve) => (handOver = resolve)));
      const write = <T>(fn: (tx: Db) => Promise<T>) => {
        joined = true;
        return group.write(fn, entry.id);
      };
      try {
        const outcome = await this.processEntry(entry, write, handOver);
        if (outcome.waitMs !== undefined) result.settleMs = Math.min(result.settleMs, outcome.waitMs);
        else result.progressed = true;
      } catch (error) {
        // A catalog write that failed (database down, disk full, constraint) is tried again later.
        this.options.log?.('error', 'catalog write failed', { path: entry.file_path, err: String(error) });
        this.setBlocked(`the catalog could not be written: ${firstLine(error)}`);
        await failEntry(database, entry.id, `catalog write failed: ${String(error)}`, true, {
          claimedBy: this.workerId,
        }).catch(() => {
          // Not even the failure could be written: the claim stays ours until released.
          this.claimsStranded = true;
        });
        this.report(entry, 'failed', String(error));
      } finally {
        handOver();
        if (!joined) group.skip();
        this.active--;
      }
    });
    return {
      dispatched: Promise.all(handedOver).then(() => undefined),
      done: Promise.all(settled).then(() => result),
    };
  }

  private async processEntry(
    entry: LedgerEntry,
    write: <T>(fn: (tx: Db) => Promise<T>) => Promise<T>,
    handOver: () => void,
  ): Promise<{ waitMs?: number }> {
    const { pool } = this.options;
    const absPath = join(entry.root, entry.rel_path);
    // The checks before the read (inside the roots, no link, settled) are made by the thread that
    // reads the file (FrameJob.gate): on this thread, which writes the catalog, their four or five
    // file system calls a frame cost more than the frame's image row.
    const running = pool.run({
      absPath,
      gate: {
        roots: [...(this.options.imageRoots ?? []), entry.root],
        seen: { sizeBytes: entry.size_bytes, mtimeMs: entry.mtime_ms },
        stableMs: this.options.stableMs,
      },
      skipAnalysis: this.options.skipAnalysis,
      normalize: this.options.normalizeFor?.(entry.root) ?? this.options.normalize,
      ...(this.options.previewDir ? { previewDir: this.options.previewDir } : {}),
      ...(this.options.maxInflateRatio !== undefined ? { maxInflateRatio: this.options.maxInflateRatio } : {}),
      ...(this.memory ? { memory: this.memory } : {}),
    });
    handOver();
    const result = await running;
    if (result.ok === 'held') return this.held(entry, result);
    if (!result.ok) {
      const environment = ENVIRONMENT_CODES.has(result.code);
      if (environment) this.setBlocked(result.reason);
      const retry = result.retry && (environment || entry.attempts < (this.options.maxAttempts ?? 5));
      await this.fail(entry, result.reason, retry);
      this.options.log?.('warn', 'ingest failed', {
        path: entry.file_path,
        code: result.code,
        reason: result.reason,
        retry,
      });
      this.report(entry, 'failed', result.reason);
      return {};
    }
    const image = catalogImage(entry, result.frame);
    const threshold = { qualityThreshold: this.options.qualityThreshold };
    const outcome = await write(async (tx) => {
      // Rewritten, removed or rediscovered since it was read (the watcher or another process's scan
      // got there while this frame waited for its round's commit): the ledger has newer facts, and
      // what was read is history. Written anyway, it would leave old content, or an image of a
      // deleted file, as present for good (both seen in test/faults/soak.test.ts). The entry is
      // taken again.
      const facts = { mtime_ms: result.frame.mtimeMs, inode: result.frame.inode };
      if (!(await stillAsRead(tx, entry.id, this.workerId, facts))) return null;
      const recorded = await recordFrame(tx, entry.id, image, threshold);
      if (recorded.imageId !== null)
        await recordEvent(tx, {
          type: 'image.ingested',
          data: { image_id: recorded.imageId, file_path: entry.file_path, duplicate: recorded.outcome === 'duplicate' },
        });
      return recorded;
    });
    this.setBlocked(null);
    if (outcome === null) {
      this.report(entry, 'retry-later', 'the file changed or disappeared after it was read');
      return {};
    }
    if (image.checksum_status === 'bad' && (outcome.outcome === 'ingested' || outcome.outcome === 'updated')) {
      // Catalogued, so that it can be found and judged, but flagged (checksum_status) and logged.
      this.options.log?.('warn', 'FITS checksum does not verify', {
        path: entry.file_path,
        image_id: outcome.imageId,
        hdus: image.checksum_hdus?.filter((h) => h.reason).map((h) => h.reason),
      });
    }
    this.report(entry, outcome.outcome, null);
    if (outcome.imageId !== null) this.options.onEventsRecorded?.();
    return {};
  }

  /** A file the checks before its read held back (FrameJob.gate): refused, still settling, changed or gone. */
  private async held(entry: LedgerEntry, held: FrameHeld): Promise<{ waitMs?: number }> {
    const { database } = this.options;
    if ('refused' in held) {
      await this.fail(entry, held.refused, false);
      // A catalog from before this rule may hold an image read through this path: it is no
      // readable file of the archive, so it is marked missing (never deleted), like a removed one.
      await markMissing(database, entry.root, entry.rel_path);
      this.options.log?.('warn', 'ingest refused', { path: entry.file_path, reason: held.refused });
      this.report(entry, 'failed', held.refused);
      return {};
    }
    const stability = held.stability;
    if (stability.state === 'settling') return { waitMs: Math.min(stability.waitMs, 5000) };
    if (stability.state === 'changed') {
      await upsertDiscovered(database, [
        {
          root: entry.root,
          rel_path: entry.rel_path,
          size_bytes: stability.sizeBytes,
          mtime_ms: stability.mtimeMs,
          inode: stability.inode,
        },
      ]);
      return { waitMs: this.options.stableMs };
    }
    if (!existsSync(entry.root)) {
      // The whole image folder is not there: a share not mounted on this worker's machine, not
      // deleted frames. Marking them missing would mark the archive missing; retry later instead.
      const reason = `the image folder ${entry.root} is not reachable from this machine`;
      await failEntry(database, entry.id, reason, true, { claimedBy: this.workerId });
      this.options.log?.('warn', 'image folder not reachable', { root: entry.root, path: entry.file_path });
      this.report(entry, 'failed', reason);
      return {};
    }
    await failEntry(database, entry.id, 'the file disappeared before it could be read', false, {
      claimedBy: this.workerId,
    });
    await markMissing(database, entry.root, entry.rel_path);
    this.report(entry, 'failed', 'the file disappeared before it could be read');
    return {};
  }

  /** The entry failed: its ledger row and the `ingest.failed` event are written together. */
  private async fail(entry: LedgerEntry, reason: string, retryable: boolean): Promise<void> {
    await inTransaction(this.options.database, async (tx) => {
      await failEntry(tx, entry.id, reason, retryable, { claimedBy: this.workerId });
      await recordEvent(tx, { type: 'ingest.failed', data: { file_path: entry.file_path, state: 'failed', reason } });
    });
    this.options.onEventsRecorded?.();
  }

  private report(entry: LedgerEntry, outcome: EntryOutcome, detail: string | null): void {
    this.options.onOutcome?.(entry, outcome, detail);
  }
}

/** A processed frame as the catalog takes it. */
function catalogImage(entry: LedgerEntry, frame: ProcessedFrame): NewImage {
  return {
    root: entry.root,
    rel_path: entry.rel_path,
    size_bytes: frame.sizeBytes,
    mtime_ms: frame.mtimeMs,
    inode: frame.inode,
    sha256: frame.sha256,
    hdu_index: frame.hduIndex,
    checksum_status: fileChecksumStatus(frame.checksums),
    checksum_hdus: frame.checksums.map((h) => ({
      index: h.index,
      checksum: h.checksum,
      datasum: h.datasum,
      computed_datasum: h.computedDatasum,
      ...(h.reason === undefined ? {} : { reason: h.reason }),
    })),
    metadata: frame.metadata.values,
    normalization: { json: frame.metadata.notesJson },
    quality: frame.quality,
    headers: frame.headers,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function firstLine(error: unknown): string {
  return (String(error).split('\n')[0] ?? '').slice(0, 200);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
