/**
 * Row shapes of the account tables (migration 2026_11_24_1100_accounts), joined into `Schema` in
 * schema.ts. Instants are epoch milliseconds; booleans are DbBool (see dialect.ts).
 */
import type { Generated } from 'kysely';
import type { DbBool } from './dialect.js';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string | null;
  password_hash: string | null;
  role: string;
  can_download: DbBool;
  is_active: DbBool;
  google_sub: string | null;
  /** `issuer|sub` of an OpenID Connect provider. */
  oidc_sub: string | null;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface AccountClaimsTable {
  key: string;
  user_id: number;
  claimed_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  token_prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

/** One sign-in (migration 2026_12_03_1300_sessions); `id` is the `sid` claim of its JWT. */
export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: number;
  /** The absolute end (AIMS_SESSION_MAX_DAYS after sign-in); renewing the cookie never moves it. */
  expires_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: unknown;
  ip: string | null;
}

export interface AccountsSchema {
  users: UsersTable;
  account_claims: AccountClaimsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
}
