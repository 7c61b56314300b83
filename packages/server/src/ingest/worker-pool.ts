import { availableParallelism } from 'node:os';
import { compiledExecArgv, compiledWorkerFile, createThreadPool, TimeBudgetExceeded } from '../util/thread-pool.js';
import type { FrameJob, FrameOutcome } from './frame.job.js';
import { reclaimMemory } from './memory-budget.js';

/** AIMS_FILE_TIME_BUDGET's default: a 14 GB file is read and hashed in about a minute. */
export const DEFAULT_FILE_TIME_BUDGET_SECONDS = 300;

export interface FramePoolOptions {
  /** Start every thread at once (a one-shot ingest). */
  startAll?: boolean;
  /**
   * How long one file may take once a thread has it; past it the file fails for good and its
   * thread is stopped and replaced (default AIMS_FILE_TIME_BUDGET's). Only with worker threads.
   */
  fileTimeBudgetMs?: number;
  /** The worker script (tests give one that misbehaves on purpose). */
  workerFile?: string;
  /**
   * Every thread loads the pixel analysis and sharp as it starts instead of with its first frame
   * (about 50 ms of CPU each): for a one-shot ingest that measures pixels, whose threads start while
   * the main thread still loads and opens the catalog, with a core to spare.
   */
  preloadAnalysis?: boolean;
  /**
   * Every job skips the pixel analysis (`aims ingest --skip-analysis`): a thread is handed
   * CATALOG_ONLY_FILES_PER_THREAD files at once.
   */
  skipAnalysis?: boolean;
}

/**
 * Files a thread holds at once in a catalog-only ingest. A frame takes the thread about half a
 * millisecond, and the main thread, busy writing the catalog, hands out files only between its
 * turns (every millisecond or so, longer through a commit): handed one file at a time, the thread
 * sat idle for most of the run and one worker thread was slower than none. Sixteen queued files
 * cover 8 ms of the main thread's work; each holds only its job (a path and options) while it
 * waits. With analysis a frame takes a second and holds its pixels: one at a time.
 */
const CATALOG_ONLY_FILES_PER_THREAD = 16;

/**
 * The young generation of a frame thread's V8 heap (MB; V8 splits it into two semi-spaces and a
 * nursery). A frame's pixels live in ArrayBuffers outside this heap; what is left is small and
 * short-lived. By default V8 grows it to 3 × 16 MB: in the memory bench's burst of 10,000 frames
 * the thread's new space sat at 27-30 MB for minutes at a time, per thread, for nothing the next
 * frame needed.
 */
export const FRAME_THREAD_YOUNG_GENERATION_MB = 12;

/** What a frame thread is told at its start (frame.worker.ts reads it). */
export interface FrameThreadData {
  preloadAnalysis: boolean;
}

export interface FramePool {
  readonly threads: number;
  run(job: FrameJob): Promise<FrameOutcome>;
  close(): Promise<void>;
}

/**
 * One thread per core but one, so the main thread keeps a core for the catalog and the API. A
 * one-shot ingest that measures pixels (`whole`) takes every core: its main thread serves nothing
 * and writes the catalog in a few milliseconds a frame, against a tenth of a second and more of
 * pixel work per frame in the workers.
 */
export function defaultThreadCount(options: { whole?: boolean } = {}): number {
  return options.whole ? availableParallelism() : Math.max(1, availableParallelism() - 1);
}

/**
 * Parsing, hashing and measuring run in worker threads; the main thread only writes the catalog.
 * With `threads` 0 (or no compiled worker available) jobs run on the calling thread, without a
 * time budget. Workers start one at a time as work arrives, and stop when idle; with `startAll`
 * every worker starts at once (a one-shot ingest, where their start-up then overlaps the
 * catalog's). A file over its time budget fails with a reason and its thread is stopped wherever
 * it is (a decompression bomb, a pathological tile, a read that never returns to JavaScript).
 */
export function createFramePool(threads = defaultThreadCount(), options: FramePoolOptions = {}): FramePool {
  const filename =
    threads > 0 ? (options.workerFile ?? compiledWorkerFile(new URL('./frame.worker.js', import.meta.url))) : undefined;
  if (!filename) {
    // The frame code (FITS, analysis, sharp) is loaded only here: with worker threads the main
    // thread never needs it, and loading it cost a tenth of a second of every `aims ingest`.
    return {
      threads: 0,
      run: async (job) => (await import('./frame.job.js')).processFrame(job),
      close: async () => {},
    };
  }
  const budgetMs = options.fileTimeBudgetMs ?? DEFAULT_FILE_TIME_BUDGET_SECONDS * 1000;
  const pool = createThreadPool({
    filename,
    threads,
    minThreads: options.startAll ? threads : 1,
    execArgv: compiledExecArgv(process.execArgv),
    timeBudgetMs: budgetMs,
    tasksPerThread: options.skipAnalysis ? CATALOG_ONLY_FILES_PER_THREAD : 1,
    workerData: { preloadAnalysis: options.preloadAnalysis ?? false } satisfies FrameThreadData,
    resourceLimits: { maxYoungGenerationSizeMb: FRAME_THREAD_YOUNG_GENERATION_MB },
  });
  return {
    threads,
    async run(job) {
      // The memory this one job holds, so that a stopped thread's share can be given back.
      const held = job.memory ? new SharedArrayBuffer(4) : undefined;
      const sent: FrameJob = job.memory && held ? { ...job, memory: { ...job.memory, held } } : job;
      try {
        return await pool.run<FrameOutcome>(sent);
      } catch (error) {
        if (!(error instanceof TimeBudgetExceeded)) throw error;
        if (job.memory && held) reclaimMemory(job.memory.budget, held);
        return {
          ok: false,
          retry: false,
          code: 'TIME_BUDGET',
          reason: `reading the file took longer than its time budget of ${budgetMs / 1000} s (AIMS_FILE_TIME_BUDGET); its worker thread was stopped`,
        };
      }
    },
    close: () => pool.close(),
  };
}
