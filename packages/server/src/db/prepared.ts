/**
 * Statements compiled once and run many times: the catalog writes of ingest.
 *
 *   preparedQuery(build): PreparedQuery<Args, Row>     `build(...args)` returns a Kysely query
 *   PreparedQuery.all(db, ...args) / .first(db, ...args) / .run(db, ...args) / .runEach(db, argLists)
 *   PreparedQuery.runner(db)                            on a SQLite transaction: (...args) => void, or undefined
 *   PreparedQuery.insertedId(db, ...args)               an insert's new id (RETURNING id, or the driver's)
 *   SqliteStatements                                    better-sqlite3 statements by SQL text (LRU)
 *
 * One frame's catalog write is about fifty small statements. Kysely builds, compiles and (on
 * SQLite) prepares every query it runs, and that cost several times what SQLite spent executing
 * them (docs/performance.md, "Catalog writes"). A PreparedQuery runs its builder once per dialect
 * with placeholder values standing for its arguments and records where each argument lands in the
 * compiled parameters; later calls only fill the parameters in. Inside a SQLite write transaction
 * (`db.statements`, set by inTransaction) the statement runs synchronously on the connection the
 * transaction holds; elsewhere it goes through Kysely's executeQuery, which does not compile again.
 */
import type BetterSqlite from 'better-sqlite3';
import { type Compilable, CompiledQuery } from 'kysely';
import type { Db } from './connection.js';
import type { DialectName } from './dialect.js';

/** Statements kept per connection: the hot path uses about twenty distinct ones. */
const MAX_CACHED_STATEMENTS = 256;

/**
 * better-sqlite3 statements by SQL text, most recently used kept. A statement that is still being
 * iterated (a streamed select) is busy and cannot run twice at once: a fresh one is prepared then.
 */
export class SqliteStatements {
  private readonly cache = new Map<string, BetterSqlite.Statement>();

  constructor(private readonly sqlite: BetterSqlite.Database) {}

  prepare(sqlText: string): BetterSqlite.Statement {
    const cached = this.cache.get(sqlText);
    if (cached && !cached.busy) {
      // Re-inserted to mark it most recently used (a Map iterates in insertion order).
      this.cache.delete(sqlText);
      this.cache.set(sqlText, cached);
      return cached;
    }
    const statement = this.sqlite.prepare(sqlText);
    if (!cached) {
      this.cache.set(sqlText, statement);
      if (this.cache.size > MAX_CACHED_STATEMENTS) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    return statement;
  }
}

/** Where each compiled parameter comes from: an argument's index, or a constant of the builder. */
type ParameterSource = { arg: number } | { constant: unknown };

interface Compiled {
  sql: string;
  sources: ParameterSource[];
  /** The parameters are the arguments, in order: they need no copy to be bound. */
  direct: boolean;
}

const PLACEHOLDER_PREFIX = '\u0000aims-argument-';

export class PreparedQuery<Args extends unknown[], Row> {
  private readonly compiled = new Map<DialectName, Compiled>();

  constructor(
    private readonly arity: number,
    private readonly build: (db: Db, ...args: Args) => Compilable<Row>,
  ) {}

  private compile(db: Db): Compiled {
    const known = this.compiled.get(db.dialect.name);
    if (known) return known;
    const placeholders = Array.from({ length: this.arity }, (_, i) => `${PLACEHOLDER_PREFIX}${i}`) as Args;
    const query = this.build(db, ...placeholders).compile();
    const sources = query.parameters.map((p): ParameterSource => {
      if (typeof p === 'string' && p.startsWith(PLACEHOLDER_PREFIX))
        return { arg: Number(p.slice(PLACEHOLDER_PREFIX.length)) };
      return { constant: p };
    });
    for (let i = 0; i < this.arity; i++)
      if (!sources.some((s) => 'arg' in s && s.arg === i))
        throw new Error(`prepared query: argument ${i} is not a parameter of ${query.sql}`);
    const direct = sources.length === this.arity && sources.every((s, i) => 'arg' in s && s.arg === i);
    const compiled = { sql: query.sql, sources, direct };
    this.compiled.set(db.dialect.name, compiled);
    return compiled;
  }

  private parameters(compiled: Compiled, args: Args): unknown[] {
    return compiled.sources.map((s) => ('arg' in s ? args[s.arg] : s.constant));
  }

  async all(db: Db, ...args: Args): Promise<Row[]> {
    const compiled = this.compile(db);
    const parameters = this.parameters(compiled, args);
    if (db.statements) return db.statements.prepare(compiled.sql).all(parameters) as Row[];
    const result = await db.db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  }

  async first(db: Db, ...args: Args): Promise<Row | undefined> {
    const compiled = this.compile(db);
    const parameters = this.parameters(compiled, args);
    if (db.statements) return db.statements.prepare(compiled.sql).get(parameters) as Row | undefined;
    const result = await db.db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows[0];
  }

  /**
   * On a SQLite transaction's connection, a function that runs the statement with its arguments as
   * they are (no array per call: a frame's 45 keyword rows built two arrays each, about a quarter
   * of the JavaScript around their inserts). Undefined elsewhere, and when the compiled parameters
   * are not exactly the arguments in order.
   */
  runner(db: Db): ((...args: Args) => void) | undefined {
    const compiled = this.compile(db);
    if (!db.statements || !compiled.direct) return undefined;
    const statement = db.statements.prepare(compiled.sql);
    return (...args: Args) => {
      statement.run(...args);
    };
  }

  /** The statement once per argument list, in order (one prepared statement, no awaits between on SQLite). */
  async runEach(db: Db, argLists: readonly Args[]): Promise<void> {
    const compiled = this.compile(db);
    if (db.statements) {
      const statement = db.statements.prepare(compiled.sql);
      for (const args of argLists) statement.run(this.parameters(compiled, args));
      return;
    }
    for (const args of argLists)
      await db.db.executeQuery(CompiledQuery.raw(compiled.sql, this.parameters(compiled, args)));
  }

  /**
   * An insert (or insert-or-ignore) of one row: the new row's id, or undefined when nothing was
   * inserted. The builder adds `returning('id')` where the dialect takes the id from RETURNING
   * (insertIdFromReturning); elsewhere the driver reports the id of the row it inserted (MySQL's
   * insertId, SQLite's last_insert_rowid), valid when the statement changed a row.
   */
  async insertedId(db: Db, ...args: Args): Promise<number | undefined> {
    if (db.dialect.insertIdFromReturning) {
      const row = (await this.first(db, ...args)) as { id?: number | bigint } | undefined;
      return row?.id === undefined ? undefined : Number(row.id);
    }
    const compiled = this.compile(db);
    const parameters = this.parameters(compiled, args);
    if (db.statements) {
      const { changes, lastInsertRowid } = db.statements.prepare(compiled.sql).run(parameters);
      return changes > 0 ? Number(lastInsertRowid) : undefined;
    }
    const result = await db.db.executeQuery(CompiledQuery.raw(compiled.sql, parameters));
    return Number(result.numAffectedRows ?? 0n) > 0 && result.insertId !== undefined
      ? Number(result.insertId)
      : undefined;
  }

  /** A statement without rows to return; resolves to the number of rows it changed. */
  async run(db: Db, ...args: Args): Promise<number> {
    const compiled = this.compile(db);
    const parameters = this.parameters(compiled, args);
    if (db.statements) return db.statements.prepare(compiled.sql).run(parameters).changes;
    const result = await db.db.executeQuery(CompiledQuery.raw(compiled.sql, parameters));
    return Number(result.numAffectedRows ?? 0n);
  }
}

/**
 * A query built once per dialect. `build` must pass every argument to Kysely as a value (it
 * receives placeholders, not real values, and must not branch on them).
 */
export function preparedQuery<Args extends unknown[], Row>(
  arity: Args['length'],
  build: (db: Db, ...args: Args) => Compilable<Row>,
): PreparedQuery<Args, Row> {
  return new PreparedQuery(arity, build);
}
