/** A worker for tests of how the thread pool starts its threads: returns the thread's Node arguments. */
import { taskStarted } from '../../dist/util/thread-task.js';

export default function execArgv({ control }) {
  taskStarted(control);
  return process.execArgv;
}
