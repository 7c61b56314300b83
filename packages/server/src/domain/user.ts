/** Accounts as the API shows them (types only). */

export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  email: string;
  display_name: string | null;
  role: Role;
  /** Admins may always download; for users this flag decides. */
  can_download: boolean;
  is_active: boolean;
  /** How this account can sign in. */
  has_password: boolean;
  google_linked: boolean;
  oidc_linked: boolean;
  /** ISO 8601 UTC. */
  created_at: string;
  last_login_at: string | null;
}

export interface ApiToken {
  id: number;
  name: string;
  /** The first characters of the token, to recognise it in a list. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export function mayDownload(user: Pick<User, 'role' | 'can_download'>): boolean {
  return user.role === 'admin' || user.can_download;
}
