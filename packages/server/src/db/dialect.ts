/**
 * THE one place where SQLite and PostgreSQL differ. Repositories and migrations ask this object for
 * capabilities and converters; they never test the dialect's name.
 *
 *   DialectInfo.name                      'sqlite' | 'postgres' (for logs and messages only)
 *   .supportsSkipLocked                   `FOR UPDATE SKIP LOCKED` (PostgreSQL); SQLite serializes writers instead
 *   .supportsListenNotify                 `LISTEN`/`NOTIFY` (PostgreSQL); elsewhere readers poll
 *   .beginWriteTransaction                 SQL that opens a write transaction by hand, or null for Kysely's own
 *   .nullsAreSmallest                      NULLs sort before every value (SQLite) or after (PostgreSQL)
 *   .supportsNullsOrderInIndex            `CREATE INDEX … (col DESC NULLS LAST)` (PostgreSQL only)
 *   .types.{id,bigint,double,text,json,bool}  column types for the schema builder
 *   .idColumn(col)                        auto-increment primary key modifiers
 *   .toDbBool(b) / .fromDbBool(v)         booleans (0/1 on SQLite, boolean on PostgreSQL)
 *   .toDbJson(v) / .fromDbJson<T>(v)      JSON (text on SQLite, jsonb on PostgreSQL)
 *   toDbTime(date) / fromDbTime(ms)       instants are stored as epoch milliseconds (bigint) on both
 *   ciEquals(ref, value) / ciContains(ref, value)  case-insensitive comparisons (expression-index friendly)
 *   isDistinct(ref, otherRef)             null-safe "differs" test
 *   .leastOf(a, b) / .greatestOf(a, b)    the smaller/larger of two values, a NULL counting as absent
 *   .isUniqueViolation(error)             whether a driver error is a UNIQUE constraint failure
 *   .isConflictAbort(error)               whether the engine aborted the statement to break a deadlock
 *                                          or a serialization conflict (running it again may succeed)
 *   .resetIdentity(table, column)         after rows were inserted with explicit ids: make the next
 *                                          generated id follow the largest (null: the engine does it)
 *
 * Insert-or-ignore and upsert need no converter: both dialects speak `ON CONFLICT (…) DO NOTHING` and
 * `ON CONFLICT (…) DO UPDATE … WHERE …` (SQLite ≥ 3.24), so repositories use Kysely's `onConflict`.
 */
import {
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Expression,
  type RawBuilder,
  type SqlBool,
  sql,
} from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** What a boolean column holds in either dialect. */
export type DbBool = number | boolean;

export interface DialectInfo {
  readonly name: DialectName;
  readonly supportsSkipLocked: boolean;
  /** PostgreSQL's LISTEN/NOTIFY: a commit can wake other connections at once (event-follower.ts). */
  readonly supportsListenNotify: boolean;
  /**
   * Whether an index can be declared `DESC NULLS LAST`. PostgreSQL needs one to serve "newest first,
   * undated last" from an index (its btree puts NULLs last ascending, so first when read backwards);
   * SQLite puts NULLs first ascending, so last when read backwards, and has no such syntax.
   */
  readonly supportsNullsOrderInIndex: boolean;
  /** SQLite sorts NULLs as the smallest value, PostgreSQL as the largest; an explicit NULLS LAST
   * that matches the natural order is dropped so the planner sees a plain index order. */
  readonly nullsAreSmallest: boolean;
  /** SQLite: `begin immediate` (take the write lock up front); PostgreSQL: null (Kysely's BEGIN). */
  readonly beginWriteTransaction: string | null;
  readonly types: {
    readonly id: ColumnDataType;
    readonly bigint: ColumnDataType;
    readonly double: ColumnDataType;
    readonly text: ColumnDataType;
    readonly json: ColumnDataType;
    readonly bool: ColumnDataType;
  };
  idColumn(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  toDbBool(value: boolean): DbBool;
  fromDbBool(value: DbBool | null | undefined): boolean;
  /** JSON is always sent as text: pg would turn a JS array into a PostgreSQL array literal. */
  toDbJson(value: unknown): string | null;
  fromDbJson<T>(value: unknown): T | null;
  isUniqueViolation(error: unknown): boolean;
  isConflictAbort(error: unknown): boolean;
  /** The smaller of two values where NULL means "no value" (never wins unless both are NULL). */
  leastOf<T>(a: Expression<T>, b: Expression<T>): Expression<T>;
  greatestOf<T>(a: Expression<T>, b: Expression<T>): Expression<T>;
  /**
   * SQL that moves an id generator past the largest id of `table`, or null where inserting an
   * explicit id already does (SQLite's sqlite_sequence, MySQL's AUTO_INCREMENT).
   */
  resetIdentity(table: string, column: string): RawBuilder<unknown> | null;
}

const errorCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

const sqliteDialect: DialectInfo = {
  name: 'sqlite',
  supportsSkipLocked: false,
  supportsListenNotify: false,
  supportsNullsOrderInIndex: false,
  nullsAreSmallest: true,
  beginWriteTransaction: 'begin immediate',
  types: { id: 'integer', bigint: 'integer', double: 'real', text: 'text', json: 'text', bool: 'integer' },
  // AUTOINCREMENT: an id is never reused after a delete, so links and cursors stay unambiguous.
  idColumn: (col) => col.primaryKey().autoIncrement(),
  toDbBool: (value) => (value ? 1 : 0),
  fromDbBool: (value) => value === 1 || value === true,
  toDbJson: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
  fromDbJson: <T>(value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as T) : null),
  isUniqueViolation: (error) => {
    const code = errorCode(error);
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  // One writer at a time: a busy catalog waits (busy_timeout) instead of deadlocking.
  isConflictAbort: () => false,
  // SQLite's scalar min()/max() return NULL when either argument is NULL.
  leastOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(min(${a}, ${b}), ${a}, ${b})`,
  greatestOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(max(${a}, ${b}), ${a}, ${b})`,
  resetIdentity: () => null,
};

const postgresDialect: DialectInfo = {
  name: 'postgres',
  supportsSkipLocked: true,
  supportsListenNotify: true,
  supportsNullsOrderInIndex: true,
  nullsAreSmallest: false,
  beginWriteTransaction: null,
  types: {
    id: 'bigint',
    bigint: 'bigint',
    double: 'double precision',
    text: 'text',
    json: 'jsonb',
    bool: 'boolean',
  },
  idColumn: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
  toDbBool: (value) => value,
  fromDbBool: (value) => value === true || value === 1,
  toDbJson: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
  // pg parses jsonb itself; a string here is a jsonb string scalar, which we never store.
  fromDbJson: <T>(value: unknown) => (value === null || value === undefined ? null : (value as T)),
  isUniqueViolation: (error) => errorCode(error) === '23505',
  // deadlock_detected, serialization_failure
  isConflictAbort: (error) => ['40P01', '40001'].includes(String(errorCode(error))),
  // least()/greatest() ignore NULL arguments.
  leastOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`least(${a}, ${b})`,
  greatestOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`greatest(${a}, ${b})`,
  // Identity columns keep their own sequence, which explicit ids do not advance.
  resetIdentity: (table, column) =>
    sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`,
};

export function dialectInfo(name: DialectName): DialectInfo {
  return name === 'sqlite' ? sqliteDialect : postgresDialect;
}

export function dialectOfUrl(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new Error(`unsupported database URL '${url}': expected sqlite:PATH or postgres://…`);
}

/** Instants are epoch milliseconds in both dialects: exact, sortable, and free of time-zone rules. */
export function toDbTime(date: Date | number): number {
  return typeof date === 'number' ? date : date.getTime();
}

export function fromDbTime(ms: number | string | null | undefined): Date | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms));
}

/**
 * Case-insensitive equality as `lower(col) = lower(value)`, identical in both dialects so that one
 * expression index (`lower(col)`) serves it. SQLite's lower() folds ASCII only; names of filters,
 * telescopes and cameras are ASCII in practice.
 */
export function ciEquals(ref: Expression<string | null>, value: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${ref}) = ${value.toLowerCase()}`;
}

/** Case-insensitive substring match; `%`, `_` and `\` in the value are literal. */
export function ciContains(ref: Expression<string | null>, value: string): Expression<SqlBool> {
  const escaped = value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`lower(${ref}) like ${`%${escaped}%`} escape '\\'`;
}

/** Null-safe "differs": both dialects accept IS DISTINCT FROM (SQLite since 3.39). */
export function isDistinct(a: Expression<unknown>, b: Expression<unknown>): Expression<SqlBool> {
  return sql<SqlBool>`${a} is distinct from ${b}`;
}
