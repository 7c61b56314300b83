/**
 * Measured on a million-frame catalog: keeping every HDU's header (10–30 kB of JSON for real frames)
 * inside `images` spreads each row over overflow pages, and SQLite must walk them to reach the
 * columns stored after it. Headers and normalization notes move to `image_headers`, read only by
 * the detail view. Keyword indexes become covering (no table lookups), in both directions: from a
 * keyword to its images (`header.KEY` alone) and from an image to its keywords (with other filters).
 */
import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

async function up(db: Kysely<unknown>, d: DialectInfo): Promise<void> {
  await db.schema
    .createTable('image_headers')
    .addColumn('image_id', d.types.bigint, (c) => c.primaryKey().references('images.id').onDelete('cascade'))
    .addColumn('headers', d.types.json)
    .addColumn('normalization', d.types.json)
    .execute();
  await sql`insert into image_headers (image_id, headers, normalization)
            select id, headers, normalization from images`.execute(db);
  await db.schema.alterTable('images').dropColumn('headers').execute();
  await db.schema.alterTable('images').dropColumn('normalization').execute();

  await db.schema
    .createIndex('image_keywords_key_num_idx')
    .on('image_keywords')
    .columns(['key', 'num_value', 'image_id'])
    .execute();
  await db.schema
    .createIndex('image_keywords_key_str_idx')
    .on('image_keywords')
    .expression(sql`${sql.ref('key')}, ${d.indexPrefix('str_value', 255)}, image_id`)
    .execute();
  await db.schema
    .createIndex('image_keywords_image_key_idx')
    .on('image_keywords')
    .expression(sql`image_id, ${sql.ref('key')}, num_value, ${d.indexPrefix('str_value', 255)}`)
    .execute();

  // Dropped after their replacements exist: MySQL refuses to drop the index a foreign key uses.
  for (const name of ['image_keywords_num_idx', 'image_keywords_str_idx', 'image_keywords_image_id_idx'])
    await db.schema.dropIndex(name).$call(d.dropIndexOn('image_keywords')).execute();

  if (d.supportsNullsOrderInIndex)
    await db.schema
      .createIndex('images_date_obs_desc_idx')
      .on('images')
      .expression(sql`date_obs_ms desc nulls last, id desc`)
      .execute();
}

const migration: AimsMigration = { up };
export default migration;
