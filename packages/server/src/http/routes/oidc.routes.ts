/**
 * OpenID Connect sign-in (authorization code + PKCE): /auth/oidc/login sends the browser to the
 * provider with state, nonce and a code challenge kept in a short-lived signed HttpOnly cookie;
 * /auth/oidc/callback checks them, exchanges the code, and starts a session.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccountError, signInExternal } from '../../auth/accounts.service.js';
import { IdTokenError } from '../../auth/google-id-token.js';
import type { OidcPending } from '../../auth/oidc.client.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { badParameter, HttpError, notFound } from '../errors.js';
import { OidcCallbackQuery, PendingSignup } from '../schemas/auth.schemas.js';
import { errors } from '../schemas/common.schemas.js';
import { accountHttpError, startSession } from '../sign-in.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

const PENDING_COOKIE = 'aims_oidc';
const PENDING_PATH = '/api/auth/oidc';
/** Ten minutes to get through the provider's pages. */
const PENDING_MAX_AGE_SECONDS = 600;

/** A same-site path to come back to after sign-in; anything else (`//evil`, `https://…`) is `/`. */
export function safeReturnPath(value: string | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}

function redirectUrl(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.oidc?.redirectUrl ?? `${request.protocol}://${request.host}/api/auth/oidc/callback`;
}

export function oidcRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const policy = { signup: ctx.config.signup, allowedDomains: ctx.config.allowedDomains };
    const oidc = () => {
      if (!ctx.oidc) throw notFound('OpenID Connect sign-in is not configured (AIMS_OIDC_ISSUER)');
      return ctx.oidc;
    };

    app.get(
      '/auth/oidc/login',
      {
        config: { access: 'public', rateLimit: { max: ctx.rateLimit.max, timeWindow: ctx.rateLimit.timeWindowMs } },
        schema: {
          tags: ['auth'],
          summary: 'Start OpenID Connect sign-in (redirects to the provider)',
          querystring: {
            type: 'object',
            properties: { return_to: { type: 'string', maxLength: 2048 } },
            additionalProperties: false,
          },
          response: { 302: { type: 'null' }, ...errors(404, 502) },
        },
      },
      async (request, reply) => {
        const client = oidc();
        let started: Awaited<ReturnType<typeof client.start>>;
        try {
          started = await client.start(redirectUrl(ctx, request));
        } catch (error) {
          request.log.error({ err: error }, 'OpenID Connect discovery failed');
          throw new HttpError(502, 'the sign-in provider cannot be reached');
        }
        const value = Buffer.from(
          JSON.stringify({
            ...started.pending,
            returnTo: safeReturnPath((request.query as { return_to?: string }).return_to),
          }),
        ).toString('base64url');
        void reply.setCookie(PENDING_COOKIE, value, {
          signed: true,
          httpOnly: true,
          // Lax: the provider brings the browser back with a top-level GET, which carries it.
          sameSite: 'lax',
          secure: request.protocol === 'https',
          path: PENDING_PATH,
          maxAge: PENDING_MAX_AGE_SECONDS,
        });
        return reply.redirect(started.url.href, 302);
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Where the provider sends the browser back',
          querystring: OidcCallbackQuery,
          response: { 302: { type: 'null' }, 202: PendingSignup, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const client = oidc();
        const raw = request.cookies[PENDING_COOKIE];
        void reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
        const unsigned = raw ? request.unsignCookie(raw) : undefined;
        if (!unsigned?.valid || unsigned.value === null)
          throw new HttpError(401, 'sign-in expired or was started elsewhere: start again');
        let pending: OidcPending & { returnTo: string };
        try {
          pending = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8'));
        } catch {
          throw new HttpError(401, 'sign-in state is unreadable: start again');
        }
        if (request.query.error) throw new HttpError(401, `the provider refused the sign-in: ${request.query.error}`);
        if (!request.query.code) throw badParameter('code', 'is required');
        try {
          const query = request.url.slice(request.url.indexOf('?') + 1);
          const identity = await client.finish(query, pending);
          const result = await signInExternal(ctx.database, policy, 'oidc', identity);
          if (result.firstAdmin || result.pendingApproval)
            await audit(ctx.database, request, 'user.signup', `user:${result.user.id}`, {
              email: result.user.email,
              method: 'oidc',
              first_admin: result.firstAdmin,
              pending: result.pendingApproval,
            });
          if (result.pendingApproval)
            return reply.code(202).send({
              status: 'pending_approval' as const,
              message: 'the account waits for an administrator to activate it',
              user: result.user,
            });
          await startSession(ctx, request, reply, result.user);
          request.log.info({ user_id: result.user.id }, 'signed in with OpenID Connect');
          return reply.redirect(safeReturnPath(pending.returnTo), 302);
        } catch (error) {
          if (error instanceof AccountError) {
            request.log.warn({ reason: error.code }, 'OpenID Connect sign-in refused');
            throw accountHttpError(error);
          }
          if (error instanceof HttpError) throw error;
          // openid-client's errors say what failed (state mismatch, bad ID token, token endpoint
          // errors); they describe the exchange, not our internals.
          const reason = error instanceof IdTokenError ? error.message : (error as Error).message;
          request.log.warn({ reason }, 'OpenID Connect sign-in refused');
          throw new HttpError(401, `sign-in failed: ${reason}`);
        }
      },
    );
  };
}
