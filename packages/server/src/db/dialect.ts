/**
 * THE one place where SQLite, PostgreSQL and MySQL/MariaDB differ. Repositories and migrations ask
 * this object for capabilities and converters; they never test the dialect's name.
 *
 *   DialectInfo.name                      'sqlite' | 'postgres' | 'mysql' (for logs and messages only)
 *   .supportsSkipLocked                   `FOR UPDATE SKIP LOCKED` (PostgreSQL, MySQL 8, MariaDB ≥ 10.6);
 *                                          SQLite serializes writers instead
 *   .supportsReturning                    `INSERT/UPDATE … RETURNING` (not MySQL: read insertId, select again)
 *   .insertIdFromReturning                a one-row insert learns its new id by RETURNING (PostgreSQL), not
 *                                          from the driver (SQLite's last_insert_rowid, MySQL's insertId)
 *   .supportsListenNotify                 `LISTEN`/`NOTIFY` (PostgreSQL); elsewhere readers poll
 *   .beginWriteTransaction                SQL that opens a write transaction by hand, or null for Kysely's own
 *   .nullsAreSmallest                     NULLs sort before every value (SQLite, MySQL) or after (PostgreSQL)
 *   .supportsNullsOrderInIndex            `CREATE INDEX … (col DESC NULLS LAST)` (PostgreSQL only)
 *   .sortCostGrowsWithColumns             the planner weighs a sort by the number of result columns (SQLite)
 *   .supportsPartialIndex                 `CREATE INDEX … WHERE …` (SQLite, PostgreSQL; not MySQL/MariaDB)
 *   .fenceProbe                           `OFFSET 0` keeps a correlated EXISTS a probe per row (PostgreSQL)
 *   .hashesIdArrays                       `idIn` with a long list is hashed and tested per row of an index walk (PostgreSQL)
 *   .joinedIds(ref)                       an aggregate of ids as one comma-separated text (where hashesIdArrays)
 *   .types.{id,bigint,double,text,json,bool}  column types for the schema builder
 *   .types.{key,path}                     text that is part of an index or a key (MySQL: varchar, see below)
 *   .idColumn(col)                        auto-increment primary key modifiers
 *   .plugins                              Kysely plugins the connection installs (MySQL: mysqlCompat)
 *   .foldedIndexKey(col) / .indexPrefix(col, n) / .dropIndexOn(table)   index DDL that differs
 *   .excluded(col) / .upsertClause(cols, set)  the proposed row and ON CONFLICT in raw SQL
 *   .intDiv(a, b) / .asBigint(x)          integer division and an integer cast
 *   .toDbBool(b) / .fromDbBool(v)         booleans (0/1 on SQLite and MySQL, boolean on PostgreSQL)
 *   .toDbJson(v) / .fromDbJson<T>(v)      JSON (text on SQLite, jsonb on PostgreSQL, json on MySQL)
 *   .jsonNumberAt(json, path)             in SQL: the number at array indexes `path` of a JSON column
 *   .tableReadThrough(table, index)       a FROM item that makes the planner read `table` through
 *                                          `index` (MySQL/MariaDB: FORCE INDEX), or the table itself
 *   toDbTime(date) / fromDbTime(ms)       instants are stored as epoch milliseconds (bigint) everywhere
 *   ciEquals(ref, value) / ciContains(ref, value)  case-insensitive comparisons (expression-index friendly)
 *   escapeLike(text) / likePattern(ref, pattern)   LIKE with a literal `%`, `_` (escape character `!`)
 *   isDistinct(ref, otherRef)             null-safe "differs" test
 *   .leastOf(a, b) / .greatestOf(a, b)    the smaller/larger of two values, a NULL counting as absent
 *   .idIn(ref, ids)                       `ref` is one of a list of ids (PostgreSQL: one array parameter)
 *   .isUniqueViolation(error)             whether a driver error is a UNIQUE constraint failure
 *   .isConflictAbort(error)               whether the engine aborted the statement to break a deadlock
 *                                          or a serialization conflict (running it again may succeed)
 *   .resetIdentity(table, column)         after rows were inserted with explicit ids: make the next
 *                                          generated id follow the largest (null: the engine does it)
 *
 * Insert-or-ignore and upsert are written once, with Kysely's `onConflict`: SQLite (≥ 3.24) and
 * PostgreSQL speak `ON CONFLICT (…) DO NOTHING / DO UPDATE … WHERE …`; on MySQL the mysqlCompat
 * plugin turns it into `ON DUPLICATE KEY UPDATE` (docs/decisions/0021-mysql-and-mariadb.md).
 *
 * MySQL and MariaDB: tables are utf8mb4 with the binary collation, so text compares exactly as on
 * the other two engines. InnoDB indexes at most 3072 bytes per key (768 characters of utf8mb4) and
 * no TEXT column without a prefix length, so text in a key is varchar: `types.key` (191
 * characters: names, states, hashes, e-mails) and `types.path` (375: relative paths, which share a
 * unique key with their root). MariaDB has no expression indexes: `foldedIndexKey` indexes the
 * column itself there. MySQL has no RETURNING (MariaDB has, for INSERT only): `supportsReturning`
 * is false for both, and repositories take the insert id or select again.
 */
import {
  type AliasedExpression,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type ColumnDefinitionNode,
  type ColumnNode,
  ColumnUpdateNode,
  type DropIndexBuilder,
  type Expression,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RawBuilder,
  RawNode,
  type RootOperationNode,
  type SqlBool,
  sql,
  type UnknownRow,
} from 'kysely';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/** What a boolean column holds in each dialect. */
export type DbBool = number | boolean;

export interface DialectInfo {
  readonly name: DialectName;
  readonly supportsSkipLocked: boolean;
  /** `INSERT … RETURNING` and `UPDATE … RETURNING`; without it, the insert id or a second select. */
  readonly supportsReturning: boolean;
  /**
   * Whether a one-row insert asks for its new id with RETURNING (PostgreSQL) or reads the id the
   * driver reports (MySQL's insertId; SQLite's last_insert_rowid, with the changes count saying
   * whether an insert-or-ignore inserted). SQLite runs RETURNING as a trigger, and an insert with a
   * trigger that may abort on a UNIQUE key keeps a statement journal: a copy of every page it
   * changes, about 40 for an image row with its indexes, spilled to a temporary file past 64 kB
   * (docs/performance.md, "Catalog writes", seventh session).
   */
  readonly insertIdFromReturning: boolean;
  /** PostgreSQL's LISTEN/NOTIFY: a commit can wake other connections at once (event-follower.ts). */
  readonly supportsListenNotify: boolean;
  /**
   * Whether an index can be declared `DESC NULLS LAST`. PostgreSQL needs one to serve "newest first,
   * undated last" from an index (its btree puts NULLs last ascending, so first when read backwards);
   * SQLite and MySQL put NULLs first ascending, so last when read backwards, and have no such syntax.
   */
  readonly supportsNullsOrderInIndex: boolean;
  /**
   * SQLite costs a sort in proportion to the number of result columns (whereSortingCost: a factor
   * (columns + 59) / 30), so the same filtered page, asking fewer columns, may be planned as a sort
   * of every match instead of a walk of the sort column's index: `min_quality=90` at 1M frames
   * took 160–300 ms with 26 columns where it took 8 ms with every item column. A query that must
   * keep its plan is planned with every column (image-query.ts pageRowsOf).
   */
  readonly sortCostGrowsWithColumns: boolean;
  /**
   * `CREATE INDEX … WHERE predicate`: only the rows the predicate holds for are indexed (SQLite,
   * PostgreSQL). MySQL and MariaDB have no partial indexes; there the index holds every row. A query
   * reaches a partial index only when its own conditions imply the predicate, which a comparison
   * with the column does for `col IS NOT NULL` on both engines.
   */
  readonly supportsPartialIndex: boolean;
  /**
   * PostgreSQL pulls a correlated EXISTS up into a semi-join and costs it from its own estimate of
   * the matches, which for a keyword value is the whole num_value column's, not that key's: for
   * `header.CCD-TEMP=-9.6` (24,014 of 1M frames, estimated 2,544) it hashed every match and read
   * all 24,014 rows (215 ms) where walking the dates and probing each frame reads 8,427 index
   * entries (15 ms). `OFFSET 0` in the subquery keeps it a per-row probe (a SubPlan). SQLite
   * always probes; MySQL has no OFFSET without LIMIT, and its plan is left as it is.
   */
  readonly fenceProbe: boolean;
  /**
   * PostgreSQL plans `id = ANY($1)` with the array's values (an unnamed statement is planned with
   * its parameters), hashes it, and can test it on each entry of an index it walks in sort order.
   * A keyword's few thousand frames listed this way found a page in 4 ms at 1M frames, where
   * `id IN (subquery)` read each listed frame's table row for its date or probed each walked frame
   * (55–70 ms for 5,576 frames). SQLite builds an ephemeral index for `IN (subquery)` itself.
   */
  readonly hashesIdArrays: boolean;
  /**
   * Where hashesIdArrays: an aggregate of `ref` (ids) as one text, `1,5,9`. Thousands of ids came
   * to Node.js in a third of the time as one value than as rows (20,001 ids: 7.6 against 15 ms).
   */
  readonly joinedIds: ((ref: Expression<unknown>) => RawBuilder<string | null>) | null;
  /** SQLite and MySQL sort NULLs as the smallest value, PostgreSQL as the largest; an explicit NULLS
   * LAST that matches the natural order is dropped so the planner sees a plain index order. */
  readonly nullsAreSmallest: boolean;
  /** SQLite: `begin immediate` (take the write lock up front); others: null (Kysely's BEGIN). */
  readonly beginWriteTransaction: string | null;
  readonly types: {
    readonly id: ColumnDataType;
    readonly bigint: ColumnDataType;
    readonly double: ColumnDataType;
    /** Text of any length that no index holds whole. */
    readonly text: ColumnDataType;
    /** Short text that is part of an index or key: names, states, hashes, e-mails (≤ 191 on MySQL). */
    readonly key: ColumnDataType;
    /** A path relative to its root, unique together with it (≤ 375 characters on MySQL). */
    readonly path: ColumnDataType;
    readonly json: ColumnDataType;
    readonly bool: ColumnDataType;
  };
  /** Plugins every connection of this dialect installs. */
  readonly plugins: readonly KyselyPlugin[];
  idColumn(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The index key that serves ciEquals(col): lower(col), or col where there are no expression indexes. */
  foldedIndexKey(column: string): Expression<unknown>;
  /** An index part on long text: the first `chars` characters on MySQL, the whole value elsewhere. */
  indexPrefix(column: string, chars: number): Expression<unknown>;
  /** MySQL names the table in DROP INDEX; the others refuse it. Use as `.$call(d.dropIndexOn(t))`. */
  dropIndexOn(table: string): (builder: DropIndexBuilder) => DropIndexBuilder;
  /** In raw SQL of an upsert: the value the insert proposed for a column. */
  excluded<T>(column: string): Expression<T>;
  /** In raw SQL: the conflict clause of an upsert on `conflictColumns` that assigns `set` in order. */
  upsertClause(
    conflictColumns: readonly string[],
    set: ReadonlyArray<readonly [string, Expression<unknown>]>,
  ): Expression<unknown>;
  /** Integer division truncating towards zero (MySQL's `/` returns a decimal). */
  intDiv(a: Expression<number>, b: Expression<number>): Expression<number>;
  asBigint(value: Expression<unknown>): Expression<number>;
  toDbBool(value: boolean): DbBool;
  fromDbBool(value: DbBool | null | undefined): boolean;
  /** JSON is always sent as text: pg would turn a JS array into a PostgreSQL array literal. */
  toDbJson(value: unknown): string | null;
  fromDbJson<T>(value: unknown): T | null;
  /** The number at array indexes `path` (e.g. [2, 1]) of a stored JSON value, as a double; NULL when absent. */
  jsonNumberAt(json: Expression<unknown>, path: readonly number[]): RawBuilder<number>;
  /**
   * `table` for a FROM clause, read through `index`: MariaDB walks the primary key of a keyset-paged
   * `ORDER BY id LIMIT n` read and filters, even where an index range holds a fraction of the rows;
   * it is told (FORCE INDEX). SQLite and PostgreSQL choose by their own statistics: the table itself.
   */
  tableReadThrough(table: string, index: string): AliasedExpression<unknown, string> | string;
  isUniqueViolation(error: unknown): boolean;
  isConflictAbort(error: unknown): boolean;
  /** The smaller of two values where NULL means "no value" (never wins unless both are NULL). */
  leastOf<T>(a: Expression<T>, b: Expression<T>): Expression<T>;
  greatestOf<T>(a: Expression<T>, b: Expression<T>): Expression<T>;
  /**
   * `ref IN (ids…)`, which must not be empty. PostgreSQL gets `ref = any($1::bigint[])`: one
   * parameter to parse and bind instead of one per id (the 2,000 ids of a cone's facets at a million
   * frames: 1.7 ms of parse and bind in the server, and the driver's work on 2,000 parameters).
   */
  idIn(ref: Expression<unknown>, ids: readonly number[]): Expression<SqlBool>;
  /**
   * SQL that moves an id generator past the largest id of `table`, or null where inserting an
   * explicit id already does (SQLite's sqlite_sequence, MySQL's AUTO_INCREMENT).
   */
  resetIdentity(table: string, column: string): RawBuilder<unknown> | null;
}

const errorCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

const lowerOf = (column: string) => sql`lower(${sql.ref(column)})`;
const keepDropIndex = () => (builder: DropIndexBuilder) => builder;
const excludedRef = <T>(column: string) => sql.ref(`excluded.${column}`) as Expression<T>;
const onConflictClause = (
  conflictColumns: readonly string[],
  set: ReadonlyArray<readonly [string, Expression<unknown>]>,
) =>
  sql`on conflict (${sql.join(conflictColumns.map((c) => sql.ref(c)))}) do update set ${sql.join(
    set.map(([c, value]) => sql`${sql.ref(c)} = ${value}`),
  )}`;
// Both truncate integer division towards zero.
const slashDiv = (a: Expression<number>, b: Expression<number>) => sql<number>`((${a}) / (${b}))`;
const castBigint = (value: Expression<unknown>) => sql<number>`cast(${value} as bigint)`;
/** Array indexes only, so that a JSON path can be written into SQL as it is. */
const arrayIndexes = (path: readonly number[]) => {
  if (!path.every((i) => Number.isInteger(i) && i >= 0)) throw new Error(`not an array index path: ${path}`);
  return path;
};
/** `'$[i][j]…'` (SQLite, MySQL). */
const jsonArrayPath = (path: readonly number[]) =>
  `'$${arrayIndexes(path)
    .map((i) => `[${i}]`)
    .join('')}'`;
const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const sqliteDialect: DialectInfo = {
  name: 'sqlite',
  supportsSkipLocked: false,
  supportsReturning: true,
  insertIdFromReturning: false,
  supportsListenNotify: false,
  supportsNullsOrderInIndex: false,
  sortCostGrowsWithColumns: true,
  supportsPartialIndex: true,
  fenceProbe: false,
  hashesIdArrays: false,
  joinedIds: null,
  nullsAreSmallest: true,
  beginWriteTransaction: 'begin immediate',
  types: {
    id: 'integer',
    bigint: 'integer',
    double: 'real',
    text: 'text',
    key: 'text',
    path: 'text',
    json: 'text',
    bool: 'integer',
  },
  plugins: [],
  // AUTOINCREMENT: an id is never reused after a delete, so links and cursors stay unambiguous.
  idColumn: (col) => col.primaryKey().autoIncrement(),
  foldedIndexKey: lowerOf,
  indexPrefix: (column) => sql.ref(column),
  dropIndexOn: keepDropIndex,
  excluded: excludedRef,
  upsertClause: onConflictClause,
  intDiv: slashDiv,
  asBigint: castBigint,
  toDbBool: (value) => (value ? 1 : 0),
  fromDbBool: (value) => value === 1 || value === true,
  toDbJson: jsonText,
  fromDbJson: <T>(value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as T) : null),
  jsonNumberAt: (json, path) => sql<number>`json_extract(${json}, ${sql.raw(jsonArrayPath(path))})`,
  tableReadThrough: (table) => table,
  isUniqueViolation: (error) => {
    const code = errorCode(error);
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  // One writer at a time: a busy catalog waits (busy_timeout) instead of deadlocking.
  isConflictAbort: () => false,
  // SQLite's scalar min()/max() return NULL when either argument is NULL.
  leastOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(min(${a}, ${b}), ${a}, ${b})`,
  greatestOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(max(${a}, ${b}), ${a}, ${b})`,
  idIn: (ref, ids) => sql<SqlBool>`${ref} in (${sql.join(ids)})`,
  resetIdentity: () => null,
};

const postgresDialect: DialectInfo = {
  name: 'postgres',
  supportsSkipLocked: true,
  supportsReturning: true,
  insertIdFromReturning: true,
  supportsListenNotify: true,
  supportsNullsOrderInIndex: true,
  sortCostGrowsWithColumns: false,
  supportsPartialIndex: true,
  fenceProbe: true,
  hashesIdArrays: true,
  joinedIds: (ref) => sql<string | null>`string_agg(cast(${ref} as text), ',')`,
  nullsAreSmallest: false,
  beginWriteTransaction: null,
  types: {
    id: 'bigint',
    bigint: 'bigint',
    double: 'double precision',
    text: 'text',
    key: 'text',
    path: 'text',
    json: 'jsonb',
    bool: 'boolean',
  },
  plugins: [],
  idColumn: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
  foldedIndexKey: lowerOf,
  indexPrefix: (column) => sql.ref(column),
  dropIndexOn: keepDropIndex,
  excluded: excludedRef,
  upsertClause: onConflictClause,
  intDiv: slashDiv,
  asBigint: castBigint,
  toDbBool: (value) => value,
  fromDbBool: (value) => value === true || value === 1,
  toDbJson: jsonText,
  // pg parses jsonb itself; a string here is a jsonb string scalar, which we never store.
  fromDbJson: <T>(value: unknown) => (value === null || value === undefined ? null : (value as T)),
  // jsonb keeps numbers as exact decimals: the text converts back to the very double that was stored.
  jsonNumberAt: (json, path) =>
    sql<number>`cast(${json} #>> ${sql.raw(`'{${arrayIndexes(path).join(',')}}'`)} as double precision)`,
  tableReadThrough: (table) => table,
  isUniqueViolation: (error) => errorCode(error) === '23505',
  // deadlock_detected, serialization_failure
  isConflictAbort: (error) => ['40P01', '40001'].includes(String(errorCode(error))),
  // least()/greatest() ignore NULL arguments.
  leastOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`least(${a}, ${b})`,
  greatestOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`greatest(${a}, ${b})`,
  idIn: (ref, ids) => sql<SqlBool>`${ref} = any(${[...ids]}::bigint[])`,
  // Identity columns keep their own sequence, which explicit ids do not advance.
  resetIdentity: (table, column) =>
    sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`,
};

// ---------------------------------------------------------------------------------------------
// MySQL and MariaDB: the statements Kysely builds for the other two, rewritten where MySQL differs.

type AnyNode = OperationNode & Record<string, unknown>;

const isNode = (value: unknown): value is AnyNode =>
  typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';

/** A copy of `node` in which every node for which `replace` returns one is replaced (depth first). */
function rewriteNodes(node: OperationNode, replace: (n: AnyNode) => OperationNode | undefined): OperationNode {
  const replaced = replace(node as AnyNode);
  if (replaced) return replaced;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) out[key] = Object.freeze(value.map((v) => (isNode(v) ? rewriteNodes(v, replace) : v)));
    else out[key] = isNode(value) ? rewriteNodes(value, replace) : value;
  }
  return Object.freeze(out) as unknown as OperationNode;
}

const tableOfReference = (n: AnyNode): string | undefined =>
  (n.table as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name;
const columnName = (n: AnyNode): string | undefined =>
  (n.column as { column?: { name?: string } } | undefined)?.column?.name ??
  (n.kind === 'ColumnNode' ? (n.column as { name?: string }).name : undefined);

/** `excluded.col` (the row the insert proposed) → `values(col)`. */
function excludedToValues(node: OperationNode): OperationNode {
  return rewriteNodes(node, (n) =>
    n.kind === 'ReferenceNode' && tableOfReference(n) === 'excluded'
      ? RawNode.create(['values(', ')'], [n.column as ColumnNode])
      : undefined,
  );
}

/** Columns of the target table that a condition reads (not the proposed row's). */
function columnsRead(node: OperationNode): Set<string> {
  const names = new Set<string>();
  rewriteNodes(node, (n) => {
    if (n.kind === 'ReferenceNode' && tableOfReference(n) !== 'excluded') {
      const name = columnName(n);
      if (name) names.add(name);
    }
    return undefined;
  });
  return names;
}

type OnConflict = {
  doNothing?: boolean;
  updates?: readonly ColumnUpdateNode[];
  updateWhere?: { where: OperationNode };
};

/**
 * `ON CONFLICT (cols) DO UPDATE SET … WHERE cond` → `ON DUPLICATE KEY UPDATE c = if(cond, new, c), …`.
 * MySQL assigns left to right and a later assignment sees the earlier ones' results, so the columns
 * the condition reads are assigned last, and each of them must be set to its own proposed value
 * (`c = excluded.c`): once such a column is set, the condition can only have turned false because
 * that column now equals its proposed value, which leaves the remaining assignments correct.
 */
function onDuplicateKey(oc: OnConflict): ColumnUpdateNode[] {
  const updates = oc.updates ?? [];
  const where = oc.updateWhere?.where;
  if (!where) return updates.map((u) => ColumnUpdateNode.create(u.column, excludedToValues(u.value)));
  const read = columnsRead(where);
  const condition = excludedToValues(where);
  const name = (u: ColumnUpdateNode) => columnName(u.column as unknown as AnyNode) ?? '';
  for (const u of updates) {
    if (!read.has(name(u))) continue;
    const value = u.value as AnyNode;
    if (!(value.kind === 'ReferenceNode' && tableOfReference(value) === 'excluded' && columnName(value) === name(u)))
      throw new Error(
        `mysqlCompat: ${name(u)} is read by the upsert's WHERE, so it may only be set to excluded.${name(u)}`,
      );
  }
  const ordered = [...updates.filter((u) => !read.has(name(u))), ...updates.filter((u) => read.has(name(u)))];
  return ordered.map((u) =>
    ColumnUpdateNode.create(
      u.column,
      RawNode.create(['if(', ', ', ', ', ')'], [condition, excludedToValues(u.value), u.column]),
    ),
  );
}

/** Inline `REFERENCES` on a column: MySQL parses and ignores it, so it becomes a table constraint. */
function withForeignKeysAsConstraints(node: AnyNode): AnyNode {
  const columns = node.columns as readonly ColumnDefinitionNode[];
  const constraints: OperationNode[] = [...((node.constraints as OperationNode[] | undefined) ?? [])];
  const plain = columns.map((c) => {
    if (!c.references) return c;
    constraints.push(
      Object.freeze({ kind: 'ForeignKeyConstraintNode', columns: Object.freeze([c.column]), references: c.references }),
    );
    return Object.freeze({ ...c, references: undefined });
  });
  return { ...node, columns: Object.freeze(plain), constraints: Object.freeze(constraints) };
}

function mysqlStatement(node: RootOperationNode): RootOperationNode {
  const n = node as unknown as AnyNode;
  if (n.kind === 'InsertQueryNode') {
    if (n.returning) throw new Error('mysqlCompat: MySQL has no INSERT … RETURNING (see supportsReturning)');
    if (!n.onConflict) return node;
    // DO NOTHING → INSERT IGNORE: the duplicate row is skipped and not counted. (A no-op
    // `ON DUPLICATE KEY UPDATE c = c` would count as a changed row with mysql2's FOUND_ROWS flag.)
    if ((n.onConflict as OnConflict).doNothing)
      return Object.freeze({
        ...n,
        onConflict: undefined,
        orAction: Object.freeze({ kind: 'OrActionNode', action: 'ignore' }),
      }) as unknown as RootOperationNode;
    return Object.freeze({
      ...n,
      onConflict: undefined,
      onDuplicateKey: Object.freeze({
        kind: 'OnDuplicateKeyNode',
        updates: Object.freeze(onDuplicateKey(n.onConflict as OnConflict)),
      }),
    }) as unknown as RootOperationNode;
  }
  if ((n.kind === 'UpdateQueryNode' || n.kind === 'DeleteQueryNode') && n.returning)
    throw new Error('mysqlCompat: MySQL has no RETURNING (see supportsReturning)');
  if (n.kind === 'CreateTableNode') {
    const table = withForeignKeysAsConstraints(n);
    // Exact comparisons, as on SQLite and PostgreSQL, whatever the database's default collation.
    const options = RawNode.createWithSql('engine = InnoDB default character set utf8mb4 collate utf8mb4_bin');
    return Object.freeze({
      ...table,
      endModifiers: Object.freeze([...((n.endModifiers as OperationNode[] | undefined) ?? []), options]),
    }) as unknown as RootOperationNode;
  }
  return node;
}

/** Rewrites statements built for ON CONFLICT, inline REFERENCES and table defaults for MySQL. */
export const mysqlCompat: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs) => mysqlStatement(args.node),
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
};

const mysqlDialect: DialectInfo = {
  name: 'mysql',
  // MySQL 8.0 and MariaDB 10.6 and later.
  supportsSkipLocked: true,
  supportsReturning: false,
  insertIdFromReturning: false,
  supportsListenNotify: false,
  supportsNullsOrderInIndex: false,
  sortCostGrowsWithColumns: false,
  supportsPartialIndex: false,
  fenceProbe: false,
  hashesIdArrays: false,
  joinedIds: null,
  nullsAreSmallest: true,
  beginWriteTransaction: null,
  types: {
    id: 'bigint',
    bigint: 'bigint',
    double: 'double precision',
    text: 'text',
    key: 'varchar(191)',
    path: 'varchar(375)',
    json: 'json',
    bool: 'boolean',
  },
  plugins: [mysqlCompat],
  idColumn: (col) => col.primaryKey().autoIncrement(),
  foldedIndexKey: (column) => sql.ref(column),
  indexPrefix: (column, chars) => sql`${sql.ref(column)}(${sql.raw(String(Math.trunc(chars)))})`,
  dropIndexOn: (table) => (builder) => builder.on(table),
  excluded: <T>(column: string) => sql<T>`values(${sql.ref(column)})`,
  // Assignments run left to right and later ones see the earlier ones' results: callers order them.
  upsertClause: (_conflictColumns, set) =>
    sql`on duplicate key update ${sql.join(set.map(([c, value]) => sql`${sql.ref(c)} = ${value}`))}`,
  intDiv: (a, b) => sql<number>`((${a}) div (${b}))`,
  asBigint: (value) => sql<number>`cast(${value} as signed)`,
  toDbBool: (value) => (value ? 1 : 0),
  fromDbBool: (value) => value === 1 || value === true,
  toDbJson: jsonText,
  // MariaDB's JSON is text; MySQL's is a JSON type that mysql2 parses.
  fromDbJson: <T>(value: unknown) =>
    value === null || value === undefined ? null : typeof value === 'string' ? (JSON.parse(value) as T) : (value as T),
  jsonNumberAt: (json, path) => sql<number>`cast(json_value(${json}, ${sql.raw(jsonArrayPath(path))}) as double)`,
  // `images as images force index (…)`: MySQL wants the hint after the alias, which Kysely writes last.
  tableReadThrough: (table, index) =>
    sql`${sql.table(table)}`.as(sql`${sql.table(table)} force index (${sql.ref(index)})`),
  isUniqueViolation: (error) => errorCode(error) === 'ER_DUP_ENTRY',
  // InnoDB's deadlock victim and a lock wait that timed out: both roll the statement back.
  isConflictAbort: (error) => ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'].includes(String(errorCode(error))),
  // least()/greatest() return NULL when any argument is NULL.
  leastOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(least(${a}, ${b}), ${a}, ${b})`,
  greatestOf: <T>(a: Expression<T>, b: Expression<T>) => sql<T>`coalesce(greatest(${a}, ${b}), ${a}, ${b})`,
  idIn: (ref, ids) => sql<SqlBool>`${ref} in (${sql.join(ids)})`,
  // InnoDB moves AUTO_INCREMENT past every explicit id it stores.
  resetIdentity: () => null,
};

export function dialectInfo(name: DialectName): DialectInfo {
  if (name === 'sqlite') return sqliteDialect;
  if (name === 'mysql') return mysqlDialect;
  return postgresDialect;
}

export function dialectOfUrl(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`unsupported database URL '${url}': expected sqlite:PATH, postgres://… or mysql://…`);
}

/** Instants are epoch milliseconds in every dialect: exact, sortable, and free of time-zone rules. */
export function toDbTime(date: Date | number): number {
  return typeof date === 'number' ? date : date.getTime();
}

export function fromDbTime(ms: number | string | null | undefined): Date | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms));
}

/**
 * Case-insensitive equality as `lower(col) = lower(value)`, identical in every dialect so that one
 * expression index (`lower(col)`) serves it on SQLite and PostgreSQL. SQLite's lower() folds ASCII
 * only; names of filters, telescopes and cameras are ASCII in practice.
 */
export function ciEquals(ref: Expression<string | null>, value: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${ref}) = ${value.toLowerCase()}`;
}

/**
 * LIKE's escape character. Not the backslash: MySQL reads `'\'` as an escaped quote unless
 * NO_BACKSLASH_ESCAPES is set, and mysql2 escapes parameters assuming it is not.
 */
const LIKE_ESCAPE = '!';

/** `text` with LIKE's wildcards (and the escape character) made literal. */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);
}

/** `ref LIKE pattern`, where the pattern escapes literal wildcards with escapeLike. */
export function likePattern(ref: Expression<string | null>, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${ref} like ${pattern} escape '!'`;
}

/** Case-insensitive substring match; `%` and `_` in the value are literal. */
export function ciContains(ref: Expression<string | null>, value: string): Expression<SqlBool> {
  return likePattern(sql<string>`lower(${ref})`, `%${escapeLike(value.toLowerCase())}%`);
}

/**
 * Null-safe "differs", written so that all three engines accept it (MySQL has no IS DISTINCT FROM)
 * and it is never NULL: equal values or two NULLs → false.
 */
export function isDistinct(a: Expression<unknown>, b: Expression<unknown>): Expression<SqlBool> {
  return sql<SqlBool>`coalesce(${a} <> ${b}, (${a} is null) <> (${b} is null))`;
}
