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
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { TASK_DONE, TASK_QUEUED, type ThreadTask } from './thread-task.js';

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
  /** How long a task may run once a thread has taken it; undefined: as long as it takes. */
  timeBudgetMs?: number;
  /** Tasks that may wait for a thread; one more is refused with PoolBusy. Undefined: no bound. */
  maxQueue?: number;
}

export interface ThreadPool {
  readonly threads: number;
  run<R>(task: unknown, options?: { signal?: AbortSignal }): Promise<R>;
  /** Tasks waiting for a thread, and tasks a thread is working on. */
  counts(): { queued: number; running: number };
  close(): Promise<void>;
}

/** Atomics.waitAsync (Node 16 and later), which the ES2023 library types do not declare yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cells: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

export function createThreadPool(options: ThreadPoolOptions): ThreadPool {
  const piscina = new Piscina({
    filename: options.filename,
    minThreads: Math.min(options.minThreads ?? 1, options.threads),
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    ...(options.workerData === undefined ? {} : { workerData: options.workerData }),
  });
  let queued = 0;
  let running = 0;

  const run = async <R>(task: unknown, runOptions: { signal?: AbortSignal } = {}): Promise<R> => {
    // Tasks beyond one per thread wait; a task just handed over counts as waiting until taken.
    if (options.maxQueue !== undefined && queued + running >= options.threads + options.maxQueue)
      throw new PoolBusy(Math.max(0, queued + running - options.threads));
    runOptions.signal?.throwIfAborted();
    const control = new SharedArrayBuffer(4);
    const state = new Int32Array(control);
    const stop = new AbortController();
    const outer = runOptions.signal;
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
      return (await piscina.run({ control, task } satisfies ThreadTask, { signal: stop.signal })) as R;
    } catch (error) {
      if (timedOut) throw new TimeBudgetExceeded(options.timeBudgetMs ?? 0);
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

  return {
    threads: options.threads,
    run,
    counts: () => ({ queued, running }),
    close: () => piscina.destroy(),
  };
}

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
