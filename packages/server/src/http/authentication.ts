/**
 * Authentication and authorization: ONE onRequest hook on the /api scope. It identifies the caller
 * (API token, bearer JWT or session cookie), looks the account up on every request (so that a
 * deactivation or a role change applies to tokens already issued), refuses cross-site unsafe
 * requests that ride on the cookie, and enforces the route's `config.access` level.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiToken, isApiToken } from '../auth/api-token-secret.js';
import { SESSION_RENEW_AFTER_SECONDS, type SessionTokens } from '../auth/session-token.js';
import { findApiTokenOwner } from '../db/api-tokens.repository.js';
import type { Db } from '../db/connection.js';
import { findUserById } from '../db/users.repository.js';
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

/** True when an unsafe request carrying the session cookie provably comes from our own pages. */
export function isSameOriginRequest(request: FastifyRequest, trustedOrigins: string[]): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (trustedOrigins.includes(origin)) return true;
    try {
      // Compare as URLs, so that an explicit default port (":80", ":443") does not matter.
      const host = request.headers.host;
      return host !== undefined && new URL(origin).host === new URL(`${new URL(origin).protocol}//${host}`).host;
    } catch {
      return false;
    }
  }
  // No Origin (older browsers on same-origin requests): a custom header cannot be set by a
  // cross-site form, and a cross-site script needs a CORS preflight we never grant.
  return request.headers['x-requested-with'] !== undefined;
}

async function identify(
  request: FastifyRequest,
  reply: FastifyReply,
  options: AuthenticationOptions,
): Promise<{ userId: number; via: AuthVia; renew: boolean } | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <token>"');
    const token = match[1];
    if (isApiToken(token)) {
      const owner = await findApiTokenOwner(options.database, hashApiToken(token));
      if (!owner) throw unauthorized('invalid, expired or revoked API token');
      return { userId: owner.userId, via: 'api-token', renew: false };
    }
    const claims = await options.sessions.verify(token);
    if (!claims) throw unauthorized('invalid or expired token');
    return { userId: claims.userId, via: 'bearer', renew: false };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const claims = await options.sessions.verify(cookie);
    if (!claims) {
      // An expired browser session is just a signed-out visitor; drop the dead cookie.
      clearSessionCookie(request, reply);
      return null;
    }
    const age = Math.floor(Date.now() / 1000) - claims.issuedAt;
    return { userId: claims.userId, via: 'cookie', renew: age > SESSION_RENEW_AFTER_SECONDS };
  }
  return null;
}

export function authenticationHook(options: AuthenticationOptions) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.user = null;
    request.authVia = null;
    // No route matched: let the 404 handler answer.
    if (!request.routeOptions.url) return;
    const access: Access = request.routeOptions.config.access ?? 'user';
    if (access === 'public') return;

    const identity = await identify(request, reply, options);
    if (identity) {
      const user = await findUserById(options.database, identity.userId);
      if (!user) throw unauthorized('this account no longer exists');
      if (!user.is_active) throw forbidden('this account is deactivated');
      if (identity.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
        if (!isSameOriginRequest(request, options.trustedOrigins))
          throw forbidden('cross-site request refused: send X-Requested-With or use a bearer token');
      }
      request.user = user;
      request.authVia = identity.via;
      if (identity.renew) setSessionCookie(request, reply, await options.sessions.sign(user.id));
    }

    const user = request.user;
    switch (access) {
      case 'read':
        if (!user && !options.publicRead) throw unauthorized();
        return;
      case 'user':
        if (!user) throw unauthorized();
        return;
      case 'download':
        if (!user) throw unauthorized();
        if (!mayDownload(user)) throw forbidden('this account may not download files');
        return;
      case 'admin':
        if (!user) throw unauthorized();
        if (user.role !== 'admin') throw forbidden('administrators only');
        return;
      default: {
        const unknown: never = access;
        throw new Error(`unknown access level ${String(unknown)}`);
      }
    }
  };
}
