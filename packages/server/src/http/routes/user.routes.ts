/** The signed-in user: who am I, and my API tokens. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { generateApiToken } from '../../auth/api-token-secret.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../db/api-tokens.repository.js';
import { MS_PER_DAY } from '../../util/time.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { notFound } from '../errors.js';
import { errors, IdParams, IsoDateTime, Nullable, UserSchema } from '../schemas/common.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

const ApiTokenSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    prefix: Type.String(),
    created_at: IsoDateTime,
    last_used_at: Nullable.string({ format: 'date-time' }),
    expires_at: Nullable.string({ format: 'date-time' }),
  },
  { title: 'ApiToken' },
);

const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export function userRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/user/me',
      {
        config: { access: 'user' },
        schema: {
          tags: ['user'],
          summary: 'The signed-in account',
          response: { 200: UserSchema, ...errors(401, 403) },
        },
      },
      async (request) => request.user!,
    );

    app.get(
      '/user/tokens',
      {
        config: { access: 'user' },
        schema: {
          tags: ['user'],
          summary: 'My API tokens (never the secrets)',
          response: { 200: Type.Object({ items: Type.Array(ApiTokenSchema) }), ...errors(401, 403) },
        },
      },
      async (request) => ({ items: await listApiTokens(ctx.database, request.user!.id) }),
    );

    app.post(
      '/user/tokens',
      {
        config: { access: 'user' },
        schema: {
          tags: ['user'],
          summary: 'Create an API token for scripts; the token is shown once',
          body: NewTokenBody,
          response: {
            201: Type.Composite([ApiTokenSchema, Type.Object({ token: Type.String() })], { title: 'NewApiToken' }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const { token, hash, prefix } = generateApiToken();
        const days = request.body.expires_in_days;
        const created = await createApiToken(ctx.database, {
          userId: request.user!.id,
          name: request.body.name,
          tokenHash: hash,
          prefix,
          expiresAt: days === undefined ? null : Date.now() + days * MS_PER_DAY,
        });
        await audit(ctx.database, request, 'token.create', `token:${created.id}`, { name: created.name });
        return reply.code(201).send({ ...created, token });
      },
    );

    app.delete(
      '/user/tokens/:id',
      {
        config: { access: 'user' },
        schema: {
          tags: ['user'],
          summary: 'Revoke one of my API tokens',
          params: IdParams,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        if (!(await revokeApiToken(ctx.database, request.user!.id, request.params.id))) throw notFound('no such token');
        await audit(ctx.database, request, 'token.revoke', `token:${request.params.id}`);
        return reply.code(204).send(null);
      },
    );
  };
}
