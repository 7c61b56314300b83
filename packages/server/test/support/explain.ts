/**
 * The plan of a query exactly as the application builds it. `explainQueriesOf(database, run)` runs
 * `run` against a view of the database that records every query Kysely executes, then returns each
 * one's SQL with the engine's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL and MySQL,
 * whose rows read `table access-type key=chosen-index extra`, e.g. `images range key=images_cone_idx`). Index
 * tests use it so that a change to the query builder cannot leave them checking a query the app no
 * longer sends.
 */
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Database, Db } from '../../src/db/connection.js';

class RecordQueries implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface ExplainedQuery {
  sql: string;
  plan: string;
}

export async function explainQueriesOf(
  database: Database,
  run: (db: Db) => Promise<unknown>,
): Promise<ExplainedQuery[]> {
  const recorder = new RecordQueries();
  await run({ ...database, db: database.db.withPlugin(recorder) });
  const prefix = database.dialect.name === 'sqlite' ? 'explain query plan ' : 'explain ';
  const out: ExplainedQuery[] = [];
  for (const [i, node] of recorder.nodes.entries()) {
    const compiled = database.db.getExecutor().compileQuery(node, { queryId: `explain-${i}` });
    const result = await database.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]),
    );
    const line =
      database.dialect.name === 'mysql'
        ? (r: Record<string, unknown>) => `${r.table} ${r.type} key=${r.key ?? ''} ${r.Extra ?? ''}`.trim()
        : (r: Record<string, unknown>) => Object.values(r).join(' ');
    out.push({ sql: compiled.sql, plan: result.rows.map(line).join('\n') });
  }
  return out;
}

/** Records the SQL of each query a run executes (subqueries are part of their query, not listed). */
class RecordExecuted implements KyselyPlugin {
  private readonly pending = new WeakMap<object, RootOperationNode>();
  readonly nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const node = this.pending.get(args.queryId);
    if (node) this.nodes.push(node);
    return args.result;
  }
}

/** The SQL of every query `run` executes against the database, in order. */
export async function executedQueriesOf(database: Database, run: (db: Db) => Promise<unknown>): Promise<string[]> {
  const recorder = new RecordExecuted();
  await run({ ...database, db: database.db.withPlugin(recorder) });
  return recorder.nodes.map((node, i) => database.db.getExecutor().compileQuery(node, { queryId: `run-${i}` }).sql);
}
