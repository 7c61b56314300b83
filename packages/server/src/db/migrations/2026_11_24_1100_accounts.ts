/**
 * Accounts: users, API tokens, the audit log, and the one-row claim that makes the first account
 * ever created an admin, race-safe on both dialects (a primary key, not a count).
 */
import type { Kysely } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import type { AimsMigration } from './migration.js';

async function up(db: Kysely<unknown>, d: DialectInfo): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', d.types.id, d.idColumn)
    // Always stored lower-cased, so the unique constraint is case-insensitive in both dialects.
    .addColumn('email', d.types.key, (c) => c.notNull().unique())
    .addColumn('display_name', d.types.text)
    .addColumn('password_hash', d.types.text)
    .addColumn('role', d.types.key, (c) => c.notNull().defaultTo('user'))
    .addColumn('can_download', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(false)))
    .addColumn('is_active', d.types.bool, (c) => c.notNull().defaultTo(d.toDbBool(true)))
    .addColumn('google_sub', d.types.key, (c) => c.unique())
    .addColumn('oidc_sub', d.types.key, (c) => c.unique())
    .addColumn('created_at', d.types.bigint, (c) => c.notNull())
    .addColumn('updated_at', d.types.bigint, (c) => c.notNull())
    .addColumn('last_login_at', d.types.bigint)
    .execute();

  // Whoever inserts the row with key 'first_admin' is the first account: two concurrent sign-ups
  // collide on the primary key and exactly one wins (ON CONFLICT DO NOTHING tells the loser).
  await db.schema
    .createTable('account_claims')
    .addColumn('key', d.types.key, (c) => c.primaryKey())
    .addColumn('user_id', d.types.bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('claimed_at', d.types.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', d.types.id, d.idColumn)
    .addColumn('user_id', d.types.bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', d.types.text, (c) => c.notNull())
    .addColumn('token_hash', d.types.key, (c) => c.notNull().unique())
    .addColumn('token_prefix', d.types.text, (c) => c.notNull())
    .addColumn('created_at', d.types.bigint, (c) => c.notNull())
    .addColumn('last_used_at', d.types.bigint)
    .addColumn('expires_at', d.types.bigint)
    .addColumn('revoked_at', d.types.bigint)
    .execute();
  await db.schema.createIndex('api_tokens_user_id_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', d.types.id, d.idColumn)
    .addColumn('at', d.types.bigint, (c) => c.notNull())
    // No foreign key: the log outlives the accounts it mentions.
    .addColumn('actor_id', d.types.bigint)
    .addColumn('actor_email', d.types.text)
    .addColumn('action', d.types.key, (c) => c.notNull())
    .addColumn('target', d.types.text)
    .addColumn('details', d.types.json)
    .addColumn('ip', d.types.text)
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_log_actor_at_idx').on('audit_log').columns(['actor_id', 'at']).execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'api_tokens', 'account_claims', 'users'])
    await db.schema.dropTable(table).ifExists().execute();
}

const migration: AimsMigration = { up, down };
export default migration;
