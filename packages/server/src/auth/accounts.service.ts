/**
 * Sign-up, sign-in and external identities, on top of the users repository. Policy decisions live
 * here (not in the routes) so that the HTTP API and the CLI apply the same rules.
 */
import type { Config } from '../config/config.js';
import type { Db } from '../db/connection.js';
import {
  createUser,
  DuplicateEmailError,
  type ExternalIdKind,
  findPasswordHash,
  findUserByEmail,
  findUserByExternalId,
  findUserById,
  linkExternalId,
  normalizeEmail,
  recordLogin,
  updateUser,
} from '../db/users.repository.js';
import type { User } from '../domain/user.js';
import type { ExternalIdentity } from './google-id-token.js';
import { burnVerification, hashPassword, passwordProblem, verifyPassword } from './password.js';

export type AccountErrorCode =
  | 'AUTH_INVALID_CREDENTIALS'
  | 'AUTH_ACCOUNT_INACTIVE'
  | 'AUTH_SIGNUP_CLOSED'
  | 'AUTH_DOMAIN_NOT_ALLOWED'
  | 'AUTH_EMAIL_TAKEN'
  | 'AUTH_WEAK_PASSWORD'
  | 'AUTH_INVALID_EMAIL'
  | 'AUTH_NO_SUCH_USER'
  /** An administrator removing their own admin role or deactivating themself. */
  | 'AUTH_SELF_LOCKOUT';

export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SignupPolicy = Pick<Config, 'signup' | 'allowedDomains'>;

// Deliberately loose (RFC 5322 allows far more); the address is proven by the identity provider
// or by the people who run the observatory, not by a regular expression.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (!EMAIL.test(normalized) || normalized.length > 254)
    throw new AccountError('AUTH_INVALID_EMAIL', 'email must be an e-mail address');
  return normalized;
}

/** Refuses a new account that the sign-up policy does not allow. */
export function checkSignupAllowed(policy: SignupPolicy, email: string): void {
  if (policy.signup === 'closed')
    throw new AccountError('AUTH_SIGNUP_CLOSED', 'sign-up is closed: ask an administrator for an account');
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (policy.allowedDomains.length > 0 && !policy.allowedDomains.includes(domain))
    throw new AccountError(
      'AUTH_DOMAIN_NOT_ALLOWED',
      `sign-up is limited to addresses at ${policy.allowedDomains.join(', ')}`,
    );
}

export interface SignupResult {
  user: User;
  /** True when the account waits for an administrator (policy `approval`). */
  pendingApproval: boolean;
  firstAdmin: boolean;
  /** True when this call created the account (a sign-up, not a sign-in). */
  created: boolean;
}

export interface SignupInput {
  email: string;
  displayName?: string | null;
  /** A password account; without it, the account signs in through `external` only. */
  password?: string;
  /** The identity that proved the e-mail address (Google, OpenID Connect). */
  external?: { kind: ExternalIdKind; subject: string };
}

/**
 * Every new account, whichever way it comes: the address checked, the sign-up policy applied
 * (closed, allowed domains, approval), the password checked and hashed. The first account ever
 * created becomes an administrator (decided race-safe by the repository).
 */
export async function signUp(db: Db, policy: SignupPolicy, input: SignupInput): Promise<SignupResult> {
  const email = checkEmail(input.email);
  checkSignupAllowed(policy, email);
  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw new AccountError('AUTH_WEAK_PASSWORD', problem);
    passwordHash = await hashPassword(input.password);
  }
  try {
    const { user, firstAdmin } = await createUser(db, {
      email,
      displayName: input.displayName ?? null,
      passwordHash,
      external: input.external,
      isActive: policy.signup !== 'approval',
    });
    return { user, firstAdmin, pendingApproval: !user.is_active, created: true };
  } catch (error) {
    if (error instanceof DuplicateEmailError)
      throw new AccountError('AUTH_EMAIL_TAKEN', 'this e-mail address has an account already: sign in with it');
    throw error;
  }
}

/**
 * Checks e-mail and password. Unknown address, no password and wrong password all give the same
 * error after the same work, so that the answer does not reveal which accounts exist.
 */
export async function loginWithPassword(db: Db, email: string, password: string): Promise<User> {
  const found = await findPasswordHash(db, email);
  if (!found?.passwordHash) {
    await burnVerification(password);
    throw new AccountError('AUTH_INVALID_CREDENTIALS', 'wrong e-mail or password');
  }
  if (!(await verifyPassword(password, found.passwordHash)))
    throw new AccountError('AUTH_INVALID_CREDENTIALS', 'wrong e-mail or password');
  if (!found.user.is_active) throw new AccountError('AUTH_ACCOUNT_INACTIVE', 'this account is not active');
  await recordLogin(db, found.user.id);
  return found.user;
}

/**
 * Signs in with an identity proven by Google or an OpenID Connect provider: the account linked to
 * that identity, else the account with the same (verified) e-mail address, which gets linked, else
 * a new account if the sign-up policy allows it.
 */
export async function signInExternal(
  db: Db,
  policy: SignupPolicy,
  kind: ExternalIdKind,
  identity: ExternalIdentity,
): Promise<SignupResult> {
  let user = await findUserByExternalId(db, kind, identity.subject);
  let result: SignupResult | undefined;
  if (!user) {
    const byEmail = await findUserByEmail(db, identity.email);
    if (byEmail) {
      await linkExternalId(db, byEmail.id, kind, identity.subject);
      user = await findUserById(db, byEmail.id);
    }
  }
  if (!user) {
    result = await signUp(db, policy, {
      email: identity.email,
      displayName: identity.name,
      external: { kind, subject: identity.subject },
    });
    user = result.user;
  }
  if (!user.is_active) {
    if (result?.pendingApproval) return result;
    throw new AccountError('AUTH_ACCOUNT_INACTIVE', 'this account is not active');
  }
  await recordLogin(db, user.id);
  return result ?? { user, pendingApproval: false, firstAdmin: false, created: false };
}

export interface AccountChange {
  role?: User['role'] | undefined;
  can_download?: boolean | undefined;
  is_active?: boolean | undefined;
}

/**
 * An administrator changes an account: role, download right, activity. Nobody can remove their own
 * admin role or deactivate themself, so the last administrator cannot leave nobody in charge.
 * Returns the account before and after, and what changed (for the audit log).
 */
export async function changeAccount(
  db: Db,
  actorId: number,
  targetId: number,
  change: AccountChange,
): Promise<{ user: User; changes: Record<string, { from: unknown; to: unknown }> }> {
  const before = await findUserById(db, targetId);
  if (!before) throw new AccountError('AUTH_NO_SUCH_USER', 'no such user');
  if (before.id === actorId && (change.role === 'user' || change.is_active === false))
    throw new AccountError('AUTH_SELF_LOCKOUT', 'you cannot remove your own admin role or deactivate yourself');
  const after = await updateUser(db, before.id, {
    role: change.role,
    canDownload: change.can_download,
    isActive: change.is_active,
  });
  if (!after) throw new AccountError('AUTH_NO_SUCH_USER', 'no such user');
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ['role', 'can_download', 'is_active'] as const)
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  return { user: after, changes };
}
