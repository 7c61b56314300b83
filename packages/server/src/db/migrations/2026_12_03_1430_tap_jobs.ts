/**
 * `tap_jobs` and `tap_job_results`: the asynchronous TAP queries (UWS 1.1 jobs) and their results,
 * kept in the catalog so that any server process can answer for a job and any can run it. Results
 * are stored as text in chunks small enough for every engine's TEXT type.
 */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('tap_jobs')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('owner_id', d.types.bigint, (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('phase', 'varchar(16)', (c) => c.notNull())
      .addColumn('run_id', d.types.text)
      .addColumn('parameters', d.types.text, (c) => c.notNull())
      .addColumn('base_url', d.types.text, (c) => c.notNull())
      .addColumn('execution_duration_s', d.types.bigint, (c) => c.notNull())
      .addColumn('created_ms', d.types.bigint, (c) => c.notNull())
      .addColumn('started_ms', d.types.bigint)
      .addColumn('ended_ms', d.types.bigint)
      .addColumn('destruction_ms', d.types.bigint, (c) => c.notNull())
      .addColumn('error', d.types.text)
      .addColumn('result_type', d.types.text)
      .addColumn('result_rows', d.types.bigint)
      .addColumn('claimed_by', d.types.text)
      .execute();
    await db.schema.createIndex('tap_jobs_phase_idx').on('tap_jobs').columns(['phase', 'created_ms']).execute();
    await db.schema.createIndex('tap_jobs_owner_idx').on('tap_jobs').columns(['owner_id', 'created_ms']).execute();
    await db.schema.createIndex('tap_jobs_destruction_idx').on('tap_jobs').column('destruction_ms').execute();
    await db.schema
      .createTable('tap_job_results')
      .addColumn('job_id', 'varchar(40)', (c) => c.notNull().references('tap_jobs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('chunk', d.types.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('tap_job_results_pk', ['job_id', 'seq'])
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('tap_job_results').ifExists().execute();
    await db.schema.dropTable('tap_jobs').ifExists().execute();
  },
};
export default migration;
