/**
 * The benches' bulk loader (bench/catalog-load.mjs, COPY with indexes built afterwards) writes the
 * catalog ingest writes: the same frames put through insertImage, one transaction each, give the
 * same rows in every table, the same indexes and keys, the same id sequence, and summary tables
 * equal to a rebuild. PostgreSQL only (COPY); the loader runs from the build (dist/).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the benches, without types
import { frameAt } from '../../../../bench/catalog-frames.mjs';
// @ts-expect-error: a plain ES module of the benches, without types
import { generateByCopy, generateByInsert } from '../../../../bench/catalog-load.mjs';
import { rebuildCatalogSummary, rebuildValueCounts } from '../../src/db/catalog-summary.js';
import { inTransaction } from '../../src/db/connection.js';
import type { NewImage } from '../../src/db/image.mapper.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS, withTestDatabase } from '../support/databases.js';

const FRAMES = 1500;
const NOW_MS = 1_764_000_000_000;

/** Everything a catalog holds that a load could get wrong, as comparable text. */
async function snapshot(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (
      await client.query<{ t: string }>(
        "select table_name as t from information_schema.tables where table_schema = 'public' order by 1",
      )
    ).rows.map((r) => r.t);
    const out: Record<string, unknown> = {};
    // kysely_migration holds when each migration ran: not part of what is compared.
    for (const t of tables.filter((name) => !name.startsWith('kysely_'))) {
      // Sums of doubles depend on the order the rows are added in (the rebuild's plan differs
      // with and without the secondary indexes): compared to 9 decimals.
      const row =
        t === 'catalog_targets'
          ? `(object_key, filter_key, object_name, filter_name, frames, good_frames, exposure_s, good_exposure_s,
              pos_n, round(pos_x::numeric, 9), round(pos_y::numeric, 9), round(pos_z::numeric, 9))`
          : 'x';
      const r = await client.query(
        `select count(*)::int as n, md5(coalesce(string_agg(${row}::text, E'\\n' order by ${row}::text), '')) as digest from ${t} x`,
      );
      out[`rows of ${t}`] = r.rows[0];
    }
    out['frames of catalog_counts'] = (
      await client.query(
        "select md5(string_agg(field || ':' || key || ':' || frames, ',' order by field, key)) as digest from catalog_counts",
      )
    ).rows[0];
    out.indexes = (
      await client.query("select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1")
    ).rows;
    out.constraints = (
      await client.query(
        `select conrelid::regclass::text as t, conname, pg_get_constraintdef(oid) as def, convalidated
         from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`,
      )
    ).rows;
    out.sequence = (await client.query('select last_value, is_called from images_id_seq')).rows[0];
    return out;
  } finally {
    await client.end();
  }
}

describe.runIf(DIALECTS.includes('postgres'))('bench catalog loaded by COPY (postgres)', () => {
  it('equals the same frames ingested one by one, and its summary equals a rebuild', async () => {
    const quiet = () => {};
    const ingested = await withTestDatabase('postgres', async (database, url) => {
      for (let n = 0; n < FRAMES; n++) await insertImage(database, frameAt(n) as NewImage, { nowMs: NOW_MS });
      const kept = await snapshot(url);
      await inTransaction(database, async (tx) => {
        await rebuildCatalogSummary(tx);
        await rebuildValueCounts(tx);
      });
      const rebuilt = await snapshot(url);
      // Ingest shows a value in the spelling it met first ('sii' of one camera), a rebuild the
      // smallest ('SII' of another): the counts agree, the loader writes the rebuild's spelling.
      const { 'rows of catalog_counts': _kept, ...keptRest } = kept;
      const { 'rows of catalog_counts': _rebuilt, ...rebuiltRest } = rebuilt;
      expect(rebuiltRest, 'summary kept by ingest equals a rebuild').toEqual(keptRest);
      return rebuilt;
    });
    const copied = await withTestDatabase('postgres', async (database, url) => {
      // Rounds of 400 frames: several COPY rounds, the last one short.
      await generateByCopy(database, url, FRAMES, { now: () => NOW_MS, log: quiet, batch: 400 });
      return snapshot(url);
    });
    expect(copied).toEqual(ingested);
    const inserted = await withTestDatabase('postgres', async (database, url) => {
      await generateByInsert(database, 0, FRAMES, { now: () => NOW_MS, log: quiet });
      return snapshot(url);
    });
    expect(inserted).toEqual(ingested);
    expect((copied['rows of images'] as { n: number }).n).toBe(FRAMES);
    expect((copied['rows of image_keywords'] as { n: number }).n).toBeGreaterThan(FRAMES * 10);
    expect((copied['rows of catalog_nights'] as { n: number }).n).toBe(FRAMES / 300);
  }, 300_000);
});
