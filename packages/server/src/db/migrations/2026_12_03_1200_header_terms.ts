/**
 * The header index becomes terms and postings (docs/decisions/header-index.md): one row per card
 * in three (key, value, image) indexes cost most of a frame's catalog write. Each distinct value
 * of a keyword is now one `header_terms` row, and `header_postings` lists the images that carry
 * it, keyed (term, image, HDU) and stored as that key alone on SQLite. Existing keyword rows are
 * converted, then `image_keywords` is dropped.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

async function up(db: Kysely<unknown>, d: DialectInfo): Promise<void> {
  await db.schema
    .createTable('header_terms')
    .addColumn('id', d.types.id, (c) => d.idColumn(c))
    .addColumn('key', d.types.text, (c) => c.notNull())
    .addColumn('num_value', d.types.double)
    .addColumn('str_value', d.types.text)
    .execute();
  await db.schema
    .createTable('header_postings')
    .addColumn('term_id', d.types.bigint, (c) => c.notNull())
    .addColumn('image_id', d.types.bigint, (c) => c.notNull().references('images.id').onDelete('cascade'))
    .addColumn('hdu_index', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('header_postings_pkey', ['term_id', 'image_id', 'hdu_index'])
    .$call((b) => (d.supportsWithoutRowid ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  // Terms first, then their indexes, which the conversion's joins use.
  await sql`insert into header_terms (key, num_value, str_value)
            select distinct key, num_value, str_value from image_keywords`.execute(db);
  // The term's id in both: covering for the lookups of ingest and of filters.
  await db.schema
    .createIndex('header_terms_key_num_idx')
    .on('header_terms')
    .columns(['key', 'num_value', 'id'])
    .execute();
  await db.schema
    .createIndex('header_terms_key_str_idx')
    .on('header_terms')
    .columns(['key', 'str_value', 'id'])
    .execute();
  // One join per shape of value, so that each is an index lookup (a NULL never equals a NULL).
  await sql`insert into header_postings (term_id, image_id, hdu_index)
            select t.id, k.image_id, k.hdu_index from image_keywords k
            join header_terms t on t.key = k.key and t.num_value = k.num_value
            where k.str_value is null and t.str_value is null`.execute(db);
  await sql`insert into header_postings (term_id, image_id, hdu_index)
            select t.id, k.image_id, k.hdu_index from image_keywords k
            join header_terms t on t.key = k.key and t.str_value = k.str_value
            where k.num_value is null and t.num_value is null`.execute(db);
  await sql`insert into header_postings (term_id, image_id, hdu_index)
            select t.id, k.image_id, k.hdu_index from image_keywords k
            join header_terms t on t.key = k.key and t.str_value = k.str_value and t.num_value = k.num_value`.execute(
    db,
  );
  await db.schema
    .createIndex('header_postings_image_idx')
    .on('header_postings')
    .columns(['image_id', 'term_id'])
    .execute();
  await db.schema.dropTable('image_keywords').execute();
}

const migration: AimsMigration = { up };
export default migration;
