/**
 * The only place that listens on a port or starts background work: the catalog database, the
 * HTTP API (and the web UI when it has been built), the folder watcher with its periodic rescan,
 * and the ingest pipeline with its worker threads. SIGINT/SIGTERM shut all of it down in order:
 * stop accepting requests, stop discovering, let in-flight files finish (unfinished claims go back
 * to the queue), close the workers and the database.
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { FixitySchedule } from './catalog/fixity.js';
import { registerConfiguredLibraries } from './catalog/libraries.service.js';
import { createPreviewRenders } from './catalog/preview-renders.js';
import type { Config } from './config/config.js';
import { openDatabase } from './db/connection.js';
import { type EventFollower, followEvents } from './db/event-follower.js';
import { countByState } from './db/ingest-ledger.repository.js';
import { buildApp } from './http/app.js';
import type { IngestControl } from './http/app-context.js';
import { loggerOptions } from './http/logger.js';
import { createIngestService, type IngestLog, type IngestService } from './ingest/ingest-service.js';
import { EventBus } from './util/events.js';
import { boundHeapGrowth } from './util/heap-growth.js';
import { ensurePrivateDir } from './util/private-files.js';

/** How long `aims serve` and `aims worker` wait for a PostgreSQL or MySQL server that is not up yet. */
const DATABASE_WAIT_MS = 60_000;

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

/** How often the queue depth is sent to event-stream clients when it changed. */
const QUEUE_EVENT_MS = 2000;
/** How soon after an outbox event the queue is counted again (several events, one count). */
const QUEUE_EVENT_SOON_MS = 250;

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
  boundHeapGrowth();
  // Before anything is written there: the catalog, the secret and the previews inherit no access.
  ensurePrivateDir(config.dataDir);
  const database = await openDatabase(config.databaseUrl, { waitForServerMs: DATABASE_WAIT_MS });
  // AIMS_IMAGE_DIR/--images appear as libraries whether or not this process watches them.
  await registerConfiguredLibraries(database, config);
  const events = new EventBus();
  // Ingest runs even without configured folders: admins may add libraries at any time.
  const runIngest = options.ingest ?? true;
  let log: IngestLog | undefined;
  let follower: EventFollower | undefined;
  const service = runIngest
    ? createIngestService(config, database, events, {
        log: (level, message, fields) => log?.(level, message, fields),
        onEventsRecorded: () => follower?.poke(),
      })
    : undefined;

  const queue = async () => service?.queue() ?? { pending: (await countByState(database)).pending, active: 0 };
  const ingest: IngestControl = {
    queue,
    watcherState: () => service?.watcherState() ?? 'off',
    problem: () => service?.problem() ?? null,
    rootStates: async () => (await service?.rootStates()) ?? [],
    rescan: async () => {
      if (!service) throw new Error('ingest is not running in this process');
      void service.rescan().catch((e) => log?.('error', 'rescan failed', { err: String(e) }));
    },
    libraryState: (id) => service?.libraryState(id),
    librariesChanged: async () => service?.syncLibraries(),
    rescanLibrary: async (id) => (service ? service.rescanLibrary(id) : false),
  };

  const app = await buildApp({
    config,
    database,
    events,
    ingest,
    version: serverVersion(),
    webDir: webDir(),
    previews: createPreviewRenders({
      previewDir: config.previewDir,
      maxInflateRatio: config.maxInflateRatio,
      renders: config.previewRenders,
      queue: config.previewQueue,
      timeBudgetMs: config.fileTimeBudgetSeconds * 1000,
    }),
  });
  log = (level, message, fields) => app.log.child({ component: 'ingest' })[level](fields ?? {}, message);

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await service?.stop();
    await database.close();
    throw error;
  }

  let lastDepth = '';
  const sendDepth = () => {
    queue()
      .then((depth) => {
        const key = `${depth.pending}/${depth.active}`;
        if (key !== lastDepth) events.publish('queue.depth', depth);
        lastDepth = key;
      })
      .catch(() => undefined);
  };
  const depthTimer = setInterval(sendDepth, QUEUE_EVENT_MS);
  depthTimer.unref();
  // Frames and failures of every process on this catalog (aims ingest, aims worker, this one)
  // come through the event outbox; each also changed the queue, which is counted again soon after.
  let depthSoon: NodeJS.Timeout | undefined;
  try {
    follower = await followEvents(database, {
      deliver: (event) => {
        events.relay(event);
        depthSoon ??= setTimeout(() => {
          depthSoon = undefined;
          sendDepth();
        }, QUEUE_EVENT_SOON_MS);
      },
      log: (level, message, fields) => app.log[level](fields ?? {}, message),
    });
  } catch (error) {
    clearInterval(depthTimer);
    await app.close();
    await database.close();
    throw error;
  }

  void service?.start().catch((e) => log?.('error', 'ingest did not start', { err: String(e) }));
  // Every catalogued file read again within AIMS_FIXITY_DAYS (catalog/fixity.ts).
  const fixity =
    config.fixityDays > 0
      ? new FixitySchedule(database, { days: config.fixityDays, log: app.log.child({ component: 'fixity' }) })
      : undefined;
  fixity?.start();

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const { close, closed } = shutdownOnce(options.signals ?? true, async () => {
    app.log.info('shutting down');
    clearInterval(depthTimer);
    clearTimeout(depthSoon);
    await app.close();
    await fixity?.stop();
    await service?.stop();
    await follower?.close();
    await database.close();
  });
  app.log.info({ url, ingest: runIngest, roots: config.imageDirs }, 'AIMS listening');
  process.stdout.write(`AIMS listening on ${url}\n`);
  return { url, close, closed };
}

export interface RunningWorker {
  service: IngestService;
  close(): Promise<void>;
  /** Resolves when the worker has shut down (SIGINT/SIGTERM or close()). */
  closed: Promise<void>;
}

/**
 * `aims worker`: the watcher, the rescans and the ingest pipeline without the HTTP server, for
 * more ingest capacity on other machines that share a PostgreSQL catalog (claims never overlap).
 * Without image folders it only works through what the ledger already holds; the files must then
 * be reachable at the same paths as on the machine that discovered them.
 */
export async function startWorker(
  config: Config,
  options: { signals?: boolean; threads?: number } = {},
): Promise<RunningWorker> {
  boundHeapGrowth();
  ensurePrivateDir(config.dataDir);
  const database = await openDatabase(config.databaseUrl, { waitForServerMs: DATABASE_WAIT_MS });
  const logger = pino(loggerOptions(config.logLevel) as Parameters<typeof pino>[0]).child({ component: 'ingest' });
  const service = createIngestService(config, database, new EventBus(), {
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    log: (level, message, fields) => logger[level](fields ?? {}, message),
  });
  await service.start();

  const { close, closed } = shutdownOnce(options.signals ?? true, async () => {
    logger.info('shutting down');
    await service.stop();
    logger.info({ worker: service.pipeline.workerId, outcomes: service.outcomes() }, 'AIMS worker stopped');
    await database.close();
    logger.flush();
  });
  logger.info({ roots: service.roots, worker: service.pipeline.workerId }, 'AIMS worker started');
  process.stdout.write(`AIMS worker ${service.pipeline.workerId} started\n`);
  return { service, close, closed };
}

/**
 * `close()` runs `stop` once however often it is called (a signal and a caller may both ask), and
 * `closed` resolves when it has finished. With `signals`, SIGINT and SIGTERM call it.
 */
function shutdownOnce(signals: boolean, stop: () => Promise<void>): { close(): Promise<void>; closed: Promise<void> } {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= stop().then(resolveClosed);
    return closing;
  };
  if (signals) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
  return { close, closed };
}
