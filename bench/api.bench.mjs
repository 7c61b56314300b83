#!/usr/bin/env node
// The HTTP API under load, on a SQLite catalog of AIMS_BENCH_ROWS (default 1,000,000) generated
// frames: requests/s and p50/p95 latency (autocannon, AIMS_BENCH_CONNECTIONS connections for
// AIMS_BENCH_SECONDS each) of filtered pages and cone searches, authenticated with an API token as
// a script would be. (ZIP download throughput is measured by zip.bench.mjs.)
// Needs the built server: `npx tsc -b packages/fits packages/server`.
// AIMS_BENCH_DB=PATH keeps the catalog (reused when it already holds enough rows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { CompiledQuery, sql } from 'kysely';
import { countImages, randomFrames, serverModules, startApp } from './support.mjs';

const load = serverModules('api.bench');
const { openDatabase, inTransaction } = await load('db/connection.js');
const { toImageRow, toImageHeadersRow } = await load('db/image.mapper.js');

const ROWS = Number(process.env.AIMS_BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.AIMS_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.AIMS_BENCH_CONNECTIONS ?? 4);
const scratch = mkdtempSync(join(tmpdir(), 'aims-api-bench-'));
const dbFile = process.env.AIMS_BENCH_DB ?? join(scratch, 'aims.db');

// ——— the catalog ———
// ~1000 frames a night from 2021 on, from four telescopes with one camera; the cases below ask for
// what this catalog holds (telescope Winer, filters lrg and LRG, a target's position).
const { frame, targets: TARGETS } = await randomFrames({
  seed: 99,
  startMs: Date.UTC(2021, 0, 1),
  framesPerNight: 1000,
  targets: 400,
  types: ['light', 'light', 'light', 'light', 'light', 'dark', 'flat', 'bias'],
  filters: ['L', 'R', 'G', 'B', 'Ha', 'OIII', 'SII', 'lrg', 'LRG', 'V'],
  telescopes: ['Winer', 'RC8', 'CDK17', 'FSQ-106'],
  cameras: ['QHY600M'],
  exptimes: [30, 60, 120, 300],
  pointingScatterDeg: 0.4,
  ccdTempMin: -25,
  ccdTempSpan: 30,
  sizeBytes: 122_000_000,
  rig: {
    set_temp: -15,
    gain: 100,
    offset: 10,
    xbinning: 1,
    ybinning: 1,
    observatory: 'Bench Observatory',
    site_lat_deg: 32,
    site_lon_deg: -110,
    site_elev_m: 1500,
    camera: 'QHY600M',
    focal_length_mm: 1600,
    aperture_mm: 300,
    pixel_size_um: 3.76,
    software: 'N.I.N.A.',
    naxis: 2,
    naxis1: 9576,
    naxis2: 6388,
    bitpix: 16,
    pixel_scale_arcsec: 0.48,
    fov_width_deg: 1.28,
    fov_height_deg: 0.85,
    sun_alt_deg: -30,
  },
});

async function insertFrames(database, frames) {
  let compiled;
  for (let i = 0; i < frames.length; i += 300) {
    const batch = frames.slice(i, i + 300);
    const rows = batch.map((f) => ({ ...toImageRow(f, database.dialect, Date.now()), ingested_at: Date.now() }));
    compiled = database.db.insertInto('images').values(rows).returning('id').compile();
    const ids = (await database.db.executeQuery(CompiledQuery.raw(compiled.sql, compiled.parameters))).rows;
    await database.db
      .insertInto('image_headers')
      .values(ids.map((r, k) => toImageHeadersRow(r.id, batch[k], database.dialect)))
      .execute();
  }
}

const database = await openDatabase(`sqlite:${dbFile}`);
const count = () => countImages(database);
let total = await count();
if (total < ROWS) {
  const t0 = performance.now();
  for (let n = total; n < ROWS; ) {
    const frames = [];
    for (let i = 0; i < 6000 && n < ROWS; i++, n++) frames.push(frame(n));
    await inTransaction(database, (tx) => insertFrames(tx, frames));
    if (n % 200_000 < 6000) console.log(`  generated ${n.toLocaleString('en')} frames`);
  }
  await sql`analyze`.execute(database.db);
  console.log(
    `generated ${(ROWS - total).toLocaleString('en')} frames in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  total = await count();
}

// ——— the server, as `aims serve` builds it ———
const { app, base, auth } = await startApp(load, {
  database,
  databaseUrl: `sqlite:${dbFile}`,
  dataDir: join(scratch, 'data'),
});

function cannon(path) {
  return new Promise((resolve, reject) => {
    const times = [];
    const instance = autocannon(
      { url: `${base}${path}`, connections: CONNECTIONS, duration: SECONDS, headers: auth, timeout: 60 },
      (error, result) => (error ? reject(error) : resolve({ result, times })),
    );
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

const q = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1) : '-';
const target = TARGETS[7];
const CASES = [
  ['first page, newest first', '/api/images?limit=50'],
  ['telescope=Winer (any case)', '/api/images?telescope=winer&limit=50'],
  ['filter_name=lrg & min_temp=-10', '/api/images?filter_name=lrg&min_temp=-10&limit=50'],
  ['one night, best quality first', '/api/images?night=2022-06-01&sort=-quality_score&limit=50'],
  [
    '22:00–04:00 & date range',
    '/api/images?start_time=22:00&end_time=04:00&date_from=2022-01-01&date_to=2022-03-31&limit=50',
  ],
  [
    'cone search r=0.5° (a target)',
    `/api/images?ra=${target.ra.toFixed(4)}&dec=${target.dec.toFixed(4)}&radius=0.5&limit=50`,
  ],
  [
    'cone search r=5° + filter',
    `/api/images?ra=${target.ra.toFixed(4)}&dec=${target.dec.toFixed(4)}&radius=5&filter_name=ha&limit=50`,
  ],
  ['facets, one telescope', '/api/images/facets?telescope=RC8'],
  ['one image', '/api/images/123456'],
];

console.log(`\nAPI on ${total.toLocaleString('en')} frames (SQLite), ${CONNECTIONS} connections × ${SECONDS} s each`);
console.log(
  `${'request'.padEnd(36)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'alone ms'.padStart(9)}  total`,
);
/**
 * autocannon stops sending when its time is up, but requests already queued behind SQLite's one
 * connection are still being answered: wait until the server is idle before the next case.
 */
async function idle() {
  for (;;) {
    const t0 = performance.now();
    await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
    if (performance.now() - t0 < 50) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const [label, path] of CASES) {
  await idle();
  // One request alone first: the latency of a cold query with nothing else running.
  const t0 = performance.now();
  const probe = await fetch(`${base}${path}`, { headers: auth });
  const body = await probe.json();
  const alone = performance.now() - t0;
  await idle();
  const { result, times } = await cannon(path);
  times.sort((a, b) => a - b);
  const bad = result.non2xx + result.errors;
  console.log(
    `${label.padEnd(36)} ${result.requests.average.toFixed(1).padStart(8)} ${q(times, 0.5).padStart(8)} ${q(times, 0.95).padStart(8)} ${alone.toFixed(1).padStart(9)}  ${body.total ?? (probe.status === 200 ? '' : probe.status)}${bad ? `  (${bad} failed)` : ''}`,
  );
}

await app.close();
await database.close();
if (!process.env.AIMS_BENCH_DB) rmSync(scratch, { recursive: true, force: true });
