import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  BUCKETED_COLUMNS,
  type BucketedColumn,
  rebuildCatalogSummary,
  rebuildTargetSummary,
  rebuildValueCounts,
  utcDay,
} from '../../src/db/catalog-summary.js';
import type { Db } from '../../src/db/connection.js';
import type { NewImage } from '../../src/db/image.mapper.js';
import { objectKey } from '../../src/db/image.mapper.js';
import {
  FACET_FIELDS,
  imageFacets,
  imageFacetsByScan,
  nightsSummary,
  nightsSummaryByScan,
} from '../../src/db/image-stats.js';
import {
  insertImage,
  linkCopy,
  markMissing,
  markPresent,
  movePath,
  updateImage,
  updateQuality,
} from '../../src/db/images.repository.js';
import { deleteFramesOfRoot } from '../../src/db/libraries.repository.js';
import {
  summaryTargetFilterRows,
  summaryTargetRows,
  targetFilterRows,
  targetRows,
} from '../../src/db/targets.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { emptyQuality, makeImage, observedAt } from '../support/images.js';

const NIGHTS = ['2025-03-10', '2025-03-11', '2025-03-12'];
const FILTERS = ['Ha', 'ha', 'HA', 'R', null];
const TELESCOPES = ['RC8', 'rc8', 'CDK17', null];

function frame(i: number): NewImage {
  const night = NIGHTS[i % NIGHTS.length] as string;
  const light = i % 4 !== 3;
  const hour = 20 + (i % 8);
  const day = hour < 24 ? night : `${night.slice(0, 8)}${String(Number(night.slice(8)) + 1).padStart(2, '0')}`;
  return makeImage({
    metadata: {
      ...observedAt(`${day}T${String(hour % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`, night),
      filter_name: FILTERS[i % FILTERS.length] ?? null,
      telescope: TELESCOPES[i % TELESCOPES.length] ?? null,
      observatory: i % 2 ? 'Winer Observatory' : null,
      camera: i % 3 ? 'QHY600M' : 'qhy600m',
      instrument: 'QHY600M',
      image_type: light ? 'light' : 'dark',
      object_name: light ? ((['M 13', 'm13', 'NGC 7000'] as const)[i % 3] ?? null) : null,
      exptime: i % 5 === 0 ? null : 60 + i,
      ccd_temp: i % 6 === 0 ? null : -10 - (i % 7),
      // Values on both sides of bucket edges, negative ones, and ties.
      ra_deg: i % 4 === 2 ? null : (i * 47.3) % 360,
      dec_deg: i % 4 === 2 ? null : -60 + (i % 11) * 12.03125,
      airmass: light ? 1 + (i % 6) * 0.0009765625 : null,
      rotator_angle_deg: (i * 31.7) % 360,
    },
    quality: light
      ? { ...emptyQuality(), fwhm_arcsec: 1.5 + (i % 9) * 0.25, fwhm_px: 3 + (i % 5) * 0.5, star_count: 100 + (i % 4) }
      : {},
    score: { quality_score: light ? (i * 37) % 100 : null, quality_flag: i % 3 === 0 },
  });
}

/** The summary against a count of every frame, field by field. */
async function expectExact(db: Db): Promise<void> {
  const normalize = (field: string, value: string) =>
    field === 'object_name'
      ? objectKey(value)
      : field === 'night' || field === 'image_type'
        ? value
        : value.toLowerCase();
  const fromSummary = await imageFacets(db, {}, { limit: 10_000 });
  const fromScan = await imageFacetsByScan(db, {}, { limit: 10_000 });
  for (const field of FACET_FIELDS)
    expect(
      fromSummary[field].map((f) => [normalize(field, f.value), f.count]),
      field,
    ).toEqual(fromScan[field].map((f) => [normalize(field, f.value), f.count]));

  const nights = await nightsSummary(db, {}, { limit: 1000 });
  const scanned = await nightsSummaryByScan(db, {}, { limit: 1000 });
  expect(nights.map((n) => n.night)).toEqual(scanned.map((n) => n.night));
  for (const [i, n] of nights.entries()) {
    const s = scanned[i];
    if (!s) throw new Error('missing night');
    expect({ ...n, mean_quality: null, exposure_seconds: null }).toEqual({
      ...s,
      mean_quality: null,
      exposure_seconds: null,
    });
    expect(n.exposure_seconds).toBeCloseTo(s.exposure_seconds, 6);
    if (s.mean_quality === null) expect(n.mean_quality).toBeNull();
    else expect(n.mean_quality).toBeCloseTo(s.mean_quality, 6);
  }

  const counts = await db.db.selectFrom('catalog_counts').selectAll().execute();
  const total = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const star = counts.find((c) => c.field === '*');
  expect(Number(star?.frames ?? 0)).toBe(Number(total.n));
  const dates = await db.db.selectFrom('images').select('date_obs_ms').where('date_obs_ms', 'is not', null).execute();
  const byDay = new Map<string, number>();
  for (const r of dates) byDay.set(utcDay(Number(r.date_obs_ms)), (byDay.get(utcDay(Number(r.date_obs_ms))) ?? 0) + 1);
  expect(new Map(counts.filter((c) => c.field === 'day').map((c) => [c.key, Number(c.frames)]))).toEqual(byDay);
  const observatories = await sql<{ k: string; n: number }>`
    select lower(observatory) as k, count(*) as n from images where observatory is not null group by 1`.execute(db.db);
  expect(new Map(counts.filter((c) => c.field === 'observatory').map((c) => [c.key, Number(c.frames)]))).toEqual(
    new Map(observatories.rows.map((r) => [r.k, Number(r.n)])),
  );
  // No row is left at zero.
  expect(counts.every((c) => Number(c.frames) > 0)).toBe(true);

  // Targets: the summary rows against a grouping of every light frame.
  const byKey = <T extends { object_key: string }>(rows: T[]) =>
    [...rows].sort((a, b) => (a.object_key < b.object_key ? -1 : a.object_key > b.object_key ? 1 : 0));
  const targets = byKey(await summaryTargetRows(db));
  const scannedTargets = byKey(await targetRows(db));
  expect(targets.map((r) => [r.object_key, r.frames, r.nights, r.first_ms, r.last_ms])).toEqual(
    scannedTargets.map((r) => [r.object_key, r.frames, r.nights, r.first_ms, r.last_ms]),
  );
  for (const [i, r] of targets.entries())
    for (const c of ['x', 'y', 'z'] as const) {
      const scannedValue = scannedTargets[i]?.[c] ?? null;
      if (scannedValue === null) expect(r[c]).toBeNull();
      else expect(r[c]).toBeCloseTo(scannedValue, 9);
    }
  const filterOf = (r: { object_key: string; filter_name: string | null }) =>
    `${r.object_key}/${(r.filter_name ?? '').toLowerCase()}`;
  const perFilter = (rows: Awaited<ReturnType<typeof targetFilterRows>>) =>
    rows
      .map((r) => [filterOf(r), r.frames, r.good_frames, r.integration_seconds, r.good_integration_seconds] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const fromTargets = perFilter(await summaryTargetFilterRows(db));
  const scannedFilters = perFilter(await targetFilterRows(db));
  expect(fromTargets.map((r) => [r[0], r[1], r[2]])).toEqual(scannedFilters.map((r) => [r[0], r[1], r[2]]));
  for (const [i, r] of fromTargets.entries()) {
    expect(r[3]).toBeCloseTo(scannedFilters[i]?.[3] ?? Number.NaN, 6);
    expect(r[4]).toBeCloseTo(scannedFilters[i]?.[4] ?? Number.NaN, 6);
  }
  expect(fromTargets.length).toBeGreaterThan(0);

  // Value buckets: each column's frames per floor(value × scale), against the frames themselves.
  const columns = Object.keys(BUCKETED_COLUMNS) as BucketedColumn[];
  const values = await db.db.selectFrom('images').select(columns).execute();
  const kept = await db.db.selectFrom('catalog_value_counts').selectAll().execute();
  for (const column of columns) {
    const expected = new Map<number, number>();
    for (const r of values) {
      const v = r[column];
      if (v === null) continue;
      const bucket = Math.floor(Number(v) * BUCKETED_COLUMNS[column]);
      expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
    }
    expect(expected.size, column).toBeGreaterThan(1);
    expect(
      new Map(kept.filter((k) => k.field === column).map((k) => [Number(k.bucket), Number(k.frames)])),
      column,
    ).toEqual(expected);
  }
  expect(kept.every((k) => Number(k.frames) > 0)).toBe(true);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: summary tables stay exact through every write`, () => {
    const t = useTestDatabase(dialect);

    it('insert, duplicate insert, update, re-score, missing/present, move, copy, and a rebuild', async () => {
      const db = t.database;
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) ids.push((await insertImage(db, frame(i))).id);
      await expectExact(db);

      // An exact duplicate is not a new frame.
      const again = frame(1);
      const first = await db.db
        .selectFrom('images')
        .select('sha256')
        .where('id', '=', ids[1] as number)
        .executeTakeFirstOrThrow();
      expect((await insertImage(db, { ...again, sha256: first.sha256 })).status).toBe('duplicate');
      await expectExact(db);

      // New content at a path: another night, telescope, filter, FWHM; the earliest frame of its night.
      const earliest = await db.db
        .selectFrom('images')
        .select(['id', 'root', 'rel_path'])
        .where('night', '=', '2025-03-10')
        .orderBy('date_obs_ms')
        .executeTakeFirstOrThrow();
      const moved = frame(100);
      moved.metadata = { ...moved.metadata, ...observedAt('2025-03-13T02:00:00', '2025-03-12'), telescope: 'FSQ' };
      await updateImage(db, earliest.id, { ...moved, root: earliest.root, rel_path: earliest.rel_path });
      await expectExact(db);

      // The same content again changes nothing.
      await updateImage(db, earliest.id, { ...moved, root: earliest.root, rel_path: earliest.rel_path });
      await expectExact(db);

      // Re-analysis and re-scoring: FWHM, score and flag change.
      await updateQuality(
        db,
        ids[4] as number,
        { ...emptyQuality(), fwhm_arcsec: 9.5, fwhm_px: 19 },
        { quality_score: 3, quality_flag: true, quality_components: null, quality_version: 2 },
      );
      await updateQuality(db, ids[5] as number, emptyQuality(), {
        quality_score: null,
        quality_flag: false,
        quality_components: null,
        quality_version: 2,
      });
      await expectExact(db);

      // Missing and present frames are counted alike; moves and copies change no count.
      const some = await db.db
        .selectFrom('images')
        .select(['id', 'root', 'rel_path'])
        .where('id', '=', ids[7] as number)
        .executeTakeFirstOrThrow();
      await markMissing(db, some.root, some.rel_path);
      await expectExact(db);
      await markPresent(db, some.root, some.rel_path);
      await movePath(db, some.id, some.root, `${some.rel_path}.moved`);
      await linkCopy(db, some.id, '/copies', 'x.fits');
      await expectExact(db);

      // Every frame of a night moves away: the night's row goes.
      const lastNight = await db.db
        .selectFrom('images')
        .select(['id', 'root', 'rel_path'])
        .where('night', '=', '2025-03-11')
        .execute();
      for (const r of lastNight) {
        const f = frame(200 + r.id);
        f.metadata = { ...f.metadata, night: '2025-03-12' };
        await updateImage(db, r.id, { ...f, root: r.root, rel_path: r.rel_path });
      }
      expect(
        await db.db.selectFrom('catalog_nights').select('night').where('night', '=', '2025-03-11').execute(),
      ).toEqual([]);
      await expectExact(db);

      // Frames removed with their folder (a library deleted): targets, nights and counts follow.
      const gone = await db.db
        .selectFrom('images')
        .select(['id', 'root', 'rel_path'])
        .where('id', 'in', [ids[10] as number, ids[13] as number, ids[14] as number])
        .execute();
      for (const [k, r] of gone.entries()) await movePath(db, r.id, '/removed', `r${k}.fits`);
      expect(await deleteFramesOfRoot(db, '/removed')).toBe(gone.length);
      await expectExact(db);

      // A rebuild from images finds exactly what the writes kept.
      const before = await db.db.selectFrom('catalog_counts').selectAll().orderBy('field').orderBy('key').execute();
      const nightsBefore = await nightsSummary(db, {}, { limit: 100 });
      await rebuildCatalogSummary(db);
      const targetsBefore = await db.db
        .selectFrom('catalog_targets')
        .select(['object_key', 'filter_key', 'frames', 'good_frames'])
        .orderBy('object_key')
        .orderBy('filter_key')
        .execute();
      await rebuildTargetSummary(db);
      const bucketsBefore = await db.db
        .selectFrom('catalog_value_counts')
        .selectAll()
        .orderBy('field')
        .orderBy('bucket')
        .execute();
      await rebuildValueCounts(db);
      expect(
        (await db.db.selectFrom('catalog_value_counts').selectAll().orderBy('field').orderBy('bucket').execute()).map(
          (r) => [r.field, Number(r.bucket), Number(r.frames)],
        ),
      ).toEqual(bucketsBefore.map((r) => [r.field, Number(r.bucket), Number(r.frames)]));
      expect(
        await db.db
          .selectFrom('catalog_targets')
          .select(['object_key', 'filter_key', 'frames', 'good_frames'])
          .orderBy('object_key')
          .orderBy('filter_key')
          .execute(),
      ).toEqual(targetsBefore);
      await expectExact(db);
      expect(
        (await db.db.selectFrom('catalog_counts').selectAll().orderBy('field').orderBy('key').execute()).map((r) => [
          r.field,
          r.key,
          Number(r.frames),
        ]),
      ).toEqual(before.map((r) => [r.field, r.key, Number(r.frames)]));
      const nightsAfter = await nightsSummary(db, {}, { limit: 100 });
      expect(nightsAfter.map((n) => [n.night, n.frames, n.median_fwhm_arcsec, n.flagged])).toEqual(
        nightsBefore.map((n) => [n.night, n.frames, n.median_fwhm_arcsec, n.flagged]),
      );
    });

    it('whole-catalog facets and nights add up to the frames', async () => {
      const db = t.database;
      for (let i = 0; i < 5; i++) await insertImage(db, frame(i));
      const facets = await imageFacets(db, {}, { limit: 100 });
      expect(facets.image_type.reduce((s, f) => s + f.count, 0)).toBe(5);
      expect((await nightsSummary(db, {})).reduce((s, n) => s + n.frames, 0)).toBe(5);
    });
  });
}
