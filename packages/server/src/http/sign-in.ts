/** Turning accounts into sessions, and account errors into HTTP errors (shared by the sign-in routes). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../auth/accounts.service.js';
import { SESSION_TTL_SECONDS } from '../auth/session-token.js';
import type { User } from '../domain/user.js';
import type { AppContext } from './app-context.js';
import { badParameter, HttpError } from './errors.js';
import { setSessionCookie } from './session-cookie.js';

const STATUS_OF: Record<AccountError['code'], number> = {
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_ACCOUNT_INACTIVE: 403,
  AUTH_SIGNUP_CLOSED: 403,
  AUTH_DOMAIN_NOT_ALLOWED: 403,
  AUTH_EMAIL_TAKEN: 409,
  AUTH_WEAK_PASSWORD: 400,
  AUTH_INVALID_EMAIL: 400,
};

/** AccountError → HttpError (400s name the field). */
export function accountHttpError(error: unknown): unknown {
  if (!(error instanceof AccountError)) return error;
  if (error.code === 'AUTH_WEAK_PASSWORD') return badParameter('password', error.message.replace(/^password /, ''));
  if (error.code === 'AUTH_INVALID_EMAIL') return badParameter('email', error.message.replace(/^email /, ''));
  return new HttpError(STATUS_OF[error.code], error.message);
}

/** Issues a session: the JWT in the body (scripts) and in the HttpOnly cookie (browsers). */
export async function startSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, user: User) {
  const token = await ctx.sessions.sign(user.id);
  setSessionCookie(request, reply, token);
  return { access_token: token, token_type: 'bearer' as const, expires_in: SESSION_TTL_SECONDS, user };
}
