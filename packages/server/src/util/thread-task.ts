/**
 * The envelope of a task sent to a worker thread of a ThreadPool (thread-pool.ts), and what the
 * worker calls first: `taskStarted(control)` tells the pool, through a shared cell, that the task
 * has left the queue, which starts its time budget. Kept apart from thread-pool.ts so that worker
 * threads do not load piscina.
 */
export const TASK_QUEUED = 0;
export const TASK_RUNNING = 1;
export const TASK_DONE = 2;

export interface ThreadTask<T = unknown> {
  /** Int32 [0]: TASK_QUEUED, TASK_RUNNING or TASK_DONE. */
  control: SharedArrayBuffer;
  task: T;
}

export function taskStarted(control: SharedArrayBuffer): void {
  const state = new Int32Array(control);
  Atomics.compareExchange(state, 0, TASK_QUEUED, TASK_RUNNING);
  Atomics.notify(state, 0);
}
