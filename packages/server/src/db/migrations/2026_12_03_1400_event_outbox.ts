/**
 * `event_outbox`: what ingest did, written in the transaction of the change itself, so that every
 * `aims serve` can relay it to its event streams whichever process (`aims ingest`, `aims worker`,
 * another machine) made it. Rows are read by id and pruned by age (created_at); nothing else
 * refers to them. `payload` is JSON text on every engine: it is only ever handed on whole.
 */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('event_outbox')
      .addColumn('id', d.types.id, (c) => d.idColumn(c))
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('audience', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', d.types.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('event_outbox_created_at_idx').on('event_outbox').column('created_at').execute();
  },
  async down(db) {
    await db.schema.dropTable('event_outbox').ifExists().execute();
  },
};
export default migration;
