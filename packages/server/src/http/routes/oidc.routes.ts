/**
 * OpenID Connect sign-in (authorization code + PKCE): /auth/oidc/login sends the browser to the
 * provider with state, nonce and a code challenge kept in a short-lived signed HttpOnly cookie
 * (oidc-pending.ts); /auth/oidc/callback checks them, exchanges the code, and starts a session.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signInExternal } from '../../auth/accounts.service.js';
import type { AppContext } from '../app-context.js';
import { badParameter, HttpError, notFound } from '../errors.js';
import { rememberPending, safeReturnPath, takePending } from '../oidc-pending.js';
import { OidcCallbackQuery, PendingSignup } from '../schemas/auth.schemas.js';
import { errors } from '../schemas/common.schemas.js';
import { finishSignIn } from '../sign-in.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

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
        const returnTo = safeReturnPath((request.query as { return_to?: string }).return_to);
        const started = await oidc().start(redirectUrl(ctx, request));
        rememberPending(request, reply, { ...started.pending, returnTo });
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
        const pending = takePending(request, reply);
        // Checked again (the cookie is signed, but older ones may predate a stricter rule) before
        // any session is issued, so that nothing after it can fail.
        const returnTo = safeReturnPath(pending.returnTo);
        if (request.query.error) throw new HttpError(401, `the provider refused the sign-in: ${request.query.error}`);
        if (!request.query.code) throw badParameter('code', 'is required');
        const identity = await client.finish(request.url.slice(request.url.indexOf('?') + 1), pending);
        const result = await signInExternal(ctx.database, policy, 'oidc', identity);
        const answer = await finishSignIn(ctx, request, reply, result, 'oidc');
        if (answer.pending) return reply.code(202).send(answer.pending);
        return reply.redirect(returnTo, 302);
      },
    );
  };
}
