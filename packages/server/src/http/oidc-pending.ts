/**
 * What an OpenID Connect sign-in must remember between /auth/oidc/login and the callback (state,
 * nonce, PKCE verifier, where to return), in a short-lived signed HttpOnly cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OidcPending } from '../auth/oidc.client.js';
import { HttpError } from './errors.js';

const PENDING_COOKIE = 'aims_oidc';
const PENDING_PATH = '/api/auth/oidc';
/** Ten minutes to get through the provider's pages. */
const PENDING_MAX_AGE_SECONDS = 600;

export type PendingSignIn = OidcPending & { returnTo: string };

const SAME_ORIGIN_BASE = 'http://aims.invalid';

/**
 * A same-origin absolute path to come back to after sign-in; anything else is `/`, the page a
 * user expects after signing in. Browsers drop tabs and newlines from a URL and read `\` as `/`,
 * so `/\t/other.example/` and `/\other.example` mean `//other.example` (another site), and a CR
 * or LF cannot go into a Location header at all. Only printable ASCII is kept (browsers
 * percent-encode the rest of a path themselves); `//`, `\` and anything that resolves off-origin
 * are refused.
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !/^\/[\x21-\x7e]*$/.test(value) || value.startsWith('//') || value.includes('\\')) return '/';
  try {
    const url = new URL(value, SAME_ORIGIN_BASE);
    if (url.origin !== SAME_ORIGIN_BASE) return '/';
  } catch {
    return '/';
  }
  return value;
}

export function rememberPending(request: FastifyRequest, reply: FastifyReply, pending: PendingSignIn): void {
  const value = Buffer.from(JSON.stringify(pending)).toString('base64url');
  void reply.setCookie(PENDING_COOKIE, value, {
    signed: true,
    httpOnly: true,
    // Lax: the provider brings the browser back with a top-level GET, which carries it.
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: PENDING_PATH,
    maxAge: PENDING_MAX_AGE_SECONDS,
  });
}

/** Reads and drops the pending sign-in; 401 when it is missing, forged or unreadable. */
export function takePending(request: FastifyRequest, reply: FastifyReply): PendingSignIn {
  const raw = request.cookies[PENDING_COOKIE];
  void reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  if (!unsigned?.valid || unsigned.value === null)
    throw new HttpError(401, 'sign-in expired or was started elsewhere: start again');
  try {
    return JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as PendingSignIn;
  } catch {
    throw new HttpError(401, 'sign-in state is unreadable: start again');
  }
}
