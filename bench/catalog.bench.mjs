#!/usr/bin/env node
// Catalog at scale on SQLite: inserts AIMS_BENCH_ROWS (default 1,000,000) generated frames, then times
// filtered pages, cone searches, facets and night summaries (p50/p95 in ms).
// Needs the built server: `npx tsc -b packages/fits packages/server`.
// AIMS_BENCH_DB=PATH keeps the database (reused when it already holds enough rows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql } from 'kysely';
import { countImages, randomFrames, serverModules } from './support.mjs';

const load = serverModules('catalog.bench', 'db/image-query.js');
const { openDatabase, inTransaction } = await load('db/connection.js');
const { toImageHeadersRow, toImageRow } = await load('db/image.mapper.js');
const { keywordRows } = await load('db/images.repository.js');
const { queryImages } = await load('db/image-query.js');
const { imageFacets, nightsSummary } = await load('db/image-stats.js');
const { parseSort } = await load('db/image-filters.js');
const { MS_PER_DAY: DAY } = await load('util/time.js');

const ROWS = Number(process.env.AIMS_BENCH_ROWS ?? 1_000_000);
// AIMS_BENCH_DB_URL=postgres://… runs the same bench on PostgreSQL (a database you can throw away).
const pgUrl = process.env.AIMS_BENCH_DB_URL;
const keep = process.env.AIMS_BENCH_DB;
const dir = keep || pgUrl ? null : mkdtempSync(join(tmpdir(), 'aims-bench-'));
const file = keep ?? (dir ? join(dir, 'aims.db') : null);
const url = pgUrl ?? `sqlite:${file}`;
const database = await openDatabase(url);

// ~900 frames a night from 2022 on, six lights to one calibration frame, one rig per frame.
const FRAMES_PER_NIGHT = 900;
const START_MS = Date.UTC(2022, 0, 1);
const {
  frame,
  rnd,
  targets: OBJECTS,
} = await randomFrames({
  seed: 1234,
  startMs: START_MS,
  framesPerNight: FRAMES_PER_NIGHT,
  targets: 300,
  types: ['light', 'light', 'light', 'light', 'light', 'light', 'dark', 'flat', 'bias'],
  filters: ['L', 'R', 'G', 'B', 'Ha', 'OIII', 'SII', 'V', 'r', 'g'],
  telescopes: ['RC8', 'FSQ-106', 'CDK17', 'Seestar S50'],
  cameras: ['ZWO ASI294MM', 'QHY600M', 'SBIG STL-11000M', 'ZWO ASI2600MC'],
  exptimes: [10, 30, 60, 120, 180, 300, 600],
  pointingScatterDeg: 0.5,
  ccdTempMin: -20,
  ccdTempSpan: 25,
  sizeBytes: 23_400_000,
  rig: {
    set_temp: -10,
    gain: 100,
    offset: 10,
    xbinning: 1,
    ybinning: 1,
    observatory: 'Bench Observatory',
    site_lat_deg: 45,
    site_lon_deg: 7,
    site_elev_m: 400,
    focal_length_mm: 1600,
    aperture_mm: 200,
    pixel_size_um: 4.63,
    focuser_position: 12000,
    focuser_temp: 5,
    software: 'N.I.N.A.',
    naxis: 2,
    naxis1: 4144,
    naxis2: 2822,
    bitpix: 16,
    pixel_scale_arcsec: 0.6,
    fov_width_deg: 0.7,
    fov_height_deg: 0.47,
    sun_alt_deg: -30,
  },
});

const count = () => countImages(database);

// Compiling a 300-row insert costs Kysely as much as SQLite takes to run it; every full batch has
// the same SQL text, so compile it once and send new parameters (row-major, first row's key order).
let fullBatchSql = null;
let columns = null;
async function insertRows(tx, rows) {
  if (fullBatchSql && rows.length === 300) {
    const parameters = rows.flatMap((r) => columns.map((c) => r[c]));
    return (await tx.db.executeQuery(CompiledQuery.raw(fullBatchSql, parameters))).rows;
  }
  const compiled = tx.db.insertInto('images').values(rows).returning('id').compile();
  if (rows.length === 300) [fullBatchSql, columns] = [compiled.sql, Object.keys(rows[0])];
  return (await tx.db.executeQuery(compiled)).rows;
}

const existing = await count();
if (existing < ROWS) {
  // ~95 columns a row: 300 rows keep a statement under SQLite's 32,766 parameters.
  const BATCH = 300;
  const PER_TRANSACTION = 20;
  const t0 = performance.now();
  let n = existing;
  while (n < ROWS) {
    await inTransaction(database, async (tx) => {
      for (let b = 0; b < PER_TRANSACTION && n < ROWS; b++) {
        const frames = [];
        for (let i = 0; i < BATCH && n < ROWS; i++, n++) frames.push(frame(n));
        const rows = frames.map((f) => ({ ...toImageRow(f, tx.dialect, Date.now()), ingested_at: Date.now() }));
        const ids = await insertRows(tx, rows);
        await tx.db
          .insertInto('image_headers')
          .values(ids.map((r, i) => toImageHeadersRow(r.id, frames[i], tx.dialect)))
          .execute();
        const keywords = ids.flatMap((r, i) => keywordRows(r.id, frames[i].headers));
        for (let k = 0; k < keywords.length; k += 5000)
          await tx.db
            .insertInto('image_keywords')
            .values(keywords.slice(k, k + 5000))
            .execute();
      }
    });
    if (n % 100_000 < BATCH * PER_TRANSACTION) {
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  inserted ${n.toLocaleString('en')} rows, ${Math.round((n - existing) / s).toLocaleString('en')} rows/s`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `insert: ${(ROWS - existing).toLocaleString('en')} frames in ${seconds.toFixed(1)} s = ${Math.round((ROWS - existing) / seconds).toLocaleString('en')} rows/s`,
  );
  // Planner statistics, as `aims` would keep them after a large ingest.
  // PostgreSQL also needs the visibility map for index-only scans.
  await (database.dialect.name === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(database.db);
}
const total = await count();

async function time(label, runs, fn) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  console.log(
    `${label.padEnd(58)} p50 ${q(0.5).toFixed(1).padStart(7)} ms  p95 ${q(0.95).toFixed(1).padStart(7)} ms  ${last ?? ''}`,
  );
}

const nights = Math.ceil(total / FRAMES_PER_NIGHT);
const nightOf = (i) => new Date(START_MS + ((i * 37) % nights) * DAY).toISOString().slice(0, 10);
const page = (filters, opts = {}) => queryImages(database, filters, { limit: 50, ...opts });
const show = (p) => `total ${p.total ?? '-'}, ${p.items.length} items`;

console.log(
  `\ncatalog: ${total.toLocaleString('en')} frames, ${database.dialect.name} ${pgUrl ? pgUrl.replace(/\/\/[^@]*@/, '//') : file}`,
);
const RUNS = 30;
await time('first page, newest first, with total', RUNS, async () => show(await page({})));
await time('first page, newest first, no total', RUNS, async () => show(await page({}, { withTotal: false })));
await time('page 2 by keyset cursor', RUNS, async () => {
  const first = await page({}, { withTotal: false });
  return show(await page({}, { cursor: first.next_cursor, withTotal: false }));
});
await time('offset 10,000 (deep offset page)', 10, async () =>
  show(await page({}, { offset: 10_000, withTotal: false })),
);
await time('night=…', RUNS, async (i) => show(await page({ night: nightOf(i) })));
await time('date=… (UTC day)', RUNS, async (i) => show(await page({ date: nightOf(i) })));
await time('filter_name=r (ci) + min_quality=60, by quality', RUNS, async () =>
  show(await page({ filter_name: 'r', min_quality: 60 }, { sort: parseSort('-quality_score') })),
);
await time('object=m13', RUNS, async (i) => show(await page({ object: `m${(i % 100) + 1}` })));
await time('object=NGC* (wildcard)', 10, async () => show(await page({ object: 'NGC*' })));
await time('night + 22:00–04:00 + filter', RUNS, async (i) =>
  show(await page({ night: nightOf(i), start_time: '22:00', end_time: '04:00', filter_name: 'Ha' })),
);
await time('telescope + camera + image_type + temp range', RUNS, async () =>
  show(await page({ telescope: 'rc8', camera: 'qhy600m', image_type: 'light', min_temp: -15, max_temp: -10 })),
);
await time('header.EXPTIME>=300 + night', RUNS, async (i) =>
  show(await page({ night: nightOf(i), header: [{ key: 'EXPTIME', op: '>=', value: '300' }] })),
);
await time('header.EXPTIME>=600 alone', 10, async () =>
  show(await page({ header: [{ key: 'EXPTIME', op: '>=', value: '600' }] })),
);
await time('cone r=0.5° around a target', RUNS, async (i) => {
  const o = OBJECTS[i % OBJECTS.length];
  return show(await page({ ra: o.ra, dec: o.dec, radius: 0.5 }));
});
await time('cone r=10′ at a random position', RUNS, async () =>
  show(await page({ ra: rnd() * 360, dec: Math.asin(2 * rnd() - 1) * (180 / Math.PI), radius: 10 / 60 })),
);
await time('cone r=5° across RA 0', RUNS, async () => show(await page({ ra: 0.2, dec: 10, radius: 5 })));
await time('cone r=3° around the north pole', 10, async () => show(await page({ ra: 0, dec: 89, radius: 3 })));
await time('cone r=1° + night', RUNS, async (i) => {
  const o = OBJECTS[i % OBJECTS.length];
  return show(await page({ ra: o.ra, dec: o.dec, radius: 1, night: nightOf(i) }));
});
await time('facets under night=…', RUNS, async (i) => {
  const f = await imageFacets(database, { night: nightOf(i) });
  return `${f.filter_name.length} filters, ${f.object_name.length} objects`;
});
await time('facets, whole catalog', 3, async () => {
  const f = await imageFacets(database, {});
  return `${f.night.length} nights, ${f.object_name.length} objects`;
});
await time('nights summary, one month', 10, async () => {
  const n = await nightsSummary(database, { date_from: '2022-03-01', date_to: '2022-03-31' });
  return `${n.length} nights`;
});

await database.close();
if (dir) rmSync(dir, { recursive: true, force: true });
