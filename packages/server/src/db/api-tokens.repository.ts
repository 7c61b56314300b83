/**
 * API tokens for scripts and pipelines: named, revocable, stored as a SHA-256 hash only.
 *
 *   createApiToken(db, {userId, name, tokenHash, prefix, expiresAt}) → ApiToken
 *   listApiTokens(db, userId)              the live (not revoked) tokens of a user
 *   findApiTokenOwner(db, tokenHash)       → { tokenId, user } of a live, unexpired token, or null
 *   revokeApiToken(db, userId, tokenId)    → true when a live token of this user was revoked
 */
import type { Selectable } from 'kysely';
import type { ApiToken, User } from '../domain/user.js';
import type { ApiTokensTable } from './accounts.schema.js';
import type { Db } from './connection.js';
import { mapUser } from './users.repository.js';

type ApiTokenRow = Selectable<ApiTokensTable>;

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function mapApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: Number(row.id),
    name: row.name,
    prefix: row.token_prefix,
    created_at: iso(row.created_at) ?? '',
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
  };
}

export async function createApiToken(
  { db, dialect }: Db,
  input: { userId: number; name: string; tokenHash: string; prefix: string; expiresAt: number | null },
): Promise<ApiToken> {
  const insert = db.insertInto('api_tokens').values({
    user_id: input.userId,
    name: input.name,
    token_hash: input.tokenHash,
    token_prefix: input.prefix,
    created_at: Date.now(),
    expires_at: input.expiresAt,
  });
  const row = dialect.supportsReturning
    ? await insert.returningAll().executeTakeFirstOrThrow()
    : await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', Number((await insert.executeTakeFirstOrThrow()).insertId))
        .executeTakeFirstOrThrow();
  return mapApiToken(row);
}

export async function listApiTokens({ db }: Db, userId: number): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(mapApiToken);
}

// last_used_at is a hint for the owner, not an audit trail: writing it on every request would turn
// every read into a write, so it is refreshed at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The token's account comes in the same query: one round trip authenticates a request. */
export async function findApiTokenOwner(
  database: Db,
  tokenHash: string,
  now = Date.now(),
): Promise<{ tokenId: number; user: User } | null> {
  const { db } = database;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.expires_at as token_expires_at',
      'api_tokens.last_used_at as token_last_used_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.token_expires_at !== null && Number(row.token_expires_at) <= now) return null;
  if (row.token_last_used_at === null || now - Number(row.token_last_used_at) > LAST_USED_RESOLUTION_MS)
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  return { tokenId: Number(row.token_id), user: mapUser(database, row) };
}

export async function revokeApiToken({ db }: Db, userId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: Date.now() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
