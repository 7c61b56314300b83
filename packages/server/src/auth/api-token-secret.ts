import { createHash, randomBytes } from 'node:crypto';

/** API tokens look like `aims_…` so that they are told apart from session JWTs and found by secret scanners. */
export const API_TOKEN_PREFIX = 'aims_';

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/** A new API token: 256 random bits; only its hash is ever stored. */
export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

/**
 * SHA-256 is enough (no salt, no slow hash): the token is 256 random bits, so there is nothing to
 * guess, and a fast unique hash lets the lookup be one indexed equality.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
