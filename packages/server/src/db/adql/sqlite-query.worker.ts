/**
 * Runs one read-only ADQL statement on a SQLite catalog, off the main thread: better-sqlite3 is
 * synchronous, so a long query on the server's own connection would stop every other request. The
 * caller aborts a query past its time limit, which terminates this thread.
 */
import SqliteDatabase from 'better-sqlite3';

export interface SqliteQueryTask {
  path: string;
  sql: string;
  parameters: unknown[];
  /** Rows to read at most (the query's LIMIT is one more than it returns). */
  maxRows: number;
}

const connections = new Map<string, SqliteDatabase.Database>();

function open(path: string): SqliteDatabase.Database {
  let db = connections.get(path);
  if (!db) {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -65536');
    connections.set(path, db);
  }
  return db;
}

export default function runSqliteQuery(task: SqliteQueryTask): Record<string, unknown>[] {
  const statement = open(task.path).prepare(task.sql);
  const rows: Record<string, unknown>[] = [];
  for (const row of statement.iterate(...task.parameters) as Iterable<Record<string, unknown>>) {
    rows.push(row);
    if (rows.length >= task.maxRows) break;
  }
  return rows;
}
