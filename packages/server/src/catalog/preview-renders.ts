/**
 * Previews rendered on demand by the API, off the HTTP process's thread: a small pool of worker
 * threads (catalog/preview.worker.ts) with
 *
 * - one render per preview at a time: a request for a preview already being rendered waits for
 *   that render (single-flight, by content hash, size and format: a render writes only the preview
 *   asked for);
 * - a cap on renders at once (AIMS_PREVIEW_RENDERS); more wait in a queue of AIMS_PREVIEW_QUEUE,
 *   beyond which a request is answered 503 with Retry-After;
 * - cancellation: a request whose client leaves stops waiting; a render nobody waits for any more
 *   is dropped from the queue, or its thread stopped when it was running;
 * - the file time budget (AIMS_FILE_TIME_BUDGET), as for ingest;
 * - close(): every render ends at once (waiting requests get 503), so a shutdown is not held up.
 *
 * `runModule(file, task, signal)` runs other on-demand pixel work (SODA cutouts) in the same threads,
 * under the same cap, queue, budget and cancellation, without single-flight.
 */

import { type PreviewFormat, type PreviewSize, previewPath } from '../util/preview-paths.js';
import {
  compiledExecArgv,
  compiledWorkerFile,
  createThreadPool,
  PoolBusy,
  type ThreadPool,
} from '../util/thread-pool.js';
import { catalogBusy } from './errors.js';
import type { ModuleJob, PreviewJob } from './preview.worker.js';
import type { PreviewRenderer } from './previews.js';

/** What a refused request is told to wait before asking again: a typical render's length. */
const RETRY_AFTER_SECONDS = 5;

export interface PreviewRendersOptions {
  previewDir: string;
  maxInflateRatio?: number;
  /** Renders at once (threads). */
  renders: number;
  /** Renders that may wait for a thread. */
  queue: number;
  timeBudgetMs?: number;
  /** The worker script (tests give one that waits or never ends). */
  workerFile?: string;
}

export interface PreviewRenderStats {
  /** Renders and module jobs (cutouts) handed to a thread (or its queue) since the start. */
  started: number;
  /** Renders dropped or stopped because nobody waited for them any more. */
  abandoned: number;
  /** Previews being rendered now, and the requests waiting for them. */
  inFlight: number;
  waiting: number;
  queued: number;
  running: number;
}

/** Runs the default export of a compiled worker module with `task` in a preview thread. */
export type OffThreadRunner = <R>(moduleFile: string, task: unknown, signal?: AbortSignal) => Promise<R>;

export interface PreviewRenders {
  render: PreviewRenderer;
  runModule: OffThreadRunner;
  stats(): PreviewRenderStats;
  close(): Promise<void>;
}

interface Flight {
  result: Promise<boolean>;
  waiters: number;
  stop: AbortController;
}

export function createPreviewRenders(options: PreviewRendersOptions): PreviewRenders {
  const filename = options.workerFile ?? compiledWorkerFile(new URL('./preview.worker.js', import.meta.url));
  if (!filename) throw new Error('the preview worker is not built (npm run build:lib)');
  const pool: ThreadPool = createThreadPool({
    filename,
    threads: options.renders,
    // No thread until the first render: most previews were written at ingest.
    minThreads: 0,
    execArgv: compiledExecArgv(process.execArgv),
    maxQueue: options.queue,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
  });
  const flights = new Map<string, Flight>();
  let started = 0;
  let abandoned = 0;
  let closed = false;

  const startFlight = (
    key: string,
    image: { path: string; sha256: string },
    size: PreviewSize,
    format: PreviewFormat,
  ): Flight => {
    const stop = new AbortController();
    const job: PreviewJob = {
      previewDir: options.previewDir,
      path: image.path,
      sha256: image.sha256,
      size,
      format,
      ...(options.maxInflateRatio !== undefined ? { maxInflateRatio: options.maxInflateRatio } : {}),
    };
    let result: Promise<boolean>;
    try {
      result = pool.run<boolean>(job, { signal: stop.signal });
    } catch (error) {
      result = Promise.reject(error);
    }
    const flight: Flight = { result, waiters: 0, stop };
    flights.set(key, flight);
    started++;
    const forget = () => {
      if (flights.get(key) === flight) flights.delete(key);
    };
    result.then(forget, forget);
    return flight;
  };

  const render: PreviewRenderer = async (image, size: PreviewSize, signal, format: PreviewFormat = 'png') => {
    if (closed) throw catalogBusy('the server is shutting down', RETRY_AFTER_SECONDS);
    signal?.throwIfAborted();
    const key = `${image.sha256}-${size}.${format}`;
    let flight = flights.get(key);
    if (!flight) {
      const { queued, running } = pool.counts();
      if (queued + running >= options.renders + options.queue)
        throw catalogBusy(`too many previews are being rendered (${queued} waiting)`, RETRY_AFTER_SECONDS);
      flight = startFlight(key, image, size, format);
    }
    flight.waiters++;
    let onAbort: (() => void) | undefined;
    const left = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal?.reason ?? new Error('the client left'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const rendered = await Promise.race([flight.result, left]);
      return rendered ? previewPath(options.previewDir, image.sha256, size, format) : null;
    } catch (error) {
      if (error instanceof PoolBusy)
        throw catalogBusy(`too many previews are being rendered (${error.queued} waiting)`, RETRY_AFTER_SECONDS);
      if (closed) throw catalogBusy('the server is shutting down', RETRY_AFTER_SECONDS);
      throw error;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      flight.waiters--;
      // Still in the map: not settled (a settled render has left it before its waiters resume).
      if (flight.waiters === 0 && flights.get(key) === flight) {
        // Nobody waits for it any more: out of the queue, or its thread stopped.
        abandoned++;
        flights.delete(key);
        flight.stop.abort(new Error('nobody waits for this preview any more'));
      }
    }
  };

  const runModule: OffThreadRunner = async <R>(moduleFile: string, task: unknown, signal?: AbortSignal) => {
    if (closed) throw catalogBusy('the server is shutting down', RETRY_AFTER_SECONDS);
    signal?.throwIfAborted();
    const { queued, running } = pool.counts();
    if (queued + running >= options.renders + options.queue)
      throw catalogBusy(`too many images are being worked on (${queued} waiting)`, RETRY_AFTER_SECONDS);
    const job: ModuleJob = { module: moduleFile, task };
    started++;
    try {
      return await pool.run<R>(job, signal ? { signal } : {});
    } catch (error) {
      if (error instanceof PoolBusy)
        throw catalogBusy(`too many images are being worked on (${error.queued} waiting)`, RETRY_AFTER_SECONDS);
      if (closed) throw catalogBusy('the server is shutting down', RETRY_AFTER_SECONDS);
      throw error;
    }
  };

  return {
    render,
    runModule,
    stats() {
      let waiting = 0;
      for (const flight of flights.values()) waiting += flight.waiters;
      return { started, abandoned, inFlight: flights.size, waiting, ...pool.counts() };
    },
    async close() {
      closed = true;
      for (const flight of flights.values()) flight.stop.abort(new Error('the server is shutting down'));
      flights.clear();
      await pool.close();
    },
  };
}
