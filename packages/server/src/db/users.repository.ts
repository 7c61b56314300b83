/**
 * Accounts. E-mail addresses are stored lower-cased so that the unique constraint is
 * case-insensitive on both dialects.
 *
 *   createUser(db, input)            → { user, firstAdmin }  (the first account ever becomes admin)
 *   findUserById / findUserByEmail / findUserByExternalId
 *   findPasswordHash(db, email)      → { user, passwordHash } | null
 *   listUsers(db) / updateUser(db, id, patch) / linkExternalId(db, id, kind, subject)
 *   recordLogin(db, id) / countUsers(db)
 */
import type { Selectable, Updateable } from 'kysely';
import type { Role, User } from '../domain/user.js';
import type { UsersTable } from './accounts.schema.js';
import { type Db, inTransaction } from './connection.js';

type UserRow = Selectable<UsersTable>;

export type ExternalIdKind = 'google' | 'oidc';
const EXTERNAL_COLUMN = { google: 'google_sub', oidc: 'oidc_sub' } as const;

export const FIRST_ADMIN_CLAIM = 'first_admin';

export interface NewUser {
  email: string;
  displayName?: string | null;
  passwordHash?: string | null;
  role?: Role;
  canDownload?: boolean;
  isActive?: boolean;
  external?: { kind: ExternalIdKind; subject: string };
}

export interface UserPatch {
  role?: Role;
  canDownload?: boolean;
  isActive?: boolean;
  displayName?: string | null;
  passwordHash?: string;
}

export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
  readonly code = 'USER_EMAIL_TAKEN';
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function mapUser({ dialect }: Db, row: UserRow): User {
  return {
    id: Number(row.id),
    email: row.email,
    display_name: row.display_name,
    role: row.role === 'admin' ? 'admin' : 'user',
    can_download: dialect.fromDbBool(row.can_download),
    is_active: dialect.fromDbBool(row.is_active),
    has_password: row.password_hash !== null,
    google_linked: row.google_sub !== null,
    oidc_linked: row.oidc_sub !== null,
    created_at: iso(row.created_at) ?? '',
    last_login_at: iso(row.last_login_at),
  };
}

/**
 * Creates an account. In the same transaction it tries to take the 'first_admin' claim (a primary
 * key): only the very first account ever gets it, even when two sign-ups race, on either dialect —
 * the loser's insert conflicts (PostgreSQL waits for the winner's commit; SQLite serializes
 * writers). The winner is made an active admin who may download.
 */
export async function createUser(database: Db, input: NewUser): Promise<{ user: User; firstAdmin: boolean }> {
  const email = normalizeEmail(input.email);
  return inTransaction(database, async (tx) => {
    const { db, dialect } = tx;
    const now = Date.now();
    // Write first, read later: on SQLite a transaction that reads before it writes can be refused
    // with SQLITE_BUSY_SNAPSHOT when another process wrote in between; a first write instead waits
    // for the lock (busy_timeout). The unique constraint on email catches duplicates.
    const insert = db.insertInto('users').values({
      email,
      display_name: input.displayName ?? null,
      password_hash: input.passwordHash ?? null,
      role: input.role ?? 'user',
      can_download: dialect.toDbBool(input.canDownload ?? false),
      is_active: dialect.toDbBool(input.isActive ?? true),
      google_sub: input.external?.kind === 'google' ? input.external.subject : null,
      oidc_sub: input.external?.kind === 'oidc' ? input.external.subject : null,
      created_at: now,
      updated_at: now,
    });
    const id = dialect.supportsReturning
      ? Number((await insert.returning('id').executeTakeFirstOrThrow()).id)
      : Number((await insert.executeTakeFirstOrThrow()).insertId);
    const claim = await db
      .insertInto('account_claims')
      .values({ key: FIRST_ADMIN_CLAIM, user_id: id, claimed_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    const firstAdmin = Number(claim.numInsertedOrUpdatedRows ?? 0) === 1;
    if (firstAdmin)
      await db
        .updateTable('users')
        .set({ role: 'admin', is_active: dialect.toDbBool(true), can_download: dialect.toDbBool(true) })
        .where('id', '=', id)
        .execute();
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { user: mapUser(tx, row), firstAdmin };
  }).catch((error: unknown) => {
    if (/(unique|duplicate).*email/i.test(String((error as Error)?.message)))
      throw new DuplicateEmailError(`an account for ${email} exists already`);
    throw error;
  });
}

export async function findUserById(database: Db, id: number): Promise<User | null> {
  if (!Number.isSafeInteger(id)) return null;
  const row = await database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? mapUser(database, row) : null;
}

export async function findUserByEmail(database: Db, email: string): Promise<User | null> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? mapUser(database, row) : null;
}

export async function findUserByExternalId(database: Db, kind: ExternalIdKind, subject: string): Promise<User | null> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where(EXTERNAL_COLUMN[kind], '=', subject)
    .executeTakeFirst();
  return row ? mapUser(database, row) : null;
}

export async function findPasswordHash(
  database: Db,
  email: string,
): Promise<{ user: User; passwordHash: string | null } | null> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? { user: mapUser(database, row), passwordHash: row.password_hash } : null;
}

export async function listUsers(database: Db): Promise<User[]> {
  const rows = await database.db.selectFrom('users').selectAll().orderBy('id').execute();
  return rows.map((row) => mapUser(database, row));
}

export async function countUsers(database: Db): Promise<number> {
  const { n } = await database.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function updateUser(database: Db, id: number, patch: UserPatch): Promise<User | null> {
  const { db, dialect } = database;
  const values: Updateable<UsersTable> = { updated_at: Date.now() };
  if (patch.role !== undefined) values.role = patch.role;
  if (patch.canDownload !== undefined) values.can_download = dialect.toDbBool(patch.canDownload);
  if (patch.isActive !== undefined) values.is_active = dialect.toDbBool(patch.isActive);
  if (patch.displayName !== undefined) values.display_name = patch.displayName;
  if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
  await db.updateTable('users').set(values).where('id', '=', id).execute();
  return findUserById(database, id);
}

export async function linkExternalId(database: Db, id: number, kind: ExternalIdKind, subject: string): Promise<void> {
  await database.db
    .updateTable('users')
    .set({ [EXTERNAL_COLUMN[kind]]: subject, updated_at: Date.now() })
    .where('id', '=', id)
    .execute();
}

export async function recordLogin(database: Db, id: number): Promise<void> {
  await database.db.updateTable('users').set({ last_login_at: Date.now() }).where('id', '=', id).execute();
}
