/**
 * A frame thread's script that answers, for its first task, whether sharp was already loaded:
 * it loads the real frame worker (the build in dist/), so the preload its workerData asks for
 * runs as it does in `aims ingest`.
 */
import { createRequire } from 'node:module';
import '../../dist/ingest/frame.worker.js';
import { taskStarted } from '../../dist/util/thread-task.js';

const requireCache = createRequire(import.meta.url).cache;

export default function sharpLoaded({ control }) {
  taskStarted(control);
  return Object.keys(requireCache).some((path) => path.includes('/node_modules/sharp/'));
}
