/**
 * The libraries table and the frames under a library's folder.
 *
 *   listLibraries(db)                          every library, by id
 *   getLibrary(db, id)                         one, or null
 *   insertLibrary(db, path, origin, settings)  → the new library
 *   updateLibrary(db, id, patch)               → the library as it is now, or null
 *   deleteLibrary(db, id)                      → whether it existed
 *   countFramesByRoot(db, roots)               frames (images) whose path is under each root
 *   deleteFramesOfRoot(db, root)               removes those frames and the ledger rows of the root
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Library, LibraryOrigin, LibrarySettings } from '../domain/library.js';
import { recordSummaryChange, SUMMARY_COLUMNS } from './catalog-summary.js';
import { type Db, inTransaction } from './connection.js';
import type { LibrariesTable } from './schema.js';

type LibraryRow = Selectable<LibrariesTable>;

function mapLibrary({ dialect }: Db, row: LibraryRow): Library {
  return {
    id: Number(row.id),
    name: row.name,
    path: row.path,
    origin: row.origin as LibraryOrigin,
    exclude: dialect.fromDbJson<string[]>(row.exclude) ?? [],
    rescan_seconds: row.rescan_seconds === null ? null : Number(row.rescan_seconds),
    use_polling: dialect.fromDbBool(row.use_polling),
    paused: dialect.fromDbBool(row.paused),
    timezone: row.timezone,
    longitude_deg: row.longitude_deg === null ? null : Number(row.longitude_deg),
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
}

function settingsRow({ dialect }: Db, settings: Partial<LibrarySettings>): Updateable<LibrariesTable> {
  const row: Updateable<LibrariesTable> = {};
  if (settings.name !== undefined) row.name = settings.name;
  if (settings.exclude !== undefined) row.exclude = dialect.toDbJson(settings.exclude);
  if (settings.rescan_seconds !== undefined) row.rescan_seconds = settings.rescan_seconds;
  if (settings.use_polling !== undefined) row.use_polling = dialect.toDbBool(settings.use_polling);
  if (settings.paused !== undefined) row.paused = dialect.toDbBool(settings.paused);
  if (settings.timezone !== undefined) row.timezone = settings.timezone;
  if (settings.longitude_deg !== undefined) row.longitude_deg = settings.longitude_deg;
  return row;
}

export async function listLibraries(database: Db): Promise<Library[]> {
  const rows = await database.db.selectFrom('libraries').selectAll().orderBy('id').execute();
  return rows.map((row) => mapLibrary(database, row));
}

export async function getLibrary(database: Db, id: number): Promise<Library | null> {
  const row = await database.db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? mapLibrary(database, row) : null;
}

export async function insertLibrary(
  database: Db,
  path: string,
  origin: LibraryOrigin,
  settings: LibrarySettings,
  nowMs = Date.now(),
): Promise<Library> {
  const values: Insertable<LibrariesTable> = {
    ...(settingsRow(database, settings) as Omit<
      Insertable<LibrariesTable>,
      'path' | 'origin' | 'created_at' | 'updated_at'
    >),
    path,
    origin,
    created_at: nowMs,
    updated_at: nowMs,
  };
  // No RETURNING: MySQL has none. The newest row of this path is the one just written.
  await database.db.insertInto('libraries').values(values).execute();
  const row = await database.db
    .selectFrom('libraries')
    .selectAll()
    .where('path', '=', path)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return mapLibrary(database, row);
}

export async function updateLibrary(
  database: Db,
  id: number,
  patch: Partial<LibrarySettings> & { origin?: LibraryOrigin },
  nowMs = Date.now(),
): Promise<Library | null> {
  const set = { ...settingsRow(database, patch), ...(patch.origin ? { origin: patch.origin } : {}), updated_at: nowMs };
  await database.db.updateTable('libraries').set(set).where('id', '=', id).execute();
  return getLibrary(database, id);
}

export async function deleteLibrary(database: Db, id: number): Promise<boolean> {
  const result = await database.db.deleteFrom('libraries').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Frames whose own path is in each root (the `root` the watcher of that folder recorded). */
export async function countFramesByRoot(database: Db, roots: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(roots.map((r) => [r, 0]));
  if (!roots.length) return counts;
  const rows = await database.db
    .selectFrom('images')
    .select(['root', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('root', 'in', [...roots])
    .groupBy('root')
    .execute();
  for (const row of rows) counts.set(row.root, Number(row.n));
  return counts;
}

/** Frames deleted per transaction: bounded memory and lock time for a library of a million. */
const DELETE_BATCH = 1000;

/**
 * Removes the frames recorded under `root` (their headers, keywords and other paths go with them)
 * and the ledger rows of the root; the summary tables follow. A copy of such a frame in another
 * folder is put back in the queue, so that it becomes an image of its own. Returns the frames removed.
 */
export async function deleteFramesOfRoot(database: Db, root: string, nowMs = Date.now()): Promise<number> {
  let removed = 0;
  for (;;) {
    const done = await inTransaction(database, async (tx) => {
      const frames = await tx.db
        .selectFrom('images')
        .select(['id', ...SUMMARY_COLUMNS])
        .where('root', '=', root)
        .orderBy('id')
        .limit(DELETE_BATCH)
        .execute();
      if (!frames.length) return true;
      const ids = frames.map((f) => f.id);
      await tx.db
        .updateTable('ingest_ledger')
        .set({
          state: 'pending',
          reason: null,
          attempts: 0,
          claimed_by: null,
          claimed_at: null,
          mtime_ms: -1,
          updated_at: nowMs,
        })
        .where('image_id', 'in', ids)
        .where('root', '<>', root)
        .execute();
      await tx.db.deleteFrom('images').where('id', 'in', ids).execute();
      await recordSummaryChange(
        tx,
        frames.map(({ id: _, ...frame }) => frame),
        [],
      );
      removed += frames.length;
      return frames.length < DELETE_BATCH;
    });
    if (done) break;
  }
  await database.db.deleteFrom('ingest_ledger').where('root', '=', root).execute();
  await database.db.deleteFrom('image_paths').where('root', '=', root).execute();
  return removed;
}
