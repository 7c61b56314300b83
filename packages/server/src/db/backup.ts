import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { dialectOfUrl } from './dialect.js';

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** The file of a `sqlite:PATH` URL (`sqlite:///abs/path` and `sqlite:rel/path` both work). */
export function sqliteFileOf(url: string): string {
  return resolve(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
}

/**
 * An online backup of a SQLite catalog with SQLite's backup API: consistent even while `aims serve`
 * writes to it (pages changed during the copy are copied again). PostgreSQL catalogs are backed up
 * with pg_dump, which this does not replace.
 */
export async function backupSqlite(
  url: string,
  destination: string,
): Promise<{ file: string; bytes: number; pages: number }> {
  if (dialectOfUrl(url) !== 'sqlite') {
    throw new BackupError(
      'a PostgreSQL catalog is backed up with pg_dump: pg_dump --format=custom --file=aims.dump "$AIMS_DATABASE_URL"',
    );
  }
  const source = sqliteFileOf(url);
  if (!existsSync(source)) throw new BackupError(`no catalog at ${source}`);
  const file = resolve(destination);
  if (existsSync(file)) throw new BackupError(`${file} exists already; choose a new file name`);
  mkdirSync(dirname(file), { recursive: true });
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    const result = await db.backup(file);
    return { file, bytes: statSync(file).size, pages: result.totalPages };
  } finally {
    db.close();
  }
}
