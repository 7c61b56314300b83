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

/** A same-site path to come back to after sign-in; anything else (`//evil`, `https://…`) is `/`. */
export function safeReturnPath(value: string | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
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
