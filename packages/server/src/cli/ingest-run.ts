/**
 * The body of `aims ingest` once its frame threads are starting: the catalog, the scan of the
 * folders, the pipeline and the summary. A module of its own, loaded after the threads are asked
 * for: its imports (the database drivers, Kysely, the catalog and the pipeline) took about 0.25 s
 * of CPU, during which the threads now load the frame code on the other cores.
 */
import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { libraryFor, registerCliLibrary } from '../catalog/libraries.service.js';
import { LibraryError } from '../catalog/library-errors.js';
import { isInside } from '../catalog/library-paths.js';
import type { Config } from '../config/config.js';
import { type Database, openDatabase } from '../db/connection.js';
import { getLedgerEntry } from '../db/ingest-ledger.repository.js';
import { listLibraries } from '../db/libraries.repository.js';
import { refreshStatisticsIfStale, type StatisticsRefresh } from '../db/planner-statistics.js';
import { type Candidate, scanTree } from '../ingest/discovery.js';
import { normalizeOptionsFor } from '../ingest/ingest-service.js';
import type { NormalizeOptions } from '../ingest/normalize/index.js';
import { type EntryOutcome, IngestPipeline } from '../ingest/pipeline.js';
import type { FramePool } from '../ingest/worker-pool.js';
import { Progress } from './progress.js';

/** How often to look at entries another process is working on. */
const OTHERS_POLL_MS = 250;

async function anyPending(database: Database, ids: Set<number>): Promise<boolean> {
  for (const id of ids) if ((await getLedgerEntry(database, id))?.state === 'pending') return true;
  return false;
}

export interface IngestSummary {
  files: number;
  ingested: number;
  updated: number;
  duplicates: number;
  unchanged: number;
  failed: number;
  seconds: number;
}

/**
 * The image root a path belongs to: a configured root or a library that contains it (as the path
 * is written, or with its links resolved), else the folder itself.
 */
export async function rootFor(path: string, roots: readonly string[]): Promise<string> {
  const abs = resolve(path);
  const real = await realpath(abs).catch(() => abs);
  const holder = roots.find((r) => isInside(abs, r)) ?? roots.find((r) => isInside(real, r));
  if (holder) return holder;
  return (await stat(abs)).isDirectory() ? abs : dirname(abs);
}

/**
 * Registers the folder of each ingested path as a library (unless one holds it already), so that
 * the server serves what this run catalogues. A folder that cannot be one is said on stderr and
 * ingested all the same.
 */
async function registerFolders(database: Database, config: Config, paths: string[]): Promise<string[]> {
  const notes: string[] = [];
  for (const p of paths) {
    const root = await rootFor(p, [...config.imageDirs, ...(await listLibraries(database)).map((l) => l.path)]);
    try {
      const { library, added } = await registerCliLibrary(database, root, config.dataDir);
      if (added) notes.push(`${library.path} is now library ${library.id}`);
    } catch (error) {
      if (!(error instanceof LibraryError)) throw error;
      process.stderr.write(`aims ingest: ${root} was not registered as a library: ${error.message}\n`);
    }
  }
  return notes;
}

export interface IngestRun {
  pool: FramePool;
  config: Config;
  positionals: string[];
  values: { json?: boolean; 'skip-analysis'?: boolean; 'no-library'?: boolean };
  /** performance.now() when the command began (the summary's seconds count from it). */
  started: number;
}

/** Ingests the paths with the pool's threads; closes the pool. Resolves to the exit code. */
export async function runIngest({ pool, config, positionals, values, started }: IngestRun): Promise<number> {
  let database: Database;
  try {
    // SQLite: the WAL is copied into the catalog by a thread of its own, not inside this thread's commits.
    database = await openDatabase(config.databaseUrl, { checkpointThread: true });
  } catch (error) {
    await pool.close();
    throw error;
  }
  let registered: string[] = [];
  try {
    if (!values['no-library']) registered = await registerFolders(database, config, positionals);
  } catch (error) {
    await pool.close();
    await database.close();
    throw error;
  }
  const libraries = await listLibraries(database);
  const roots = [...config.imageDirs, ...libraries.map((l) => l.path)];
  const progress = values.json || !process.stderr.isTTY ? undefined : new Progress(process.stderr);
  const summary: IngestSummary = {
    files: 0,
    ingested: 0,
    updated: 0,
    duplicates: 0,
    unchanged: 0,
    failed: 0,
    seconds: 0,
  };
  const mine = new Set<number>();
  const count: Record<EntryOutcome, (s: IngestSummary) => void> = {
    ingested: (s) => s.ingested++,
    moved: (s) => s.ingested++,
    updated: (s) => s.updated++,
    duplicate: (s) => s.duplicates++,
    unchanged: (s) => s.unchanged++,
    failed: (s) => s.failed++,
    'retry-later': () => {},
  };
  const normalizeByRoot = new Map<string, NormalizeOptions>();
  const pipeline = new IngestPipeline({
    database,
    pool,
    stableMs: config.stableSeconds * 1000,
    skipAnalysis: values['skip-analysis'] ?? false,
    previewDir: config.previewDir,
    maxInflateRatio: config.maxInflateRatio,
    qualityThreshold: config.qualityThreshold,
    imageRoots: config.imageDirs,
    normalize: normalizeOptionsFor(config, undefined),
    normalizeFor: (root) => {
      // Asked for every frame; the libraries do not change during a run (finding the library and
      // the server's time zone again took 5 µs a frame on the thread that writes the catalog).
      let options = normalizeByRoot.get(root);
      if (!options) {
        options = normalizeOptionsFor(config, libraryFor(libraries, root));
        normalizeByRoot.set(root, options);
      }
      return options;
    },
    onOutcome: (entry, outcome) => {
      // Taken again later (changed after it was read): counted then.
      if (!mine.has(entry.id) || outcome === 'retry-later') return;
      mine.delete(entry.id);
      count[outcome](summary);
      progress?.tick(outcome === 'failed' ? `failed: ${entry.rel_path}` : undefined);
    },
  });
  let refreshed: StatisticsRefresh | null = null;
  let draining: Promise<void> | undefined;
  try {
    const batch: Candidate[] = [];
    // Every entry the scan made pending, also those already finished (`mine` loses them then); a
    // path named twice on the command line is one entry.
    const changedIds = new Set<number>();
    // Frames are read and written while the scan goes on: from its first batch on, the workers no
    // longer wait for the whole tree to be listed and recorded (2,000 files: 120 ms at load 2).
    const flush = async () => {
      const changed = await pipeline.enqueue(batch.splice(0));
      for (const entry of changed) {
        mine.add(entry.id);
        changedIds.add(entry.id);
      }
      if (!changed.length) return;
      if (draining) progress?.grow(changed.length);
      else {
        progress?.start(changed.length);
        draining = pipeline.drain();
        // Awaited after the scan; a failure meanwhile must not end the process as unhandled.
        draining.catch(() => {});
      }
    };
    for (const p of positionals) {
      const root = await rootFor(p, roots);
      // A library's path has its links resolved: walk it by the same spelling.
      const start = isInside(resolve(p), root) ? resolve(p) : await realpath(p);
      const exclude = [...config.exclude, ...(libraries.find((l) => l.path === root)?.exclude ?? [])];
      for await (const candidate of scanTree(root, start, exclude)) {
        summary.files++;
        batch.push(candidate);
        // A first batch small enough to reach the workers soon, then larger ones.
        if (batch.length >= (draining ? 500 : 100)) await flush();
      }
    }
    await flush();
    // Files whose path, size, mtime and inode are as the ledger last saw them are not read again.
    summary.unchanged += summary.files - changedIds.size;
    if (!draining) progress?.start(0);
    // What the scan recorded after the drain found nothing more to claim is taken by a second one.
    await draining;
    await pipeline.drain();
    // Entries another process (a watcher, a second `aims ingest`, a worker) claimed first are
    // still in its hands: wait until they are settled, so that every count is final.
    while (await anyPending(database, mine)) {
      await new Promise((r) => setTimeout(r, OTHERS_POLL_MS));
      await pipeline.drain();
    }
    // Entries another process took meanwhile: count them by the state they ended in.
    for (const id of mine) {
      const entry = await getLedgerEntry(database, id);
      if (entry?.state === 'ingested') summary.ingested++;
      else if (entry?.state === 'duplicate') summary.duplicates++;
      else if (entry?.state === 'unchanged') summary.unchanged++;
      else summary.failed++;
    }
    // After an import that grew a SQLite catalog by a quarter or more: full planner statistics.
    refreshed = await refreshStatisticsIfStale(database);
  } finally {
    // A scan that failed midway: the frames already handed out are finished before the close.
    await draining?.catch(() => {});
    progress?.stop();
    await pool.close();
    await database.close();
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    for (const note of registered) process.stdout.write(`${note}\n`);
    process.stdout.write(
      `${summary.files} files: ${summary.ingested} ingested, ${summary.updated} updated, ${summary.duplicates} duplicates, ` +
        `${summary.unchanged} unchanged, ${summary.failed} failed in ${summary.seconds} s\n`,
    );
    if (refreshed)
      process.stdout.write(
        `planner statistics refreshed: ${refreshed.indexes} indexes in ${(refreshed.ms / 1000).toFixed(1)} s\n`,
      );
  }
  return 0;
}
