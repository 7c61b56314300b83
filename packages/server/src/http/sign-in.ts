/** Turning accounts into sessions: the one ending of every sign-in and sign-up route. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignupResult } from '../auth/accounts.service.js';
import { SESSION_TTL_SECONDS } from '../auth/session-token.js';
import { createSession } from '../db/sessions.repository.js';
import type { User } from '../domain/user.js';
import type { AppContext } from './app-context.js';
import { audit } from './audit.js';
import { setSessionCookie } from './session-cookie.js';

/** Issues a session: the JWT in the body (scripts) and in the HttpOnly cookie (browsers). */
export async function startSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, user: User) {
  const sessionId = await createSession(ctx.database, user.id, ctx.config.sessionMaxDays * 86_400);
  const token = await ctx.sessions.sign(user.id, sessionId);
  setSessionCookie(request, reply, token);
  return { access_token: token, token_type: 'bearer' as const, expires_in: SESSION_TTL_SECONDS, user };
}

export type SignInMethod = 'password' | 'google' | 'oidc';

type Session = Awaited<ReturnType<typeof startSession>>;
interface Pending {
  status: 'pending_approval';
  message: string;
  user: User;
}

/**
 * After a password sign-up or a Google/OpenID Connect sign-in: a new account goes to the audit
 * log; one that waits for an administrator gets the pending answer (202); any other gets a session.
 */
export async function finishSignIn(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  result: SignupResult,
  method: SignInMethod,
): Promise<{ pending: Pending; session?: undefined } | { pending?: undefined; session: Session }> {
  const { user } = result;
  if (result.created)
    await audit(ctx.database, request, 'user.signup', `user:${user.id}`, {
      email: user.email,
      method,
      first_admin: result.firstAdmin,
      pending: result.pendingApproval,
    });
  if (result.pendingApproval) {
    const message = 'the account waits for an administrator to activate it';
    return { pending: { status: 'pending_approval' as const, message, user } };
  }
  request.log.info({ user_id: user.id, method }, 'signed in');
  return { session: await startSession(ctx, request, reply, user) };
}
