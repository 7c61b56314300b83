import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';

/**
 * A migration gets the dialect so it can pick column types (jsonb vs text, boolean vs integer)
 * without naming the dialect. `Kysely<any>`: a migration must not depend on today's Schema type,
 * which describes the end state after all migrations.
 */
export interface AimsMigration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against every past shape of the schema
  up(db: Kysely<any>, dialect: DialectInfo): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  down?(db: Kysely<any>, dialect: DialectInfo): Promise<void>;
}
