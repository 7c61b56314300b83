/**
 * Authentication and authorization: ONE onRequest hook on the /api scope. It identifies the caller
 * (API token or JWT, as Bearer or as the password of HTTP Basic; or the session cookie), looks the account up on every request (so that a
 * deactivation or a role change applies to tokens already issued) in the same query as the token or
 * session, checks that a session JWT's
 * server-side session is neither signed out nor past its absolute end, refuses cross-site unsafe
 * requests that ride on the cookie, and enforces the route's `config.access` level.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiToken, isApiToken } from '../auth/api-token-secret.js';
import { SESSION_RENEW_AFTER_SECONDS, type SessionTokens } from '../auth/session-token.js';
import { findApiTokenOwner } from '../db/api-tokens.repository.js';
import type { Db } from '../db/connection.js';
import { findSessionUser } from '../db/sessions.repository.js';
import { mayDownload, type User } from '../domain/user.js';
import { forbidden, unauthorized } from './errors.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie.js';

/**
 * Who may call a route:
 *   public   anyone (health, docs, sign-in)
 *   read     signed-in users; anonymous too when AIMS_PUBLIC_READ=true (catalog metadata)
 *   user     signed-in users
 *   download users with can_download, and admins
 *   admin    admins
 */
export type Access = 'public' | 'read' | 'user' | 'download' | 'admin';
export type AuthVia = 'cookie' | 'bearer' | 'api-token';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    authVia: AuthVia | null;
    /**
     * Whether the same credentials would still be let in now (session not signed out or expired,
     * account active, access level still held): long-lived answers such as event streams ask it.
     * When they would, `user` is refreshed to the account as it is now (its role may have changed).
     */
    stillAllowed: () => Promise<boolean>;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface AuthenticationOptions {
  database: Db;
  sessions: SessionTokens;
  publicRead: boolean;
  /** Origins allowed to make credentialed cross-origin calls (CORS), besides our own. */
  trustedOrigins: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Scheme, host and port of the request as the browser addressed it (through trusted proxies). */
function ownOrigin(request: FastifyRequest): string | null {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Why an unsafe request carrying the session cookie is refused, or null when it provably comes
 * from our own pages: its Origin (scheme, host and port: http://aims and https://aims, or another
 * port of the same host, are other sites that still receive a SameSite=Lax cookie) is ours or a
 * configured CORS origin.
 */
export function crossSiteRefusal(request: FastifyRequest, trustedOrigins: string[]): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (trustedOrigins.includes(origin)) return null;
    let theirs: URL;
    try {
      theirs = new URL(origin);
    } catch {
      return `cross-site request refused: unreadable Origin '${origin}'`;
    }
    const ours = ownOrigin(request);
    // URL origins drop an explicit default port (":80", ":443"), so those do not matter.
    if (ours !== null && theirs.origin === ours) return null;
    const hint =
      ours !== null && theirs.host === new URL(ours).host
        ? ' (behind a proxy that terminates HTTPS, set AIMS_TRUST_PROXY so that AIMS sees the scheme)'
        : '';
    return `cross-site request refused: Origin ${theirs.origin} is not ${ours ?? 'this server'}${hint}`;
  }
  // No Origin (older browsers on same-origin requests): a custom header cannot be set by a
  // cross-site form, and a cross-site script needs a CORS preflight we never grant.
  if (request.headers['x-requested-with'] !== undefined) return null;
  return 'cross-site request refused: send X-Requested-With or use a bearer token';
}

/**
 * The token of an Authorization header: `Bearer <token>`, or `Basic base64(user:token)` with any
 * user name — the way VO clients (TOPCAT, pyvo with a requests session) send a secret they only
 * know as a password.
 */
export function authorizationToken(authorization: string): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic?.[1]) {
    const pair = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    const password = colon < 0 ? '' : pair.slice(colon + 1);
    if (password !== '') return password;
  }
  throw unauthorized('the Authorization header must be "Bearer <token>" or Basic with the token as password');
}

async function identify(
  request: FastifyRequest,
  reply: FastifyReply | null,
  options: AuthenticationOptions,
): Promise<{ user: User; via: AuthVia; renew: boolean; sessionId?: string } | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = authorizationToken(authorization);
    if (isApiToken(token)) {
      const owner = await findApiTokenOwner(options.database, hashApiToken(token));
      if (!owner) throw unauthorized('invalid, expired or revoked API token');
      return { user: owner.user, via: 'api-token', renew: false };
    }
    const claims = await options.sessions.verify(token);
    const user = claims && (await findSessionUser(options.database, claims.sessionId, claims.userId));
    if (!user) throw unauthorized('invalid, expired or signed-out token');
    return { user, via: 'bearer', renew: false };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const claims = await options.sessions.verify(cookie);
    const user = claims && (await findSessionUser(options.database, claims.sessionId, claims.userId));
    if (!claims || !user) {
      // An expired browser session is just a signed-out visitor; drop the dead cookie.
      if (reply) clearSessionCookie(request, reply);
      return null;
    }
    const age = Math.floor(Date.now() / 1000) - claims.issuedAt;
    return {
      user,
      via: 'cookie',
      renew: age > SESSION_RENEW_AFTER_SECONDS,
      sessionId: claims.sessionId,
    };
  }
  return null;
}

type Identity = NonNullable<Awaited<ReturnType<typeof identify>>>;

/**
 * Who the caller is and whether they may call a route of this access level, from the request's
 * credentials and the account as stored now; throws 401/403. `reply` is null when re-checking a
 * request whose answer is already streaming (nothing may be written to its headers then).
 */
async function authorize(
  request: FastifyRequest,
  reply: FastifyReply | null,
  options: AuthenticationOptions,
  access: Exclude<Access, 'public'>,
): Promise<{ user: User | null; identity: Identity | null }> {
  const identity = await identify(request, reply, options);
  // Deleting an account deletes its tokens and sessions (ON DELETE CASCADE): they find no one.
  const user = identity?.user ?? null;
  if (identity) {
    if (!identity.user.is_active) throw forbidden('this account is deactivated');
    if (identity.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const refusal = crossSiteRefusal(request, options.trustedOrigins);
      if (refusal !== null) throw forbidden(refusal);
    }
  }
  switch (access) {
    case 'read':
      if (!user && !options.publicRead) throw unauthorized();
      break;
    case 'user':
      if (!user) throw unauthorized();
      break;
    case 'download':
      if (!user) throw unauthorized();
      if (!mayDownload(user)) throw forbidden('this account may not download files');
      break;
    case 'admin':
      if (!user) throw unauthorized();
      if (user.role !== 'admin') throw forbidden('administrators only');
      break;
    default: {
      const unknown: never = access;
      throw new Error(`unknown access level ${String(unknown)}`);
    }
  }
  return { user, identity };
}

export function authenticationHook(options: AuthenticationOptions) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.user = null;
    request.authVia = null;
    request.stillAllowed = async () => true;
    // No route matched: let the 404 handler answer.
    if (!request.routeOptions.url) return;
    const access: Access = request.routeOptions.config.access ?? 'user';
    if (access === 'public') return;

    const { user, identity } = await authorize(request, reply, options, access);
    request.user = user;
    request.authVia = identity?.via ?? null;
    request.stillAllowed = () =>
      authorize(request, null, options, access).then(
        (now) => {
          // The account as it is now: a role taken away applies to what the stream sends next.
          if (now.user) request.user = now.user;
          return true;
        },
        () => false,
      );
    // The renewed cookie keeps its session, and so the session's absolute end.
    if (user && identity?.renew && identity.sessionId)
      setSessionCookie(request, reply, await options.sessions.sign(user.id, identity.sessionId));
  };
}
