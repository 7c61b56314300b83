import { libraryFor, registerConfiguredLibraries } from '../catalog/libraries.service.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/connection.js';
import { countByState } from '../db/ingest-ledger.repository.js';
import { listLibraries } from '../db/libraries.repository.js';
import { refreshStatisticsIfStale } from '../db/planner-statistics.js';
import type { Library, LibraryState } from '../domain/library.js';
import type { EventBus, WatcherState } from '../util/events.js';
import { type Candidate, scanTree } from './discovery.js';
import { LibraryWatchers } from './library-watchers.js';
import type { NormalizeOptions } from './normalize/index.js';
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
 * The watchers of the libraries with their periodic rescans, the ledger and the worker pool wired
 * together: what `aims serve` runs beside the API and `aims worker` runs alone. Nothing runs until
 * start(); the process that owns it (main.ts) decides when. The configured image folders are
 * registered as libraries; the libraries table is read again every few seconds (and at once after
 * a change through the API), so libraries added by an admin or by `aims ingest` in another process
 * are watched without a restart.
 */
export interface IngestService {
  readonly pipeline: IngestPipeline;
  /** The folders of the libraries this process knows. */
  readonly roots: readonly string[];
  watcherState(): WatcherState;
  libraryState(id: number): { state: LibraryState; reason: string | null } | undefined;
  /** Reads the libraries table again and starts or stops watchers to match (once started). */
  syncLibraries(): Promise<void>;
  /** Scans one library now; false when this process does not know it or it is paused. */
  rescanLibrary(id: number): Promise<boolean>;
  /** What this process did with the entries it took since it started, by outcome. */
  outcomes(): Record<EntryOutcome, number>;
  /** Why frames cannot be catalogued right now (a full disk, no catalog); null when they can. */
  problem(): { problem: string; since: string } | null;
  /** Every library's folder and whether it is reachable (an unmounted share is offline). */
  rootStates(): Promise<{ root: string; online: boolean }[]>;
  /** Files waiting in the ledger and being worked on in this process. */
  queue(): Promise<{ pending: number; active: number }>;
  /** Scans every library that is not paused and writes what it found to the ledger; resolves to the files seen. */
  rescan(): Promise<number>;
  /** Starts the pipeline, the watcher and a first scan; resolves once the watcher is ready. */
  start(): Promise<void>;
  /** Stops discovering, lets in-flight files finish, returns unfinished claims, closes the workers. */
  stop(): Promise<void>;
}

/** Candidates reported one by one are written to the ledger in batches. */
const ENQUEUE_BATCH = 500;
const ENQUEUE_DELAY_MS = 200;
/** How often the libraries table is read again for libraries that other processes changed. */
const LIBRARY_POLL_MS = 10_000;
/** How often a running service asks whether SQLite's planner statistics are stale. */
const STATISTICS_CHECK_MS = 10 * 60_000;

/** The zone serverTimezone found, and the TZ it was found under. */
let knownZone: { tz: string | undefined; zone: string | undefined } | undefined;

/**
 * The server's own time zone: the last fallback for observing nights. Asked for every frame, and
 * building an Intl.DateTimeFormat to learn it took 140 µs, more than the frame's whole ephemeris:
 * kept until TZ changes.
 */
export function serverTimezone(): string | undefined {
  const tz = process.env.TZ;
  if (knownZone && knownZone.tz === tz) return knownZone.zone;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  knownZone = { tz, zone };
  return zone;
}

/** How frames of a library are normalized: its site facts first, then the configuration's. */
export function normalizeOptionsFor(
  config: Pick<Config, 'nightRolloverHour' | 'timezone'>,
  library: Pick<Library, 'timezone' | 'longitude_deg'> | undefined,
): NormalizeOptions {
  const zone = serverTimezone();
  return {
    nightRolloverHour: config.nightRolloverHour,
    ...(config.timezone ? { timezone: config.timezone } : {}),
    ...(zone ? { serverTimezone: zone } : {}),
    ...(library && (library.timezone || library.longitude_deg !== null)
      ? {
          library: {
            ...(library.timezone ? { timezone: library.timezone } : {}),
            ...(library.longitude_deg !== null ? { longitudeDeg: library.longitude_deg } : {}),
          },
        }
      : {}),
  };
}
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
  /** The libraries as last read from the catalog (the watchers' own list once started). */
  let known: Library[] = [];
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
    normalize: normalizeOptionsFor(config, undefined),
    normalizeFor: (root) => normalizeOptionsFor(config, libraryFor(known, root)),
    events,
    ...(options.onEventsRecorded ? { onEventsRecorded: options.onEventsRecorded } : {}),
    log,
    onOutcome: (entry, outcome, detail) => {
      outcomes[outcome]++;
      log('debug', 'ingest outcome', { path: entry.file_path, outcome, ...(detail ? { detail } : {}) });
    },
  });

  // SQLite's planner statistics after the catalog has grown (planner-statistics.ts): checked now
  // and then (two small queries), refreshed off the event loop when stale.
  let statisticsTimer: NodeJS.Timeout | undefined;
  let statisticsRun: Promise<void> | undefined;
  const refreshStatistics = () => {
    statisticsRun ??= refreshStatisticsIfStale(database, (message, fields) => log('info', message, fields))
      .then(() => undefined)
      .catch((e) => log('warn', 'planner statistics could not be refreshed', { err: String(e) }))
      .finally(() => {
        statisticsRun = undefined;
      });
    return statisticsRun;
  };

  let state: WatcherState = 'off';
  const setState = (next: WatcherState) => {
    if (next === state) return;
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
  const candidate = async (file: Candidate) => {
    pending.push(file);
    if (pending.length >= ENQUEUE_BATCH) await flush();
    else
      flushTimer ??= setTimeout(
        () => void flush().catch((e) => log('error', 'enqueue failed', { err: String(e) })),
        ENQUEUE_DELAY_MS,
      );
  };

  /** The overall state of the health check: off without watchers, else the worst of them. */
  const overall = (states: LibraryState[]): WatcherState => {
    const running = states.filter((s) => s !== 'paused' && s !== 'unwatched');
    if (!running.length) return 'off';
    if (running.some((s) => s === 'error' || s === 'offline')) return 'error';
    if (running.some((s) => s === 'starting')) return 'starting';
    return running.every((s) => s === 'polling') ? 'polling' : 'watching';
  };
  const watchers = new LibraryWatchers(config.rescanSeconds, {
    candidate,
    removed: (root, relPath) => pipeline.removed(root, relPath),
    scanned: () => flush(),
    error: (message, fields) => log('warn', message, fields),
    info: (message, fields) => log('info', message, fields),
    stateChanged: () => setState(overall(watchers.states())),
  });

  let registered: Promise<void> | undefined;
  /** The configured folders as libraries, once per process. */
  const register = () => {
    registered ??= registerConfiguredLibraries(database, config).then(() => undefined);
    return registered;
  };
  let started = false;
  const syncLibraries = async () => {
    await register();
    known = await listLibraries(database);
    if (started) await watchers.sync(known);
  };

  const rescan = async () => {
    await syncLibraries();
    const libraries = known.filter((l) => !l.paused);
    if (!libraries.length) throw new Error('no libraries to scan');
    let n = 0;
    for (const library of libraries) {
      if (started) n += await watchers.scan(library.id);
      else
        for await (const c of scanTree(library.path, library.path, library.exclude)) {
          await candidate(c);
          n++;
        }
    }
    await flush();
    return n;
  };

  let pollTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  return {
    pipeline,
    get roots() {
      return known.map((l) => l.path);
    },
    watcherState: () => state,
    libraryState: (id) => watchers.stateOf(id),
    syncLibraries,
    async rescanLibrary(id) {
      await syncLibraries();
      const library = known.find((l) => l.id === id);
      if (!library || library.paused || !started) return false;
      void watchers.scan(id).catch((e) => log('error', 'rescan failed', { library: id, err: String(e) }));
      return true;
    },
    outcomes: () => ({ ...outcomes }),
    problem: () => pipeline.problem,
    rootStates: () => watchers.rootStates(),
    queue: async () => ({ pending: (await countByState(database)).pending, active: pipeline.activeCount }),
    rescan,
    async start() {
      pipeline.start();
      started = true;
      try {
        await syncLibraries();
      } catch (error) {
        setState('error');
        log('error', 'libraries could not be read', { err: String(error) });
      }
      pollTimer = setInterval(
        () => void syncLibraries().catch((e) => log('warn', 'libraries could not be read', { err: String(e) })),
        LIBRARY_POLL_MS,
      );
      pollTimer.unref();
      statisticsTimer = setInterval(() => void refreshStatistics(), STATISTICS_CHECK_MS);
      statisticsTimer.unref();
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(pollTimer);
        clearInterval(statisticsTimer);
        await statisticsRun;
        started = false;
        await watchers.stop().catch(() => undefined);
        setState('off');
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
