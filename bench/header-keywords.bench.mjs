#!/usr/bin/env node
// GET /api/images/keywords (the web UI's keyword suggestions) over HTTP on the 1M-frame bench
// catalogs of catalog-http.bench.mjs, read-only: the SQLite file is opened with `readonly`, the
// PostgreSQL database only read, and the app serves anonymous reads (AIMS_PUBLIC_READ) so that no
// account is written. Prints p50/p95 of the request and of the query alone, against the 20 ms goal.
// Needs the built server (`npx tsc -b packages/fits packages/server`) and the prepared catalogs
// (AIMS_BENCH_PREPARE=1 node bench/catalog-http.bench.mjs).
//
//   AIMS_BENCH_DB=PATH          the SQLite file (default $TMPDIR/aims-bench/catalog-1m.db)
//   AIMS_BENCH_PG_URL=URL       the PostgreSQL catalog (default postgres://postgres@127.0.0.1:5432/aims_bench_1m)
//   AIMS_BENCH_REQUESTS=200     timed requests (after 10 warm-up requests)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { serverModules } from './support.mjs';

const load = serverModules('header-keywords.bench');
const { openDatabase } = await load('db/connection.js');
const { dialectInfo } = await load('db/dialect.js');
const { headerKeywords } = await load('db/header-keywords.js');
const { loadConfig } = await load('config/config.js');
const { buildApp } = await load('http/app.js');

const SQLITE = process.env.AIMS_BENCH_DB ?? join(tmpdir(), 'aims-bench', 'catalog-1m.db');
const PG = process.env.AIMS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/aims_bench_1m';
const REQUESTS = Number(process.env.AIMS_BENCH_REQUESTS ?? 200);
const WARMUP = 10;
const GOAL_MS = 20;

function readOnlySqlite(path) {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: dialectInfo('sqlite'), url: `sqlite:${path}`, close: () => db.destroy() };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const figures = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
};

async function measure(engine, database) {
  const query = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const started = performance.now();
    await headerKeywords(database);
    if (i >= WARMUP) query.push(performance.now() - started);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'aims-keywords-bench-'));
  const config = loadConfig(
    { AIMS_DATA_DIR: dataDir, AIMS_LOG_LEVEL: 'silent', AIMS_PUBLIC_READ: 'true' },
    { databaseUrl: database.url },
  );
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${app.server.address().port}/api/images/keywords`;
  const request = [];
  let last;
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    last = await get(url);
    if (last.status !== 200) throw new Error(`${engine}: HTTP ${last.status} ${last.body.slice(0, 200)}`);
    if (i >= WARMUP) request.push(last.ms);
  }
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  const body = JSON.parse(last.body);
  const q = figures(query);
  const r = figures(request);
  console.log(
    `${engine.padEnd(9)} ${body.keywords.length} keywords (complete: ${body.complete})  query p50 ${q.p50.toFixed(2)} ` +
      `p95 ${q.p95.toFixed(2)} ms  HTTP p50 ${r.p50.toFixed(2)} p95 ${r.p95.toFixed(2)} ms  ${r.p95 <= GOAL_MS ? 'ok' : 'OVER'}`,
  );
}

// The catalogs take minutes to generate: a missing one is skipped with the command that makes it.
const prepare = 'AIMS_BENCH_PREPARE=1 node bench/catalog-http.bench.mjs';
if (existsSync(SQLITE)) {
  const sqlite = readOnlySqlite(SQLITE);
  await measure('sqlite', sqlite);
  await sqlite.close();
} else console.log(`sqlite    skipped: no catalog at ${SQLITE} (${prepare})`);
async function openPostgres() {
  const database = await openDatabase(PG, { migrate: false });
  try {
    await sql`select 1 from image_keywords limit 1`.execute(database.db);
    return database;
  } catch (error) {
    console.log(`postgres  skipped: ${error.message} (${prepare})`);
    await database.close();
    return null;
  }
}
const pg = await openPostgres();
if (pg) {
  await measure('postgres', pg);
  await pg.close();
}
agent.destroy();
