/**
 * The envelope of a task sent to a worker thread of a ThreadPool (thread-pool.ts), and what the
 * worker calls first: `taskStarted(control)` tells the pool, through a shared cell, that the task
 * has left the queue, which starts its time budget. Kept apart from thread-pool.ts so that worker
 * threads do not load piscina.
 */
import { threadId } from 'node:worker_threads';

export const TASK_QUEUED = 0;
export const TASK_RUNNING = 1;
export const TASK_DONE = 2;
/** The cell's second slot: the threadId of the thread that took the task. */
export const TASK_THREAD = 1;

export interface ThreadTask<T = unknown> {
  /** Int32 [0]: TASK_QUEUED, TASK_RUNNING or TASK_DONE; [TASK_THREAD]: the thread that took it. */
  control: SharedArrayBuffer;
  task: T;
}

export function taskCell(control: SharedArrayBuffer): Int32Array {
  return new Int32Array(control, 0, 2);
}

/**
 * Called by the worker before it works on a task. False when the pool withdrew the task before
 * this thread came to it (cancelled while it waited in the thread's queue): the worker returns
 * at once, and nobody reads what it returns.
 */
export function taskStarted(control: SharedArrayBuffer): boolean {
  const state = taskCell(control);
  Atomics.store(state, TASK_THREAD, threadId);
  // A second call for the same task (a test worker that wraps the real one) finds it running.
  const before = Atomics.compareExchange(state, 0, TASK_QUEUED, TASK_RUNNING);
  Atomics.notify(state, 0);
  return before !== TASK_DONE;
}
