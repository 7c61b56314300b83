/**
 * `catalog_copies`: where `aims migrate-catalog` stands in a catalog it is filling, one row per
 * copied table: the source it copies from, the key of the last row copied (JSON), the rows so far,
 * and when the table was finished. Written in the same transaction as each batch, so a copy that
 * was killed resumes after the last batch that committed. An integer id, not the table name, is the
 * key: MySQL cannot index a text column without a prefix length.
 */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('catalog_copies')
      .addColumn('id', d.types.id, d.idColumn)
      .addColumn('table_name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('after_key', 'text')
      .addColumn('rows_copied', d.types.bigint, (c) => c.notNull())
      .addColumn('started_at', d.types.bigint, (c) => c.notNull())
      .addColumn('finished_at', d.types.bigint)
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('catalog_copies').ifExists().execute();
  },
};
export default migration;
