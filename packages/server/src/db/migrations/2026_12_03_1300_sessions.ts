/**
 * `sessions`: one row per sign-in, named by the `sid` claim of its JWT. The authentication hook
 * checks it on every request, so sign-out (revoked_at) and the absolute lifetime (expires_at) end
 * a session at once, whatever the token's own expiry says.
 */
import type { AimsMigration } from './migration.js';

const migration: AimsMigration = {
  async up(db, d) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', d.types.key, (c) => c.primaryKey())
      .addColumn('user_id', d.types.bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', d.types.bigint, (c) => c.notNull())
      .addColumn('expires_at', d.types.bigint, (c) => c.notNull())
      .addColumn('revoked_at', d.types.bigint)
      .execute();
    await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
  },
  async down(db) {
    await db.schema.dropTable('sessions').ifExists().execute();
  },
};
export default migration;
