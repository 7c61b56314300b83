/**
 * Server-side sessions: a signed JWT is only accepted while its `sid` names a live row here.
 *
 *   createSession(db, userId, maxSeconds, now)  → the new session id
 *   findSessionUser(db, sid, userId, now)       → the account of a live session: the row exists,
 *                                                 belongs to userId, is not revoked and has not
 *                                                 reached its absolute end; else null
 *   revokeSession(db, sid)                      sign-out
 */
import { randomBytes } from 'node:crypto';
import type { User } from '../domain/user.js';
import type { Db } from './connection.js';
import { mapUser } from './users.repository.js';

export async function createSession({ db }: Db, userId: number, maxSeconds: number, now = Date.now()): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ id, user_id: userId, created_at: now, expires_at: now + maxSeconds * 1000, revoked_at: null })
    .execute();
  return id;
}

/** The session's account comes in the same query: one round trip authenticates a request. */
export async function findSessionUser(
  database: Db,
  sid: string,
  userId: number,
  now = Date.now(),
): Promise<User | null> {
  const row = await database.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', sid)
    .where('sessions.user_id', '=', userId)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  return row ? mapUser(database, row) : null;
}

export async function revokeSession({ db }: Db, sid: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sid)
    .where('revoked_at', 'is', null)
    .execute();
}
