/**
 * Server-side sessions: a signed JWT is only accepted while its `sid` names a live row here.
 *
 *   createSession(db, userId, maxSeconds, now)  → the new session id
 *   isSessionLive(db, sid, userId, now)         → the row exists, belongs to userId, is not revoked
 *                                                 and has not reached its absolute end
 *   revokeSession(db, sid)                      sign-out
 */
import { randomBytes } from 'node:crypto';
import type { Db } from './connection.js';

export async function createSession({ db }: Db, userId: number, maxSeconds: number, now = Date.now()): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ id, user_id: userId, created_at: now, expires_at: now + maxSeconds * 1000, revoked_at: null })
    .execute();
  return id;
}

export async function isSessionLive({ db }: Db, sid: string, userId: number, now = Date.now()): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', sid)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeSession({ db }: Db, sid: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sid)
    .where('revoked_at', 'is', null)
    .execute();
}
