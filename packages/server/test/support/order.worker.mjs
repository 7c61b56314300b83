/**
 * A worker for tests of the thread pool's queue: returns its task and the order in which this
 * thread took it.
 */
import { taskStarted } from '../../dist/util/thread-task.js';

let taken = 0;

export default function order({ control, task }) {
  taskStarted(control);
  return { task, taken: taken++ };
}
