/**
 * Thread of refreshPlannerStatistics (planner-statistics.ts): a full ANALYZE of some SQLite indexes,
 * one statement per index, on a connection of its own. better-sqlite3 runs a statement on the
 * calling thread, so here the server's event loop keeps answering while an index is read; each
 * statement holds the write lock only while its own index is analyzed, and a pause between two lets
 * waiting writers (ingest) in.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

interface Job {
  path: string;
  indexes: string[];
  pauseMs: number;
  busyTimeoutMs: number;
}

const job = workerData as Job;
const db = new SqliteDatabase(job.path);
const pause = new Int32Array(new SharedArrayBuffer(4));
const times: Array<{ index: string; ms: number }> = [];
try {
  db.pragma(`busy_timeout = ${Math.trunc(job.busyTimeoutMs)}`);
  // No row limit: only a full analysis keeps the STAT4 samples that weigh a range.
  db.pragma('analysis_limit = 0');
  for (const index of job.indexes) {
    const t0 = performance.now();
    db.exec(`analyze "${index.replace(/"/g, '""')}"`);
    times.push({ index, ms: performance.now() - t0 });
    Atomics.wait(pause, 0, 0, job.pauseMs);
  }
  parentPort?.postMessage({ times });
} catch (error) {
  parentPort?.postMessage({ times, error: (error as Error).message });
} finally {
  db.close();
}
