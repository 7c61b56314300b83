#!/usr/bin/env node
// Every search the web UI makes, over HTTP, one keep-alive connection, warm: p50/p95 per search on
// a 1,000,000-frame SQLite catalog and the same frames on PostgreSQL, with pass/fail against the
// goal (20 ms at 1M frames, 50 ms at 10M).
// Needs the built server (`npx tsc -b packages/fits packages/server`) and, for PostgreSQL, a server
// on 127.0.0.1:5432 (user postgres, trust) or AIMS_BENCH_PG_URL.
//
//   AIMS_BENCH_ENGINES=sqlite,postgres   which engines at AIMS_BENCH_ROWS (default both; `none`: only the 10M run)
//   AIMS_BENCH_ROWS=1000000              frames in the catalogs
//   AIMS_BENCH_DB=PATH                   the SQLite file (default: $TMPDIR/aims-bench/catalog-<rows>.db, kept)
//   AIMS_BENCH_PG_URL=postgres://…/      server URL; the database is aims_bench_1m (aims_bench_<rows>), kept
//   AIMS_BENCH_10M=1                     also 10,000,000 frames on PostgreSQL (aims_bench_10m), goal 50 ms
//   AIMS_BENCH_REQUESTS=30               timed requests per search (after 3 warm-up requests)
//   AIMS_BENCH_ONLY=text                 only the searches whose label contains text
//   AIMS_BENCH_PREPARE=1                 generate or migrate the catalogs, then stop (run it under
//                                        `nice`; measure in a second run at normal priority)
//
// A catalog is generated once (minutes: say so to whoever waits) and reused while it holds the rows
// of the current generator; pending migrations are applied to a reused catalog (timed and printed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { FRAMES_PER_NIGHT, GENERATOR_VERSION, TARGETS } from './catalog-frames.mjs';
import { generateByCopy, generateByInsert } from './catalog-load.mjs';
import { countImages, serverModules, startApp } from './support.mjs';

const load = serverModules('catalog-http.bench');
const { openDatabase } = await load('db/connection.js');
const { MIGRATIONS } = await load('db/migrations/index.js');

const ROWS = Number(process.env.AIMS_BENCH_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.AIMS_BENCH_REQUESTS ?? 30);
const WARMUP = 3;
const ENGINES = (process.env.AIMS_BENCH_ENGINES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((e) => e === 'sqlite' || e === 'postgres');
const PREPARE_ONLY = process.env.AIMS_BENCH_PREPARE === '1';
const ONLY = process.env.AIMS_BENCH_ONLY ?? '';
const PG_BASE = process.env.AIMS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/';
const label = (rows) => (rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : `${rows}`);

// ——— generation ———

async function benchMeta(database) {
  await sql`create table if not exists aims_bench_meta (generator integer not null, rows_generated bigint not null)`.execute(
    database.db,
  );
  const { rows } = await sql`select generator, rows_generated from aims_bench_meta`.execute(database.db);
  return rows[0] ? { generator: Number(rows[0].generator), rows: Number(rows[0].rows_generated) } : null;
}

async function setBenchMeta(database, rows) {
  await benchMeta(database);
  await sql`delete from aims_bench_meta`.execute(database.db);
  await sql`insert into aims_bench_meta (generator, rows_generated) values (${GENERATOR_VERSION}, ${rows})`.execute(
    database.db,
  );
}

/** Migrations a catalog still lacks (none for a fresh one). */
async function pendingMigrations(url) {
  const database = await openDatabase(url, { migrate: false });
  try {
    const { rows } = await sql`select name from kysely_migration`.execute(database.db).catch(() => ({ rows: [] }));
    const done = new Set(rows.map((r) => r.name));
    return Object.keys(MIGRATIONS).filter((m) => !done.has(m));
  } finally {
    await database.close();
  }
}

async function resetPostgres(name) {
  const admin = new pg.Client({ connectionString: new URL('postgres', PG_BASE).toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

async function postgresExists(name) {
  const admin = new pg.Client({ connectionString: new URL('postgres', PG_BASE).toString() });
  await admin.connect();
  try {
    return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

/**
 * Full planner statistics after a bulk load. On SQLite without a row limit: the bounded analysis
 * that openDatabase runs keeps no STAT4 samples, and without them SQLite takes a two-sided range
 * (ccd_temp between -16 and -14, a quarter of the catalog) for a rare one and sorts its matches.
 */
async function analyze(engine, database) {
  if (engine === 'sqlite') {
    await sql`pragma analysis_limit = 0`.execute(database.db);
    await sql`analyze`.execute(database.db);
  } else await sql`vacuum analyze`.execute(database.db);
}

/** Opens (generating or migrating as needed) the catalog of `rows` frames on one engine. */
async function catalog(engine, rows) {
  let url;
  let fresh = async () => {};
  if (engine === 'sqlite') {
    const file = process.env.AIMS_BENCH_DB ?? join(tmpdir(), 'aims-bench', `catalog-${label(rows)}.db`);
    mkdirSync(dirname(file), { recursive: true });
    url = `sqlite:${file}`;
    fresh = async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    };
  } else {
    const name = `aims_bench_${label(rows)}`;
    url = new URL(name, PG_BASE).toString();
    if (!(await postgresExists(name))) await resetPostgres(name);
    fresh = () => resetPostgres(name);
  }
  const pending = await pendingMigrations(url);
  let database = await openDatabase(url, { migrate: false });
  let meta = await benchMeta(database).catch(() => null);
  const reusable = meta && meta.generator === GENERATOR_VERSION && meta.rows === rows;
  if (!reusable) {
    await database.close();
    await fresh();
    console.log(
      `${engine}: generating ${rows.toLocaleString('en')} frames (first run only; several minutes, more under load)`,
    );
    database = await openDatabase(url);
    const t0 = performance.now();
    // PostgreSQL by COPY (10M frames in well under an hour); SQLite by its prepared inserts.
    if (engine === 'postgres') await generateByCopy(database, url, rows);
    else await generateByInsert(database, 0, rows);
    await analyze(engine, database);
    await setBenchMeta(database, rows);
    meta = await benchMeta(database);
    console.log(`${engine}: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } else if (pending.length) {
    const t0 = performance.now();
    await database.close();
    database = await openDatabase(url);
    await analyze(engine, database);
    console.log(
      `${engine}: applied ${pending.join(', ')} to the kept catalog in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  return { database, url };
}

// ——— the searches ———

const RESULT_FIELDS =
  'id,file_name,date_obs,night,object_name,image_type,filter_name,exptime,ccd_temp,gain,telescope,instrument,ra_deg,dec_deg,airmass,fwhm_arcsec,fwhm_px,star_count,background,eccentricity,quality_score,quality_flag,naxis1,naxis2,size_bytes';
const SORTABLE = [
  'date_obs',
  'night',
  'exptime',
  'object_name',
  'filter_name',
  'quality_score',
  'fwhm_arcsec',
  'fwhm_px',
  'ccd_temp',
  'airmass',
  'star_count',
  'ra_deg',
  'dec_deg',
  'ingested_at',
  'file_path',
  'id',
];

function searches(rows) {
  const nights = Math.floor(rows / FRAMES_PER_NIGHT);
  const day = (i) => new Date(Date.UTC(2017, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const midNight = day(Math.floor(nights / 2));
  const page = (q) => `/api/images?${q}${q ? '&' : ''}limit=200&fields=${RESULT_FIELDS}`;
  const target = TARGETS[7];
  const list = [
    ['first page + total', page('')],
    ['facets, whole catalog', '/api/images/facets'],
    ['facets, min_quality=50', '/api/images/facets?min_quality=50'],
    ['facets, date range (a month)', `/api/images/facets?date_from=${day(400)}&date_to=${day(430)}`],
    ['facets, cone 5°', `/api/images/facets?ra=${target.ra.toFixed(3)}&dec=${target.dec.toFixed(3)}&radius=5`],
    ['nights summary', '/api/nights'],
    ['targets page', '/api/targets?sort=last_date_obs&order=desc&limit=200'],
    ['date', page(`date=${midNight}`)],
    ['date range (a quarter)', page(`date_from=${day(200)}&date_to=${day(290)}`)],
    ['night', page(`night=${midNight}`)],
    ['time of night 22:00–04:00', page('start_time=22:00&end_time=04:00')],
    ['temperature −16…−14', page('min_temp=-16&max_temp=-14')],
    ['min_quality=90', page('min_quality=90')],
    ['min_quality=50 & min_temp=-12', page('min_quality=50&min_temp=-12')],
    ['camera=qhy', page('camera=qhy')],
    ['telescope=winer (observatory)', page('telescope=winer')],
    ['telescope=RC8', page('telescope=RC8')],
    ['filter_name=ha', page('filter_name=ha')],
    ['object prefix ngc 2*', page('object=ngc%202*')],
    ['object = M 31', page('object=M%2031')],
    ['image_type=flat', page('image_type=flat')],
    ['header.FOCPOS=12345 (rare)', page('header.FOCPOS=12345')],
    ['header.SWCREATE (every frame)', page('header.SWCREATE=N.I.N.A.%203.1')],
    ['header.CCD-TEMP=-9.6 (2% of frames)', page('header.CCD-TEMP=-9.6')],
    ['header.EXPTIME=5 (0.5%)', page('header.EXPTIME=5')],
    ['header.FOCPOS>=12340 (a third)', page('header.FOCPOS>=12340')],
    ['header.FOCPOS<=11010 (rare range)', page('header.FOCPOS<=11010')],
    ['header.CCD-TEMP<=-15 (range)', page('header.CCD-TEMP<=-15')],
    ['cone 0.5° (a target)', page(`ra=${target.ra.toFixed(4)}&dec=${target.dec.toFixed(4)}&radius=0.5`)],
    ['cone 5°', page(`ra=${target.ra.toFixed(4)}&dec=${target.dec.toFixed(4)}&radius=5`)],
    ['cone 0.5° across RA 0', page('ra=0.1&dec=21.5&radius=0.5')],
    ['cone 5° across RA 0', page('ra=359.5&dec=21.5&radius=5')],
    ['cone 0.5° near the pole', page('ra=37.9&dec=89.3&radius=0.5')],
    ['cone 5° around the pole', page('ra=100&dec=88&radius=5')],
    ...SORTABLE.flatMap((c) => [
      [`sort ${c}`, page(`sort=${c}`)],
      [`sort -${c}`, page(`sort=-${c}`)],
    ]),
    [`deep page, offset ${Math.floor(rows / 2).toLocaleString('en')}`, page(`offset=${Math.floor(rows / 2)}`)],
    [
      `deep page, sort fwhm, offset ${Math.floor(rows / 10).toLocaleString('en')}`,
      page(`sort=fwhm_arcsec&offset=${Math.floor(rows / 10)}`),
    ],
    ['deep page, cursor (middle)', null],
    ['deep page, cursor, sort -quality', null],
  ];
  return list.filter(([name]) => name.includes(ONLY));
}

// ——— HTTP, one connection ———

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(base, path, auth) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(`${base}${path}`, { agent, headers: auth }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

async function run(engine, rows, goalMs) {
  const { database, url } = await catalog(engine, rows);
  if (PREPARE_ONLY) {
    console.log(`${engine}: ${(await countImages(database)).toLocaleString('en')} frames ready`);
    await database.close();
    return [];
  }
  const count = await countImages(database);
  const { app, base, auth } = await startApp(load, {
    database,
    databaseUrl: url,
    dataDir: join(tmpdir(), 'aims-bench', 'data'),
  });

  console.log(
    `\n${engine}, ${count.toLocaleString('en')} frames: ${WARMUP} warm-up + ${REQUESTS} requests per search, one connection; goal p95 ≤ ${goalMs} ms`,
  );
  console.log(`${'search'.padEnd(38)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  ${'total'.padStart(9)}  goal`);
  const results = [];
  if (searches(rows).some(([name]) => name === 'targets page')) {
    // The targets list is kept between requests; its first request after a start is the one
    // that grouped every light frame before the target summary tables.
    const first = await get(base, '/api/targets?sort=last_date_obs&order=desc&limit=200', auth);
    console.log(
      `${'targets page, first request'.padEnd(38)} ${first.ms.toFixed(1).padStart(8)}  (once, HTTP ${first.status})`,
    );
  }
  for (const [name, fixed] of searches(rows)) {
    let path = fixed;
    if (path === null) {
      // A cursor from the middle of the catalog, as a client paging by keyset would hold.
      const sort = name.includes('quality') ? '&sort=-quality_score' : '';
      const first = await get(base, `/api/images?limit=1&offset=${Math.floor(rows / 2)}${sort}&fields=id`, auth);
      const cursor = JSON.parse(first.body).next_cursor;
      path = `/api/images?limit=200&cursor=${cursor}${sort}&fields=${RESULT_FIELDS}`;
    }
    const times = [];
    let body = null;
    let status = 0;
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const r = await get(base, path, auth);
      status = r.status;
      if (i >= WARMUP) times.push(r.ms);
      else body = r.body;
    }
    times.sort((a, b) => a - b);
    const p50 = quantile(times, 0.5);
    const p95 = quantile(times, 0.95);
    let total = '';
    if (status !== 200) total = `HTTP ${status}`;
    else {
      const json = JSON.parse(body);
      if (typeof json.total === 'number') total = json.total_exact === false ? `>${json.total}` : `${json.total}`;
      else if (json.items) total = `${json.items.length} n`;
    }
    const pass = status === 200 && p95 <= goalMs;
    results.push({ name, p50, p95, pass });
    console.log(
      `${name.padEnd(38)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}  ${total.padStart(9)}  ${pass ? 'pass' : 'FAIL'}`,
    );
  }
  const failed = results.filter((r) => !r.pass);
  console.log(
    `${engine}: ${results.length - failed.length}/${results.length} searches within ${goalMs} ms at p95` +
      (failed.length ? `; slowest: ${failed.sort((a, b) => b.p95 - a.p95)[0].name}` : ''),
  );
  await app.close();
  await database.close();
  return results;
}

console.log(`load: ${execFileSync('uptime').toString().trim()}`);
for (const engine of ENGINES) await run(engine, ROWS, 20);
if (process.env.AIMS_BENCH_10M === '1') await run('postgres', 10_000_000, 50);
agent.destroy();
console.log(`load: ${execFileSync('uptime').toString().trim()}`);
