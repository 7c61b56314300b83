/** A worker for tests of the frame pool: returns the thread's V8 heap limits (resourceLimits). */
import { resourceLimits } from 'node:worker_threads';
import { taskStarted } from '../../dist/util/thread-task.js';

export default function limits({ control }) {
  taskStarted(control);
  return resourceLimits;
}
