/**
 * Worker threads with a time budget, a bounded queue and cancellation, over piscina.
 *
 *   createThreadPool({ filename, threads, timeBudgetMs?, maxQueue?, … }): ThreadPool
 *   ThreadPool.run(task, { signal? })   resolves to the worker's result; rejects with
 *       TimeBudgetExceeded (the task ran longer than timeBudgetMs: its thread was stopped and
 *       replaced), PoolBusy (maxQueue tasks already wait), or an AbortError (signal aborted: a
 *       waiting task leaves the queue, a running one has its thread stopped)
 *   compiledWorkerFile(url)             the .js worker beside a module, or its build in dist/
 *
 * The budget counts from the moment a worker takes the task, not from when it was queued: the
 * worker says so through a shared cell (thread-task.ts), which the pool waits on without polling.
 * A stopped thread is terminated wherever it is, also in a synchronous loop that never yields.
 *
 * With `tasksPerThread` above 1 a thread is handed several tasks at once and takes the next from
 * its own queue the moment it is done, instead of waiting for the main thread to hand it one,
 * which a busy main thread (a catalog write) does only between its own turns. piscina gives a task
 * with an abort signal a thread of its own, so these tasks are run without one: a task over its
 * budget (or cancelled while it runs) has its thread terminated here, a cancelled task not yet
 * taken is withdrawn through its cell, and the tasks that waited behind on a terminated thread are
 * handed over again.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { TASK_DONE, TASK_QUEUED, TASK_THREAD, type ThreadTask, taskCell } from './thread-task.js';

export class TimeBudgetExceeded extends Error {
  override readonly name = 'TimeBudgetExceeded';
  constructor(readonly budgetMs: number) {
    super(`took longer than its time budget of ${budgetMs / 1000} s`);
  }
}

export class PoolBusy extends Error {
  override readonly name = 'PoolBusy';
  constructor(readonly queued: number) {
    super(`${queued} tasks are already waiting`);
  }
}

export interface ThreadPoolOptions {
  filename: string;
  threads: number;
  /** Threads kept when idle (default 1; `threads` starts them all at once). */
  minThreads?: number;
  idleTimeoutMs?: number;
  execArgv?: string[];
  /** Given to every thread as `workerData` (node:worker_threads). */
  workerData?: unknown;
  /** V8 heap limits of every thread (node:worker_threads `resourceLimits`). */
  resourceLimits?: ResourceLimits;
  /** How long a task may run once a thread has taken it; undefined: as long as it takes. */
  timeBudgetMs?: number;
  /** Tasks that may wait for a thread; one more is refused with PoolBusy. Undefined: no bound. */
  maxQueue?: number;
  /**
   * Tasks a thread is handed at once (default 1): the ones after the first wait in the thread's
   * own queue. Only for tasks that hold little while they wait and run one after the other.
   */
  tasksPerThread?: number;
}

export interface ThreadPool {
  readonly threads: number;
  run<R>(task: unknown, options?: { signal?: AbortSignal }): Promise<R>;
  /** Tasks waiting for a thread, and tasks a thread is working on. */
  counts(): { queued: number; running: number };
  close(): Promise<void>;
}

/**
 * A task that waited behind another on a thread this pool terminated is handed over at most this
 * many times (a thread that keeps being stopped under it would otherwise hand it round for good).
 */
const MAX_HANDOVERS = 3;

/** Atomics.waitAsync (Node 16 and later), which the ES2023 library types do not declare yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cells: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

export function createThreadPool(options: ThreadPoolOptions): ThreadPool {
  const tasksPerThread = options.tasksPerThread ?? 1;
  const piscina = new Piscina({
    filename: options.filename,
    minThreads: Math.min(options.minThreads ?? 1, options.threads),
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    concurrentTasksPerWorker: tasksPerThread,
    // Tasks in the order they were run: by default piscina puts a task it could not hand to a
    // full thread at the back of its queue, and with several tasks per thread the first frames of
    // an ingest were read after hundreds of later ones (their round, and every round after it,
    // waited for them).
    stricterFIFO: true,
    execArgv: threadExecArgv(options.execArgv ?? process.execArgv),
    ...(options.workerData === undefined ? {} : { workerData: options.workerData }),
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
  });
  let queued = 0;
  let running = 0;
  let closing = false;
  /** Threads this pool terminated (tasksPerThread > 1), and how many. */
  const stoppedThreads = new Set<number>();
  let stops = 0;

  /** Terminates the thread a task runs on; piscina then rejects its tasks and starts a replacement. */
  const stopThread = (threadId: number) => {
    stoppedThreads.add(threadId);
    stops++;
    void piscina.threads.find((w) => w.threadId === threadId)?.terminate();
  };

  /** One task in a thread's queue (tasksPerThread > 1), stopped by `signal` as described above. */
  const runQueued = (envelope: ThreadTask, signal: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const cell = taskCell(envelope.control);
      const onAbort = () => {
        // Not taken yet: withdrawn, the thread skips it. Taken: its thread is stopped.
        if (Atomics.compareExchange(cell, 0, TASK_QUEUED, TASK_DONE) !== TASK_QUEUED)
          stopThread(Atomics.load(cell, TASK_THREAD));
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      piscina.run(envelope).then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });

  /** One attempt at a task; HAND_OVER when it waited on a thread stopped for another task. */
  const attempt = async (task: unknown, outer: AbortSignal | undefined): Promise<unknown> => {
    const control = new SharedArrayBuffer(8);
    const state = taskCell(control);
    const stop = new AbortController();
    const onOuterAbort = () => stop.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let phase: 'queued' | 'running' | 'done' = 'queued';
    queued++;
    // Wakes when the worker takes the task (or when it is over, whichever comes first).
    void Promise.resolve(waitAsync(state, 0, TASK_QUEUED).value).then(() => {
      if (phase !== 'queued' || Atomics.load(state, 0) === TASK_DONE) return;
      phase = 'running';
      queued--;
      running++;
      const budgetMs = options.timeBudgetMs;
      if (budgetMs !== undefined)
        timer = setTimeout(() => {
          timedOut = true;
          stop.abort(new TimeBudgetExceeded(budgetMs));
        }, budgetMs);
    });
    try {
      const envelope = { control, task } satisfies ThreadTask;
      if (tasksPerThread > 1) return await runQueued(envelope, stop.signal);
      return await piscina.run(envelope, { signal: stop.signal });
    } catch (error) {
      if (timedOut) throw new TimeBudgetExceeded(options.timeBudgetMs ?? 0);
      // Rejected because its thread was terminated for another task: taken on a thread this pool
      // stopped, or never taken once the pool has stopped a thread (a stopped thread takes tasks
      // until piscina sees it exit, so the task may have been given to it after the stop).
      const waitedBehind =
        Atomics.load(state, 0) === TASK_QUEUED ? stops > 0 : stoppedThreads.has(state[TASK_THREAD] ?? 0);
      if (tasksPerThread > 1 && !closing && !stop.signal.aborted && waitedBehind) return HAND_OVER;
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      if (phase === 'queued') queued--;
      else if (phase === 'running') running--;
      phase = 'done';
      Atomics.store(state, 0, TASK_DONE);
      Atomics.notify(state, 0);
    }
  };

  const run = async <R>(task: unknown, runOptions: { signal?: AbortSignal } = {}): Promise<R> => {
    // Tasks beyond one per thread wait; a task just handed over counts as waiting until taken.
    if (options.maxQueue !== undefined && queued + running >= options.threads + options.maxQueue)
      throw new PoolBusy(Math.max(0, queued + running - options.threads));
    for (let handovers = 0; ; handovers++) {
      runOptions.signal?.throwIfAborted();
      const result = await attempt(task, runOptions.signal);
      if (result !== HAND_OVER) return result as R;
      if (handovers >= MAX_HANDOVERS) throw new Error('its worker thread was stopped too often for other tasks');
    }
  };

  return {
    threads: options.threads,
    run,
    counts: () => ({ queued, running }),
    close: () => {
      closing = true;
      return piscina.destroy();
    },
  };
}

const HAND_OVER = Symbol('hand over');

/**
 * The compiled worker script for a module URL (`new URL('./x.worker.js', import.meta.url)`).
 * Tests run the TypeScript sources, where no .js file sits beside the module, so the build output
 * in dist/ is used instead (`npm test` builds first). Undefined when neither exists.
 */
export function compiledWorkerFile(url: URL): string | undefined {
  const here = fileURLToPath(url);
  if (existsSync(here)) return here;
  const built = here.replace(/([/\\])src([/\\])/, '$1dist$2');
  return existsSync(built) ? built : undefined;
}

/**
 * The arguments a pool's threads start with: `execArgv` and, where this Node has it,
 * `--no-experimental-require-module`. piscina loads a worker script with `require()` first, which
 * on Node 20.19 and later loads an ES module synchronously; a thread stopped in the middle of that
 * (a pool closed while its threads still start: `aims ingest` of a folder with nothing new) aborted
 * the whole process with a V8 fatal error (`v8::Module::IsGraphAsync must be used on an
 * instantiated module`, once in CI). Without require(esm) that `require()` fails at once and
 * piscina loads the script with `import()`, which a stopped thread just leaves unfinished.
 */
export function threadExecArgv(execArgv: readonly string[]): string[] {
  const flag = '--no-experimental-require-module';
  const known = process.allowedNodeEnvironmentFlags.has(flag);
  return known && !execArgv.includes(flag) ? [...execArgv, flag] : [...execArgv];
}

/**
 * The worker script is compiled JavaScript, so it must resolve packages to their compiled entries
 * too: a `source` condition inherited from a test runner would send it to TypeScript it cannot load.
 */
export function compiledExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if ((arg === '--conditions' || arg === '-C') && execArgv[i + 1] === 'source') i++;
    else if (arg !== '--conditions=source') out.push(arg);
  }
  return out;
}
