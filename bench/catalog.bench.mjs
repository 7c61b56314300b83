#!/usr/bin/env node
// Catalog at scale on SQLite: inserts AIMS_BENCH_ROWS (default 1,000,000) generated frames, then times
// filtered pages, cone searches, facets and night summaries (p50/p95 in ms).
// Needs the built server: `npx tsc -b packages/fits packages/server`.
// AIMS_BENCH_DB=PATH keeps the database (reused when it already holds enough rows).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql } from 'kysely';

const dist = new URL('../packages/server/dist/db/', import.meta.url);
if (!existsSync(new URL('image-query.js', dist))) {
  console.error('catalog.bench: build first with `npx tsc -b packages/fits packages/server`');
  process.exit(1);
}
const { openDatabase, inTransaction } = await import(new URL('connection.js', dist).href);
const { toImageHeadersRow, toImageRow } = await import(new URL('image.mapper.js', dist).href);
const { emptyMetadata } = await import(new URL('../ingest/normalize/metadata.js', dist).href);
const { emptyMetrics } = await import(new URL('../analysis/frame-metrics.js', dist).href);
const { keywordRows } = await import(new URL('images.repository.js', dist).href);
const { queryImages } = await import(new URL('image-query.js', dist).href);
const { imageFacets, nightsSummary } = await import(new URL('image-stats.js', dist).href);
const { parseSort } = await import(new URL('image-filters.js', dist).href);
const { JD_MINUS_MJD, MS_PER_DAY: DAY, mjdFromUnixMs } = await import(new URL('../util/time.js', dist).href);

const ROWS = Number(process.env.AIMS_BENCH_ROWS ?? 1_000_000);
// AIMS_BENCH_DB_URL=postgres://… runs the same bench on PostgreSQL (a database you can throw away).
const pgUrl = process.env.AIMS_BENCH_DB_URL;
const keep = process.env.AIMS_BENCH_DB;
const dir = keep || pgUrl ? null : mkdtempSync(join(tmpdir(), 'aims-bench-'));
const file = keep ?? (dir ? join(dir, 'aims.db') : null);
const url = pgUrl ?? `sqlite:${file}`;
const database = await openDatabase(url);

// Deterministic generator (mulberry32) so runs compare.
let seed = 1234;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(rnd() * list.length)];
const FILTERS = ['L', 'R', 'G', 'B', 'Ha', 'OIII', 'SII', 'V', 'r', 'g'];
const TELESCOPES = ['RC8', 'FSQ-106', 'CDK17', 'Seestar S50'];
const CAMERAS = ['ZWO ASI294MM', 'QHY600M', 'SBIG STL-11000M', 'ZWO ASI2600MC'];
const TYPES = ['light', 'light', 'light', 'light', 'light', 'light', 'dark', 'flat', 'bias'];
const OBJECTS = Array.from({ length: 300 }, (_, i) => ({
  name: i < 110 ? `M ${i + 1}` : `NGC ${1000 + i * 7}`,
  ra: rnd() * 360,
  dec: Math.asin(2 * rnd() - 1) * (180 / Math.PI),
}));
const START_MS = Date.UTC(2022, 0, 1);

function frame(n) {
  const nightIndex = Math.floor(n / 900); // ~900 frames a night
  const nightStart = START_MS + nightIndex * DAY + 19 * 3_600_000;
  const ms = nightStart + Math.floor(rnd() * 11 * 3_600_000);
  const d = new Date(ms);
  const type = pick(TYPES);
  const target = pick(OBJECTS);
  const light = type === 'light';
  const ra = light ? (target.ra + (rnd() - 0.5) * 0.5 + 360) % 360 : null;
  const dec = light ? Math.max(-90, Math.min(90, target.dec + (rnd() - 0.5) * 0.5)) : null;
  const exptime = type === 'bias' ? 0 : pick([10, 30, 60, 120, 180, 300, 600]);
  const fwhm = light ? 1.2 + rnd() * 3 : null;
  const filter = type === 'dark' || type === 'bias' ? null : pick(FILTERS);
  // Every field the bench does not set stays empty, as normalization leaves it.
  const metadata = {
    ...emptyMetadata(),
    date_obs: d.toISOString().slice(0, 19),
    date_obs_ms: ms,
    mjd_obs: mjdFromUnixMs(ms),
    jd_obs: mjdFromUnixMs(ms) + JD_MINUS_MJD,
    night: new Date(START_MS + nightIndex * DAY).toISOString().slice(0, 10),
    time_of_day_min: d.getUTCHours() * 60 + d.getUTCMinutes(),
    exptime,
    object_name: light ? target.name : null,
    image_type: type,
    image_type_raw: type.toUpperCase(),
    ra_deg: ra,
    dec_deg: dec,
    position_source: light ? 'ra_dec' : null,
    filter_name: filter,
    ccd_temp: -20 + rnd() * 25,
    set_temp: -10,
    gain: 100,
    offset: 10,
    xbinning: 1,
    ybinning: 1,
    telescope: pick(TELESCOPES),
    observatory: 'Bench Observatory',
    site_lat_deg: 45,
    site_lon_deg: 7,
    site_elev_m: 400,
    instrument: pick(CAMERAS),
    focal_length_mm: 1600,
    aperture_mm: 200,
    pixel_size_um: 4.63,
    focuser_position: 12000,
    focuser_temp: 5,
    airmass: light ? 1 + rnd() : null,
    software: 'N.I.N.A.',
    naxis: 2,
    naxis1: 4144,
    naxis2: 2822,
    bitpix: 16,
    pixel_scale_arcsec: 0.6,
    fov_width_deg: 0.7,
    fov_height_deg: 0.47,
    sun_alt_deg: -30,
    moon_illumination: rnd(),
    moon_separation_deg: rnd() * 180,
  };
  const headers = [
    {
      index: 0,
      type: 'IMAGE',
      cards: [
        { key: 'EXPTIME', value: exptime, comment: '' },
        { key: 'FILTER', value: filter ?? '', comment: '' },
        { key: 'XBINNING', value: 1, comment: '' },
      ],
    },
  ];
  return {
    root: '/bench',
    rel_path: `${metadata.night}/f${n}.fits`,
    size_bytes: 23_400_000,
    mtime_ms: ms + 5000,
    inode: n,
    sha256: n.toString(16).padStart(64, '0'),
    hdu_index: 0,
    metadata,
    normalization: null,
    quality: light
      ? {
          ...emptyMetrics(),
          background: 1000 + rnd() * 500,
          noise: 10 + rnd() * 5,
          star_count: Math.floor(rnd() * 2000),
          fwhm_px: fwhm / 0.6,
          fwhm_arcsec: fwhm,
          hfr_px: fwhm / 1.2,
          eccentricity: rnd() * 0.6,
          snr_weight: rnd() * 100,
          saturated_fraction: rnd() * 0.001,
        }
      : null,
    score: {
      quality_score: light ? rnd() * 100 : null,
      quality_flag: rnd() > 0.4,
      quality_components: null,
      quality_version: 1,
    },
    headers,
  };
}

const count = async () =>
  Number(
    (
      await database.db
        .selectFrom('images')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

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

const nights = Math.ceil(total / 900);
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
