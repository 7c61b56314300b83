/**
 * Sign-in and sign-up: password, Google ID token, OpenID Connect (code + PKCE), sign-out. Every
 * route here is public; login and sign-up are rate-limited per client address.
 */
import type { FastifyInstance } from 'fastify';
import { AccountError, loginWithPassword, signInExternal, signUp } from '../../auth/accounts.service.js';
import { verifyGoogleIdToken } from '../../auth/google-id-token.js';
import { MIN_PASSWORD_LENGTH } from '../../auth/password.js';
import { revokeSession } from '../../db/sessions.repository.js';
import { countUsers } from '../../db/users.repository.js';
import type { AppContext } from '../app-context.js';
import { notFound } from '../errors.js';
import {
  AuthConfigSchema,
  GoogleBody,
  LoginBody,
  PendingSignup,
  SignupAccepted,
  SignupBody,
} from '../schemas/auth.schemas.js';
import { errors, SessionSchema } from '../schemas/common.schemas.js';
import { clearSessionCookie, SESSION_COOKIE } from '../session-cookie.js';
import { finishSignIn, startSession } from '../sign-in.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';
import { oidcRoutes } from './oidc.routes.js';

/** The one answer to a password sign-up under approval, for a new address and a taken one alike. */
const SIGNUP_ACCEPTED = {
  status: 'pending_approval' as const,
  message:
    'if this address can be used, its account now waits for an administrator to activate it; ' +
    'an address that has an account already keeps it: sign in with it',
};

export function authRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const limited = {
      access: 'public' as const,
      rateLimit: { max: ctx.rateLimit.max, timeWindow: ctx.rateLimit.timeWindowMs },
    };
    const policy = { signup: ctx.config.signup, allowedDomains: ctx.config.allowedDomains };

    app.get(
      '/auth/config',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'How people can sign in here (for the sign-in page)',
          response: { 200: AuthConfigSchema },
        },
      },
      async () => ({
        signup: ctx.config.signup,
        password_min_length: MIN_PASSWORD_LENGTH,
        google_client_id: ctx.config.googleClientId ?? null,
        oidc: ctx.oidc !== undefined,
        public_read: ctx.config.publicRead,
        // The sign-in page tells the first visitor of a fresh install that they become the admin.
        first_account: (await countUsers(ctx.database)) === 0,
      }),
    );

    app.post(
      '/auth/login',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password',
          body: LoginBody,
          response: { 200: SessionSchema, ...errors(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const user = await loginWithPassword(ctx.database, request.body.email, request.body.password);
        request.log.info({ user_id: user.id, method: 'password' }, 'signed in');
        return startSession(ctx, request, reply, user);
      },
    );

    app.post(
      '/auth/signup',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Create an account (per AIMS_SIGNUP: open, approval or closed)',
          description:
            'open: the account is active at once (201 with a session); an address that has an account already is ' +
            'a 409. approval: 202, the same answer whether or not the address had an account (nothing changes for ' +
            'an existing one). closed: 403. The first account ever created becomes an administrator.',
          body: SignupBody,
          response: { 201: SessionSchema, 202: SignupAccepted, ...errors(400, 403, 409, 429) },
        },
      },
      async (request, reply) => {
        const { email, password, display_name } = request.body;
        try {
          const result = await signUp(ctx.database, policy, { email, password, displayName: display_name ?? null });
          const answer = await finishSignIn(ctx, request, reply, result, 'password');
          return answer.pending ? reply.code(202).send(SIGNUP_ACCEPTED) : reply.code(201).send(answer.session);
        } catch (error) {
          // Under approval nobody gets a session from sign-up, so a taken address can get the
          // answer a new one gets; the password was hashed either way, so the time is alike too.
          if (policy.signup !== 'approval' || !(error instanceof AccountError) || error.code !== 'AUTH_EMAIL_TAKEN')
            throw error;
          request.log.info('sign-up for an address that has an account; answered like a new one');
          return reply.code(202).send(SIGNUP_ACCEPTED);
        }
      },
    );

    app.post(
      '/auth/google',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a Google ID token (Google Identity Services)',
          body: GoogleBody,
          response: { 200: SessionSchema, 202: PendingSignup, ...errors(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const clientId = ctx.config.googleClientId;
        if (!clientId) throw notFound('Google Sign-In is not configured (GOOGLE_CLIENT_ID)');
        const identity = await verifyGoogleIdToken(request.body.token, { clientId, keys: ctx.googleKeys });
        const result = await signInExternal(ctx.database, policy, 'google', identity);
        const answer = await finishSignIn(ctx, request, reply, result, 'google');
        return answer.pending ? reply.code(202).send(answer.pending) : answer.session;
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign out: ends the session of the cookie or bearer JWT on the server and drops the cookie',
          response: { 204: { type: 'null' } },
        },
      },
      async (request, reply) => {
        // Public, so that a stale cookie can always be dropped; the hook has not read the tokens.
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        for (const token of [bearer, request.cookies[SESSION_COOKIE]]) {
          if (!token) continue;
          const claims = await ctx.sessions.verify(token);
          if (claims) await revokeSession(ctx.database, claims.sessionId);
        }
        clearSessionCookie(request, reply);
        return reply.code(204).send();
      },
    );

    await app.register(oidcRoutes(ctx));
  };
}
