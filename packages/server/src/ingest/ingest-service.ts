import type { Config } from '../config/config.js';
import type { Database } from '../db/connection.js';
import { countByState } from '../db/ingest-ledger.repository.js';
import type { EventBus, WatcherState } from '../util/events.js';
import { type Candidate, Discovery } from './discovery.js';
import { type EntryOutcome, IngestPipeline } from './pipeline.js';
import { createFramePool, defaultThreadCount, type FramePool } from './worker-pool.js';

export type IngestLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface IngestServiceOptions {
  /** Worker threads (default: config.workers, else one per core but one). */
  threads?: number;
  log?: IngestLog;
  /** Called after a commit that wrote outbox events (IngestPipeline's onEventsRecorded). */
  onEventsRecorded?: () => void;
}

/**
 * The watcher with its periodic rescan, the ledger and the worker pool wired together: what
 * `aims serve` runs beside the API and `aims worker` runs alone. Nothing runs until start();
 * the process that owns it (main.ts) decides when.
 */
export interface IngestService {
  readonly pipeline: IngestPipeline;
  readonly roots: readonly string[];
  watcherState(): WatcherState;
  /** What this process did with the entries it took since it started, by outcome. */
  outcomes(): Record<EntryOutcome, number>;
  /** Why frames cannot be catalogued right now (a full disk, no catalog); null when they can. */
  problem(): { problem: string; since: string } | null;
  /** Every image root and whether it is reachable (an unmounted share is offline). */
  rootStates(): Promise<{ root: string; online: boolean }[]>;
  /** Files waiting in the ledger and being worked on in this process. */
  queue(): Promise<{ pending: number; active: number }>;
  /** Scans every root and writes what it found to the ledger; resolves to the files seen. */
  rescan(): Promise<number>;
  /** Starts the pipeline, the watcher and a first scan; resolves once the watcher is ready. */
  start(): Promise<void>;
  /** Stops discovering, lets in-flight files finish, returns unfinished claims, closes the workers. */
  stop(): Promise<void>;
}

/** Candidates reported one by one are written to the ledger in batches. */
const ENQUEUE_BATCH = 500;
const ENQUEUE_DELAY_MS = 200;
const ENQUEUE_RETRY_MS = 2000;

export function createIngestService(
  config: Config,
  database: Database,
  events: EventBus,
  options: IngestServiceOptions = {},
): IngestService {
  const log: IngestLog = options.log ?? (() => {});
  const outcomes: Record<EntryOutcome, number> = {
    ingested: 0,
    updated: 0,
    duplicate: 0,
    moved: 0,
    unchanged: 0,
    failed: 0,
    'retry-later': 0,
  };
  const pool: FramePool = createFramePool(options.threads ?? (config.workers || defaultThreadCount()), {
    fileTimeBudgetMs: config.fileTimeBudgetSeconds * 1000,
  });
  const pipeline = new IngestPipeline({
    database,
    pool,
    stableMs: config.stableSeconds * 1000,
    skipAnalysis: false,
    previewDir: config.previewDir,
    maxInflateRatio: config.maxInflateRatio,
    qualityThreshold: config.qualityThreshold,
    retryAfterMs: config.retrySeconds * 1000,
    imageRoots: config.imageDirs,
    analysisMemoryBytes: config.analysisMemoryMb * 1024 * 1024,
    normalize: {
      nightRolloverHour: config.nightRolloverHour,
      ...(config.timezone ? { timezone: config.timezone } : {}),
    },
    events,
    ...(options.onEventsRecorded ? { onEventsRecorded: options.onEventsRecorded } : {}),
    log,
    onOutcome: (entry, outcome, detail) => {
      outcomes[outcome]++;
      log('debug', 'ingest outcome', { path: entry.file_path, outcome, ...(detail ? { detail } : {}) });
    },
  });

  let state: WatcherState = 'off';
  const setState = (next: WatcherState) => {
    state = next;
    events.publish('watcher.state', { state: next });
  };

  let pending: Candidate[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    try {
      await pipeline.enqueue(batch);
    } catch (error) {
      // The catalog is unreachable (restarting): the files wait here and are written once it answers.
      pending = batch.concat(pending);
      flushTimer ??= setTimeout(
        () => void flush().catch((e) => log('error', 'enqueue failed', { err: String(e) })),
        ENQUEUE_RETRY_MS,
      );
      throw error;
    }
  };
  const discovery = new Discovery(
    {
      roots: config.imageDirs,
      exclude: config.exclude,
      usePolling: config.usePolling,
      rescanSeconds: config.rescanSeconds,
    },
    {
      candidate: async (file) => {
        pending.push(file);
        if (pending.length >= ENQUEUE_BATCH) await flush();
        else
          flushTimer ??= setTimeout(
            () => void flush().catch((e) => log('error', 'enqueue failed', { err: String(e) })),
            ENQUEUE_DELAY_MS,
          );
      },
      removed: (root, relPath) => pipeline.removed(root, relPath),
      rootState: (root, online) =>
        online
          ? log('info', 'image folder is back online', { root })
          : log('warn', 'image folder is offline: its frames are not marked missing', { root }),
      error: (error, path) => log('warn', 'watcher error', { err: String(error), path }),
    },
  );
  const hasRoots = discovery.roots.length > 0;

  const rescan = async () => {
    if (!hasRoots) throw new Error('no image folders are configured');
    const n = await discovery.scan();
    await flush();
    return n;
  };

  let stopping: Promise<void> | undefined;
  return {
    pipeline,
    roots: discovery.roots,
    watcherState: () => state,
    outcomes: () => ({ ...outcomes }),
    problem: () => pipeline.problem,
    rootStates: () => discovery.rootStates(),
    queue: async () => ({ pending: (await countByState(database)).pending, active: pipeline.activeCount }),
    rescan,
    async start() {
      pipeline.start();
      if (!hasRoots) return;
      setState('starting');
      try {
        await discovery.start();
        setState(config.usePolling ? 'polling' : 'watching');
      } catch (error) {
        setState('error');
        log('error', 'watcher failed to start', { err: String(error) });
      }
      // What arrived while AIMS was not running.
      void rescan().catch((e) => log('error', 'initial scan failed', { err: String(e) }));
    },
    stop() {
      stopping ??= (async () => {
        await discovery.stop().catch(() => undefined);
        if (state !== 'off') setState('off');
        await flush().catch((e) => log('error', 'enqueue failed', { err: String(e) }));
        // Not written now (no catalog): the next start's scan finds these files again.
        clearTimeout(flushTimer);
        // In-flight files finish; whatever is still claimed goes back to the queue.
        await pipeline.stop().catch((e) => log('error', 'ingest did not stop cleanly', { err: String(e) }));
        await pool.close();
      })();
      return stopping;
    },
  };
}
