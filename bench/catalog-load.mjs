// Loading the generated frames of catalog-frames.mjs into a catalog, for the HTTP search bench.
// Not a bench itself (run.mjs runs only *.bench.mjs).
//
//   generateByInsert(database, from, to, options)   any engine: multi-row INSERTs through the
//       catalog's own row mappers, then the summary tables rebuilt (a million frames: ~30 min)
//   generateByCopy(database, url, rows, options)     PostgreSQL, into a freshly migrated catalog:
//       the same rows with COPY, secondary indexes and constraints built after the load
//
// Both write the rows ingest writes for these frames (images, image_headers, image_keywords, the
// summary tables); bench-catalog-load.test.ts compares the two table by table. `options.now` is
// the clock for ingested_at/updated_at/verified_at (read once per batch), `options.log` the
// progress printer, `options.batch` the frames per round of COPY.
//
// Why COPY: ten million frames by INSERT took hours here. Each frame is ~95 columns plus 13
// keyword rows, and every row went through 38 indexes of images and 3 of image_keywords (130
// million keyword rows at 10M frames). COPY FREEZE into tables truncated in the same transaction
// writes heap pages once, already frozen (the VACUUM after the load has nothing to rewrite), and
// each index is then sorted once instead of grown row by row.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { frameAt } from './catalog-frames.mjs';
import { isBuilt, serverModules } from './support.mjs';

const load = serverModules('catalog-load');
const { inTransaction } = await load('db/connection.js');
const { toImageRow, toImageHeadersRow } = await load('db/image.mapper.js');
const { keywordRows } = await load('db/images.repository.js');
const summary = isBuilt('db/catalog-summary.js') ? await load('db/catalog-summary.js') : null;

const defaultLog = (line) => console.log(line);

function progress(log, from, to) {
  const t0 = performance.now();
  let reported = from;
  return (n) => {
    if (n - reported < 100_000 && n !== to) return;
    reported = n;
    const s = (performance.now() - t0) / 1000;
    log(`  ${n.toLocaleString('en')} frames (${s.toFixed(0)} s, ${((n - from) / s).toFixed(0)} frames/s)`);
  };
}

async function rebuildSummary(database, log) {
  if (!summary) return;
  const t0 = performance.now();
  await inTransaction(database, async (tx) => {
    // The per-night medians sort every frame with a FWHM: in memory rather than in 4 MB runs.
    if (tx.dialect.name === 'postgres') await sql`set local work_mem = '256MB'`.execute(tx.db);
    await summary.rebuildCatalogSummary(tx);
    if (summary.rebuildTargetSummary) await summary.rebuildTargetSummary(tx);
    if (summary.rebuildValueCounts) await summary.rebuildValueCounts(tx);
  });
  log(`  summary tables rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ——— by INSERT ———

const IMAGE_BATCH = 300; // ~95 columns: under SQLite's 32,766 and PostgreSQL's 65,535 parameters
const KEYWORD_BATCH = 2000;
const ROWS_PER_TRANSACTION = 6000;

/** One compiled statement per (table, row count): Kysely's compile costs as much as the insert. */
function batchInserter(table, returning) {
  const compiled = new Map();
  return async (tx, rows) => {
    let entry = compiled.get(rows.length);
    if (!entry) {
      let q = tx.db.insertInto(table).values(rows);
      if (returning) q = q.returning(returning);
      const c = q.compile();
      entry = { sql: c.sql, columns: Object.keys(rows[0]) };
      compiled.set(rows.length, entry);
    }
    const parameters = [];
    for (const row of rows) for (const c of entry.columns) parameters.push(row[c]);
    return (await tx.db.executeQuery(CompiledQuery.raw(entry.sql, parameters))).rows;
  };
}

export async function generateByInsert(database, from, to, { now = Date.now, log = defaultLog } = {}) {
  const insertImages = batchInserter('images', 'id');
  const insertHeaders = batchInserter('image_headers');
  const insertKeywords = batchInserter('image_keywords');
  const report = progress(log, from, to);
  for (let n = from; n < to; ) {
    const end = Math.min(to, n + ROWS_PER_TRANSACTION);
    await inTransaction(database, async (tx) => {
      for (; n < end; ) {
        const frames = [];
        for (let i = 0; i < IMAGE_BATCH && n < end; i++, n++) frames.push(frameAt(n));
        const at = now();
        const ids = await insertImages(
          tx,
          frames.map((f) => ({ ...toImageRow(f, tx.dialect, at), ingested_at: at, previous_versions: null })),
        );
        await insertHeaders(
          tx,
          ids.map((r, i) => toImageHeadersRow(Number(r.id), frames[i], tx.dialect)),
        );
        const keywords = ids.flatMap((r, i) => keywordRows(Number(r.id), frames[i].headers));
        for (let k = 0; k < keywords.length; k += KEYWORD_BATCH)
          await insertKeywords(tx, keywords.slice(k, k + KEYWORD_BATCH));
      }
    });
    report(n);
  }
  await rebuildSummary(database, log);
}

// ——— by COPY (PostgreSQL) ———

/** Tables the frames fill, each loaded on its own connection so that the three COPYs overlap. */
const LOADED_TABLES = ['images', 'image_headers', 'image_keywords'];
/** Frames per round of COPY statements: ~25 MB of COPY data per round, bounded memory. */
const COPY_BATCH = 20_000;
/** Threads that turn frames into COPY data (the load's bottleneck: the server reads it faster). */
const WORKERS = Math.max(1, Number(process.env.AIMS_BENCH_LOAD_WORKERS ?? 3));

/**
 * COPY … FROM STDIN on a pg.Client, as a submittable query: pg hands over the connection when
 * the server asks for the data (CopyInResponse); the data is sent as it is and the query settles
 * on ReadyForQuery. (pg itself has no COPY FROM; this is the protocol's part of it.)
 */
class CopyFrom {
  constructor(text, data) {
    this.text = text;
    this.data = data;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
  submit(connection) {
    connection.query(this.text);
  }
  handleCopyInResponse(connection) {
    for (let i = 0; i < this.data.length; i += 1 << 20)
      connection.sendCopyFromChunk(this.data.subarray(i, i + (1 << 20)));
    connection.endCopyFrom();
  }
  handleError(error) {
    this.error = error;
    this.reject(error);
  }
  handleReadyForQuery() {
    if (!this.error) this.resolve();
  }
  handleCommandComplete() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

function copyInto(client, table, columns, data) {
  // FREEZE: the table was truncated in this transaction, so its rows may be written frozen.
  const text = `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin with (format binary, freeze)`;
  // Buffer again: a worker's bytes arrive as a plain Uint8Array.
  const query = new CopyFrom(text, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  client.query(query);
  return query.promise;
}

/** column → type name of each loaded table, for the workers' binary COPY. */
async function columnTypes(client) {
  const { rows } = await client.query(
    `select table_name as t, column_name as c, data_type as type from information_schema.columns
     where table_schema = current_schema() and table_name = any($1)`,
    [LOADED_TABLES],
  );
  const types = Object.fromEntries(LOADED_TABLES.map((t) => [t, {}]));
  for (const r of rows) types[r.t][r.c] = r.type;
  return types;
}

/** A thread of catalog-load.worker.mjs: COPY data of frame ranges, one request at a time. */
class CopyDataWorker {
  constructor(types) {
    this.worker = new Worker(new URL('./catalog-load.worker.mjs', import.meta.url), { workerData: { types } });
    this.worker.unref();
  }
  serialize(from, to, nowMs) {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
      };
      const onMessage = (m) => {
        cleanup();
        resolve(m);
      };
      const onError = (e) => {
        cleanup();
        reject(e);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.postMessage({ from, to, nowMs });
    });
  }
  close() {
    return this.worker.terminate();
  }
}

/** Best effort: the server's process for this connection runs at the priority the loader runs at. */
async function reniceBackend(client, log) {
  const niceness = Number(process.env.AIMS_BENCH_LOAD_NICE ?? 10);
  if (!niceness) return;
  const pid = (await client.query('select pg_backend_pid() as pid')).rows[0].pid;
  await new Promise((resolve) =>
    execFile('renice', ['-n', String(niceness), '-p', String(pid)], (error) => {
      if (error) log(`  (could not renice backend ${pid}: ${error.message.split('\n')[0]})`);
      resolve();
    }),
  );
}

async function loadClient(url, log) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A lost load is generated again: nothing to wait for at commit. Index builds sort in memory,
  // one process each (parallel workers would not be reniced).
  await client.query(
    "set synchronous_commit = off; set maintenance_work_mem = '1GB'; set max_parallel_maintenance_workers = 0",
  );
  await reniceBackend(client, log);
  return client;
}

/**
 * The indexes and constraints of the loaded tables (and the foreign keys into them), as the
 * migrations made them: dropped before the load and made again, by the same definitions, after it.
 */
async function secondaryStructures(client) {
  const tables = LOADED_TABLES.map((t) => `'${t}'::regclass`).join(', ');
  const constraints = (
    await client.query(
      `select conrelid::regclass::text as "table", conname as name, contype as type, pg_get_constraintdef(oid) as def
       from pg_constraint where contype in ('p', 'u', 'f')
         and (conrelid in (${tables}) or (contype = 'f' and confrelid in (${tables})))
       order by conname`,
    )
  ).rows;
  const indexes = (
    await client.query(
      `select i.indrelid::regclass::text as "table", c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid
       where i.indrelid in (${tables})
         and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u'))
       order by c.relname`,
    )
  ).rows;
  return { constraints, indexes };
}

async function dropStructures(client, { constraints, indexes }) {
  const order = { f: 0, u: 1, p: 2 };
  for (const c of [...constraints].sort((a, b) => order[a.type] - order[b.type]))
    await client.query(`alter table ${c.table} drop constraint ${c.name}`);
  for (const i of indexes) await client.query(`drop index ${i.name}`);
}

/**
 * Builds indexes and keys on `clients` in parallel, then the foreign keys. The keyword table's
 * indexes (130 million rows at 10M frames) are built one at a time by the first client while the
 * others build the rest: each needs about twice its size on disk while it sorts, and three at
 * once filled a disk that had room for the finished catalog.
 */
async function buildStructures(clients, { constraints, indexes }, log) {
  const work = [
    ...constraints
      .filter((c) => c.type !== 'f')
      .map((c) => ({ ...c, ddl: `alter table ${c.table} add constraint ${c.name} ${c.def}` })),
    ...indexes.map((i) => ({ ...i, ddl: i.def })),
  ];
  const keywords = work.filter((w) => w.table === 'image_keywords');
  const rest = work.filter((w) => w.table !== 'image_keywords');
  const build = async (client, w) => {
    const t0 = performance.now();
    await client.query(w.ddl);
    log(`  ${w.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  };
  const drain = async (client) => {
    for (let w = rest.shift(); w; w = rest.shift()) await build(client, w);
  };
  await Promise.all(
    clients.map(async (client, i) => {
      if (i === 0) for (const w of keywords) await build(client, w);
      await drain(client);
    }),
  );
  for (const c of constraints.filter((k) => k.type === 'f')) {
    const t0 = performance.now();
    await clients[0].query(`alter table ${c.table} add constraint ${c.name} ${c.def}`);
    log(`  ${c.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

/**
 * Frames [0, rows) into a freshly migrated, empty PostgreSQL catalog, ids 1…rows in frame order
 * as the inserts would number them. `database` is the catalog opened by openDatabase (for the
 * summary rebuild), `url` the same catalog for the loader's own connections.
 */
export async function generateByCopy(
  database,
  url,
  rows,
  { now = Date.now, log = defaultLog, batch = COPY_BATCH } = {},
) {
  const clients = await Promise.all(LOADED_TABLES.map(() => loadClient(url, log)));
  const byTable = Object.fromEntries(LOADED_TABLES.map((t, i) => [t, clients[i]]));
  try {
    const structures = await secondaryStructures(clients[0]);
    await dropStructures(clients[0], structures);
    for (const [table, client] of Object.entries(byTable)) await client.query(`begin; truncate ${table}`);

    const types = await columnTypes(clients[0]);
    const workers = Array.from({ length: WORKERS }, () => new CopyDataWorker(types));
    const report = progress(log, 0, rows);
    const t0 = performance.now();
    let inFlight = Promise.resolve();
    try {
      for (let n = 0; n < rows; ) {
        const end = Math.min(rows, n + batch);
        // The round's frames in one contiguous share per worker, joined again in frame order.
        const at = now();
        const share = Math.ceil((end - n) / workers.length);
        const parts = await Promise.all(
          workers.map((w, i) => w.serialize(n + i * share, Math.min(end, n + (i + 1) * share), at)),
        );
        await inFlight;
        report(n);
        const columns = parts.find((p) => p.columns)?.columns;
        const present = parts.filter((p) => p.columns);
        inFlight = Promise.all(
          LOADED_TABLES.map(async (t) => {
            for (const p of present) await copyInto(byTable[t], t, columns[t], p[t]);
          }),
        );
        // Awaited after the next round is made; a failure meanwhile is not an unhandled rejection.
        inFlight.catch(() => {});
        n = end;
      }
    } finally {
      for (const w of workers) await w.close();
    }
    await inFlight;
    report(rows);
    for (const client of clients) await client.query('commit');
    await clients[0].query(`select setval(pg_get_serial_sequence('images', 'id'), $1, $2)`, [
      Math.max(rows, 1),
      rows > 0,
    ]);
    log(`  rows copied in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    await rebuildSummary(database, log);
    const t1 = performance.now();
    const jobs = Math.max(1, Math.min(clients.length, Number(process.env.AIMS_BENCH_LOAD_JOBS ?? 3)));
    await buildStructures(clients.slice(0, jobs), structures, log);
    log(`  indexes and keys built in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  } catch (error) {
    for (const client of clients) await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    for (const client of clients) await client.end().catch(() => {});
  }
}
