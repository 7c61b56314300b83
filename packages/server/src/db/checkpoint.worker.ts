/**
 * Thread of CheckpointThread (checkpoint-thread.ts): copies a SQLite catalog's WAL into its main
 * file on a connection of its own, after each commit of the writer that starts it. The writer's own
 * automatic checkpoint is off, so these copies (and their fsyncs) no longer run inside its commits.
 * A PASSIVE checkpoint waits for nobody: it copies what is committed, beside the writer's next
 * transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { CheckpointReport, CheckpointThreadData } from './checkpoint-thread.js';

const { path, busyTimeoutMs } = workerData as CheckpointThreadData;
const db = new SqliteDatabase(path);
db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);

parentPort?.on('message', (message: number | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let report: CheckpointReport;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    report = { seq: message, log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  } catch (error) {
    report = { seq: message, log: 0, checkpointed: 0, error: (error as Error).message };
  }
  parentPort?.postMessage(report);
});
