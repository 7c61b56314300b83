/**
 * Copying a whole catalog to another engine (`aims migrate-catalog`): every table of COPIED_TABLES,
 * in batches read in key order from the source and written in one target transaction each,
 * together with the key of the batch's last row (catalog_copies). Ids are kept; id generators are
 * moved past them at the end. A killed copy resumes after the last batch that committed; a target
 * that holds anything else is refused.
 *
 *   copyCatalog(source, target, options)   copies what is left to copy; returns rows copied per table
 *   verifyCatalogCopy(source, target, …)   counts and checksums of every table on both sides
 *   sourceName(url)                        the source as recorded in the target (no password)
 *   CatalogCopyError                       refusals and mismatches, with a stable code
 */
import { resolve } from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import { type ColumnKind, columnKind, kindOfType, TableChecksum, toTarget } from './catalog-rows.js';
import { COPIED_TABLES, type CopiedTable, NOT_COPIED_TABLES } from './catalog-tables.js';
import { type Database, type Db, inTransaction } from './connection.js';

export class CatalogCopyError extends Error {
  override readonly name = 'CatalogCopyError';
  constructor(
    readonly code:
      | 'COPY_SAME_CATALOG'
      | 'COPY_UNKNOWN_TABLE'
      | 'COPY_SCHEMA_MISMATCH'
      | 'COPY_TARGET_NOT_EMPTY'
      | 'COPY_OTHER_SOURCE'
      | 'COPY_VERIFY_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export interface CopyOptions {
  /** Rows per batch and transaction (default 1000). */
  batchRows?: number;
  /** Told the rows left to copy before the first batch, and whether an earlier copy is resumed. */
  onStart?(rowsLeft: number, resumed: boolean): void;
  /** Told after each committed batch. */
  onBatch?(table: string, rows: number): void;
  /** Told when a table is complete, with its rows in all. */
  onTable?(table: string, rows: number): void;
}

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

interface Column {
  name: string;
  kind: ColumnKind;
  targetIsBool: boolean;
  targetAutoIncrement: boolean;
}

interface TablePlan extends CopiedTable {
  columns: Column[];
}

/** The source as the target records it: its URL without a password; a SQLite file by absolute path. */
export function sourceName(url: string): string {
  if (url.startsWith('sqlite:')) return `sqlite:${resolve(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''))}`;
  const parsed = new URL(url);
  parsed.password = '';
  parsed.search = '';
  return parsed.toString();
}

type Columns = Map<string, { dataType: string; isAutoIncrementing: boolean }>;

async function tablesOf(database: Db): Promise<Map<string, Columns>> {
  const tables = await database.db.introspection.getTables();
  return new Map(
    tables
      .filter((t) => !t.isView)
      .map((t) => [
        t.name,
        new Map(t.columns.map((c) => [c.name, { dataType: c.dataType, isAutoIncrementing: c.isAutoIncrementing }])),
      ]),
  );
}

/** What to copy, checked against both catalogs: the same tables and columns, none unknown. */
async function plan(source: Db, target: Db): Promise<TablePlan[]> {
  const [sourceTables, targetTables] = await Promise.all([tablesOf(source), tablesOf(target)]);
  const known = new Set([...COPIED_TABLES.map((t) => t.name), ...Object.keys(NOT_COPIED_TABLES)]);
  for (const [side, tables] of [
    ['source', sourceTables],
    ['target', targetTables],
  ] as const) {
    const unknown = [...tables.keys()].filter((t) => !known.has(t));
    if (unknown.length)
      throw new CatalogCopyError(
        'COPY_UNKNOWN_TABLE',
        `the ${side} catalog has tables this version of aims does not know how to copy: ${unknown.join(', ')}`,
      );
  }
  return COPIED_TABLES.map((table) => {
    const from = sourceTables.get(table.name);
    const to = targetTables.get(table.name);
    if (!from || !to)
      throw new CatalogCopyError(
        'COPY_SCHEMA_MISMATCH',
        `table ${table.name} is missing in the ${from ? 'target' : 'source'} catalog`,
      );
    const names = [...from.keys()].sort();
    const targetNames = [...to.keys()].sort();
    if (names.join() !== targetNames.join())
      throw new CatalogCopyError(
        'COPY_SCHEMA_MISMATCH',
        `table ${table.name} has other columns in the source (${names.join(', ')}) than in the target (${targetNames.join(', ')})`,
      );
    const columns = names.map((name) => {
      const s = from.get(name)!;
      const t = to.get(name)!;
      return {
        name,
        kind: columnKind(s.dataType, t.dataType),
        targetIsBool: kindOfType(t.dataType) === 'bool',
        targetAutoIncrement: t.isAutoIncrementing,
      };
    });
    return { ...table, columns };
  });
}

const refs = (columns: readonly string[]) => sql.join(columns.map((c) => sql.ref(c)));

function afterKey(table: CopiedTable, after: unknown[] | null): RawBuilder<unknown> {
  return after ? sql`(${refs(table.key)}) > (${sql.join(after)})` : sql`1 = 1`;
}

/**
 * The next batch of a table after `after`, in key order: `limit` rows, or for a non-unique key the
 * rows of every key up to the limit-th row's, so that a group is never split between batches.
 */
async function readBatch(
  database: Db,
  table: TablePlan,
  after: unknown[] | null,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const select = sql`select ${refs(table.columns.map((c) => c.name))} from ${sql.table(table.name)}`;
  const order = sql`order by ${refs(table.key)}`;
  if (table.unique) {
    const { rows } = await sql<
      Record<string, unknown>
    >`${select} where ${afterKey(table, after)} ${order} limit ${sql.lit(limit)}`.execute(database.db);
    return rows;
  }
  const cut = await sql<Record<string, unknown>>`select ${refs(table.key)} from ${sql.table(table.name)}
    where ${afterKey(table, after)} ${order} limit 1 offset ${sql.lit(limit - 1)}`.execute(database.db);
  const last = cut.rows[0];
  const upTo = last ? sql`(${refs(table.key)}) <= (${sql.join(table.key.map((k) => last[k]))})` : sql`1 = 1`;
  const { rows } = await sql<
    Record<string, unknown>
  >`${select} where ${afterKey(table, after)} and ${upTo} ${order}`.execute(database.db);
  return rows;
}

// Bound parameters per INSERT: SQLite allows 32766, PostgreSQL and MySQL 65535.
const MAX_PARAMETERS = 30_000;

async function insertRows(tx: Db, table: TablePlan, rows: Record<string, unknown>[]): Promise<void> {
  const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
  for (let i = 0; i < rows.length; i += perInsert) {
    const values = rows
      .slice(i, i + perInsert)
      .map((row) => sql`(${sql.join(table.columns.map((c) => toTarget(row[c.name], c.kind, c.targetIsBool)))})`);
    await sql`insert into ${sql.table(table.name)} (${refs(table.columns.map((c) => c.name))}) values ${sql.join(values)}`.execute(
      tx.db,
    );
  }
}

async function countRows(database: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    database.db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Where the target stands: a fresh progress row per table, or the rows of a copy to resume. */
async function startOrResume(source: Database, target: Database, tables: TablePlan[]): Promise<boolean> {
  const name = sourceName(source.url);
  const state = await target.db.selectFrom('catalog_copies').selectAll().execute();
  const other = state.find((s) => s.source !== name);
  if (other)
    throw new CatalogCopyError(
      'COPY_OTHER_SOURCE',
      `the target holds a copy of ${other.source}, not of ${name}: start again with an empty target catalog`,
    );
  if (state.length === 0) {
    for (const table of tables) {
      const rows = await countRows(target, table.name);
      if (rows > 0)
        throw new CatalogCopyError(
          'COPY_TARGET_NOT_EMPTY',
          `the target catalog is not empty (${table.name}: ${rows} rows): migrate-catalog copies into an empty catalog only`,
        );
    }
  }
  const present = new Set(state.map((s) => s.table_name));
  const missing = tables.filter((t) => !present.has(t.name));
  if (missing.length) {
    const now = Date.now();
    await target.db
      .insertInto('catalog_copies')
      .values(
        missing.map((t) => ({ table_name: t.name, source: name, after_key: null, rows_copied: 0, started_at: now })),
      )
      .execute();
  }
  return state.length > 0;
}

export async function copyCatalog(
  source: Database,
  target: Database,
  options: CopyOptions = {},
): Promise<Map<string, number>> {
  if (sourceName(source.url) === sourceName(target.url))
    throw new CatalogCopyError('COPY_SAME_CATALOG', 'the source and the target are the same catalog');
  const batchRows = Math.max(1, options.batchRows ?? 1000);
  const tables = await plan(source, target);
  const resumed = await startOrResume(source, target, tables);
  const progress = new Map(
    (await target.db.selectFrom('catalog_copies').selectAll().execute()).map((s) => [s.table_name, s]),
  );

  let rowsLeft = 0;
  for (const table of tables) {
    const state = progress.get(table.name);
    if (state?.finished_at == null)
      rowsLeft += Math.max(0, (await countRows(source, table.name)) - Number(state?.rows_copied ?? 0));
  }
  options.onStart?.(rowsLeft, resumed);

  const copied = new Map<string, number>();
  for (const table of tables) {
    const state = progress.get(table.name);
    let rowsCopied = Number(state?.rows_copied ?? 0);
    if (state?.finished_at == null) {
      let after = state?.after_key ? (JSON.parse(state.after_key) as unknown[]) : null;
      for (;;) {
        const rows = await readBatch(source, table, after, batchRows);
        const last = rows.at(-1);
        if (!last) break;
        after = table.key.map((k) => last[k]);
        rowsCopied += rows.length;
        const afterJson = JSON.stringify(after, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
        await inTransaction(target, async (tx) => {
          await insertRows(tx, table, rows);
          await tx.db
            .updateTable('catalog_copies')
            .set({ after_key: afterJson, rows_copied: rowsCopied })
            .where('table_name', '=', table.name)
            .execute();
        });
        options.onBatch?.(table.name, rows.length);
      }
      for (const column of table.columns) {
        if (!column.targetAutoIncrement) continue;
        const reset = target.dialect.resetIdentity(table.name, column.name);
        if (reset) await reset.execute(target.db);
      }
      await target.db
        .updateTable('catalog_copies')
        .set({ finished_at: Date.now() })
        .where('table_name', '=', table.name)
        .execute();
    }
    copied.set(table.name, rowsCopied);
    options.onTable?.(table.name, rowsCopied);
  }
  return copied;
}

async function checksum(database: Db, table: TablePlan, onRows?: (rows: number) => void): Promise<TableChecksum> {
  const sum = new TableChecksum();
  const names = table.columns.map((c) => c.name);
  const kinds = new Map(table.columns.map((c) => [c.name, c.kind]));
  let after: unknown[] | null = null;
  for (;;) {
    const rows = await readBatch(database, table, after, 2000);
    const last = rows.at(-1);
    if (!last) return sum;
    for (const row of rows) sum.add(row, names, kinds);
    onRows?.(rows.length);
    after = table.key.map((k) => last[k]);
  }
}

/**
 * Counts and checksums of every copied table on both sides (normalised rows, order-independent).
 * Throws COPY_VERIFY_FAILED naming the tables that differ.
 */
export async function verifyCatalogCopy(
  source: Database,
  target: Database,
  onRows?: (rows: number) => void,
): Promise<TableCheck[]> {
  const tables = await plan(source, target);
  const checks: TableCheck[] = [];
  for (const table of tables) {
    const [a, b] = [await checksum(source, table, onRows), await checksum(target, table, onRows)];
    checks.push({
      table: table.name,
      sourceRows: a.rows,
      targetRows: b.rows,
      sourceChecksum: a.hex,
      targetChecksum: b.hex,
      ok: a.rows === b.rows && a.hex === b.hex,
    });
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length)
    throw new CatalogCopyError(
      'COPY_VERIFY_FAILED',
      `the copy differs from the source in ${failed
        .map(
          (c) =>
            `${c.table} (${c.sourceRows} rows in the source, ${c.targetRows} in the target${c.sourceRows === c.targetRows ? ', other values' : ''})`,
        )
        .join(
          ', ',
        )}: was the source written to during the copy? Stop every aims on it and copy again into an empty catalog`,
    );
  return checks;
}

/** The rows verifyCatalogCopy reads: every copied table, on both sides. */
export async function rowsToVerify(source: Db, target: Db): Promise<number> {
  let rows = 0;
  for (const table of COPIED_TABLES)
    rows += (await countRows(source, table.name)) + (await countRows(target, table.name));
  return rows;
}
