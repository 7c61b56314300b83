/**
 * Every table the migrations define, as `aims migrate-catalog` copies them: in an order where a
 * row's foreign keys point at tables copied before it, each with the columns its batches are read
 * in order of. A test compares this list with the tables of a migrated catalog, and the copy
 * refuses a catalog with a table not named here, so a new table cannot be left behind silently.
 *
 *   COPIED_TABLES       table → batch key (unique, or grouping: see `unique`)
 *   NOT_COPIED_TABLES   tables a copy leaves alone, with the reason
 */

export interface CopiedTable {
  name: string;
  /** Columns of the order the source is read in; resuming continues after the last key copied. */
  key: readonly string[];
  /**
   * Whether the key is unique. A non-unique key (image_keywords' image_id) is cut between groups,
   * so that a batch always holds all rows of the keys it reaches.
   */
  unique: boolean;
}

export const COPIED_TABLES: readonly CopiedTable[] = [
  { name: 'users', key: ['id'], unique: true },
  { name: 'account_claims', key: ['key'], unique: true },
  { name: 'api_tokens', key: ['id'], unique: true },
  { name: 'sessions', key: ['id'], unique: true },
  { name: 'audit_log', key: ['id'], unique: true },
  { name: 'tap_jobs', key: ['id'], unique: true },
  { name: 'tap_job_results', key: ['job_id', 'seq'], unique: true },
  { name: 'images', key: ['id'], unique: true },
  { name: 'image_headers', key: ['image_id'], unique: true },
  { name: 'image_paths', key: ['id'], unique: true },
  { name: 'image_keywords', key: ['image_id'], unique: false },
  { name: 'ingest_ledger', key: ['id'], unique: true },
  { name: 'catalog_counts', key: ['field', 'key'], unique: true },
  { name: 'catalog_nights', key: ['night'], unique: true },
  { name: 'catalog_targets', key: ['object_key', 'filter_key'], unique: true },
  { name: 'catalog_target_nights', key: ['object_key', 'night'], unique: true },
  { name: 'catalog_value_counts', key: ['field', 'bucket'], unique: true },
  { name: 'libraries', key: ['id'], unique: true },
  // Copied too: a server following the outbox starts after its newest id, which the copy keeps.
  { name: 'event_outbox', key: ['id'], unique: true },
  { name: 'fixity_runs', key: ['id'], unique: true },
];

export const NOT_COPIED_TABLES: Readonly<Record<string, string>> = {
  catalog_copies: "the progress of a copy into this catalog, not the source's data",
};
