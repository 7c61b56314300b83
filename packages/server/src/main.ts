/**
 * The only place that listens on a port or starts background work: the catalog database, the
 * HTTP API (and the web UI when it has been built), the folder watcher with its periodic rescan,
 * and the ingest pipeline with its worker threads. SIGINT/SIGTERM shut all of it down in order:
 * stop accepting requests, stop discovering, let in-flight files finish (unfinished claims go back
 * to the queue), close the workers and the database.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config.js';
import { openDatabase } from './db/connection.js';
import { countByState } from './db/ingest-ledger.repository.js';
import type { IngestControl } from './http/app-context.js';
import { buildApp } from './http/app.js';
import { type Candidate, Discovery } from './ingest/discovery.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { createFramePool, defaultThreadCount } from './ingest/worker-pool.js';
import { EventBus, type WatcherState } from './util/events.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Resolves when the server has shut down (SIGINT/SIGTERM or close()). */
  closed: Promise<void>;
}

export interface StartOptions {
  /** Run the watcher and the ingest pipeline in this process (default true). */
  ingest?: boolean;
  /** Handle SIGINT/SIGTERM (default true). */
  signals?: boolean;
}

/** Candidates reported one by one are written to the ledger in batches. */
const ENQUEUE_BATCH = 500;
const ENQUEUE_DELAY_MS = 200;
/** How often the queue depth is sent to event-stream clients when it changed. */
const QUEUE_EVENT_MS = 2000;

export function serverVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return process.env.npm_package_version ?? '0.0.0';
  }
}

/** The built web UI (packages/web/dist), when there is one. */
function webDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase(config.databaseUrl);
  const events = new EventBus();
  const runIngest = (options.ingest ?? true) && config.imageDirs.length > 0;
  let watcherState: WatcherState = 'off';
  let log: ((level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void) | undefined;
  const setWatcher = (state: WatcherState) => {
    watcherState = state;
    events.publish('watcher.state', { state });
  };

  const pool = runIngest ? createFramePool(config.workers || defaultThreadCount()) : undefined;
  const pipeline = pool
    ? new IngestPipeline({
        database,
        pool,
        stableMs: config.stableSeconds * 1000,
        skipAnalysis: false,
        previewDir: config.previewDir,
        qualityThreshold: config.qualityThreshold,
        normalize: {
          nightRolloverHour: config.nightRolloverHour,
          ...(config.timezone ? { timezone: config.timezone } : {}),
        },
        events,
        log: (level, message, fields) => log?.(level, message, fields),
      })
    : undefined;

  let pending: Candidate[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length && pipeline) await pipeline.enqueue(batch);
  };
  const discovery = pipeline
    ? new Discovery(
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
                () => void flush().catch((e) => log?.('error', 'enqueue failed', { err: String(e) })),
                ENQUEUE_DELAY_MS,
              );
          },
          removed: (root, relPath) => pipeline.removed(root, relPath),
          error: (error, path) => log?.('warn', 'watcher error', { err: String(error), path }),
        },
      )
    : undefined;

  const queue = async () => ({
    pending: (await countByState(database)).pending,
    active: pipeline?.activeCount ?? 0,
  });
  const ingest: IngestControl = {
    queue,
    watcherState: () => watcherState,
    rescan: async () => {
      if (!discovery) throw new Error('no image folders are configured');
      void discovery
        .scan()
        .then(flush)
        .catch((e) => log?.('error', 'rescan failed', { err: String(e) }));
    },
  };

  const app = await buildApp({ config, database, events, ingest, version: serverVersion(), webDir: webDir() });
  log = (level, message, fields) => app.log.child({ component: 'ingest' })[level](fields ?? {}, message);

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await pool?.close();
    await database.close();
    throw error;
  }

  let lastDepth = '';
  const depthTimer = setInterval(() => {
    queue()
      .then((depth) => {
        const key = `${depth.pending}/${depth.active}`;
        if (key !== lastDepth) events.publish('queue.depth', depth);
        lastDepth = key;
      })
      .catch(() => undefined);
  }, QUEUE_EVENT_MS);
  depthTimer.unref();

  if (pipeline && discovery) {
    pipeline.start();
    setWatcher('starting');
    discovery
      .start()
      .then(() => setWatcher(config.usePolling ? 'polling' : 'watching'))
      .catch((error) => {
        setWatcher('error');
        log?.('error', 'watcher failed to start', { err: String(error) });
      });
    // What arrived while AIMS was not running.
    void discovery
      .scan()
      .then(flush)
      .catch((e) => log?.('error', 'initial scan failed', { err: String(e) }));
  }

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.log.info('shutting down');
      clearInterval(depthTimer);
      await app.close();
      if (discovery) await discovery.stop().catch(() => undefined);
      setWatcher('off');
      await flush().catch(() => undefined);
      // In-flight files finish; whatever is still claimed goes back to the queue.
      if (pipeline) await pipeline.stop().catch((e) => app.log.error({ err: e }, 'ingest did not stop cleanly'));
      await pool?.close();
      await database.close();
      resolveClosed();
    })();
    return closing;
  };
  if (options.signals ?? true)
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
  app.log.info({ url, ingest: runIngest, roots: config.imageDirs }, 'AIMS listening');
  process.stdout.write(`AIMS listening on ${url}\n`);
  return { url, close, closed };
}
