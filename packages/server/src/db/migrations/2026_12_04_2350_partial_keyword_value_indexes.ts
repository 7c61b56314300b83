/**
 * The two value indexes of `image_keywords`, (key, num_value, image_id) and (key, str_value,
 * image_id), hold only the rows that have such a value. A card has a number or a text, never both
 * (of 200,000 rows of the 1M bench catalog, 47 % numbers, 53 % text), so each index held about
 * half its entries for NULLs that no search asks for, and every keyword row of an ingest was
 * written into both (docs/performance.md, "Catalog writes", seventh session).
 *
 * Every `header.KEY` filter compares the value column it reads (`num_value >= ?`, `str_value = ?`),
 * and a comparison implies `IS NOT NULL` to both SQLite's and PostgreSQL's planners, so the same
 * queries reach the partial indexes (image-query.ts; keyword-value-indexes.test.ts checks the plans).
 * MySQL and MariaDB have no partial indexes: theirs stay whole, and this migration leaves them alone.
 *
 * Dropped and built again under the same names: on a catalog of a million frames (45M keyword
 * rows) that reads the table twice (docs/performance.md gives the time). Run again, it builds the
 * same two indexes.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

const VALUE_INDEXES = [
  { name: 'image_keywords_key_num_idx', column: 'num_value' },
  { name: 'image_keywords_key_str_idx', column: 'str_value' },
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against every past shape of the schema
async function build(db: Kysely<any>, d: DialectInfo, partial: boolean): Promise<void> {
  for (const { name, column } of VALUE_INDEXES) {
    await db.schema.dropIndex(name).ifExists().$call(d.dropIndexOn('image_keywords')).execute();
    const value = column === 'str_value' ? d.indexPrefix(column, 255) : sql.ref(column);
    await db.schema
      .createIndex(name)
      .on('image_keywords')
      .expression(sql`${sql.ref('key')}, ${value}, image_id`)
      .$call((b) => (partial ? b.where(sql.ref(column), 'is not', null) : b))
      .execute();
  }
}

const migration: AimsMigration = {
  async up(db, d) {
    if (d.supportsPartialIndex) await build(db, d, true);
  },
  async down(db, d) {
    if (d.supportsPartialIndex) await build(db, d, false);
  },
};
export default migration;
