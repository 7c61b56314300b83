/** Administration: accounts and roles, the audit log, the ingest ledger, rescans, fixity. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { changeAccount } from '../../auth/accounts.service.js';
import { fixityProblems, fixitySummary } from '../../catalog/fixity.js';
import { listAudit } from '../../db/audit.repository.js';
import { countByState, listLedger, requeue } from '../../db/ingest-ledger.repository.js';
import { listUsers } from '../../db/users.repository.js';
import { INGEST_STATES } from '../../domain/image.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { HttpError } from '../errors.js';
import { errors, IdParams, IsoDateTime, Nullable, StringEnum, UserSchema } from '../schemas/common.schemas.js';
import { FixityProblemSchema, FixitySummarySchema } from '../schemas/fixity.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

const UserUpdateBody = Type.Object(
  {
    role: Type.Optional(StringEnum(['admin', 'user'])),
    can_download: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actor_id: Type.Optional(Type.Integer({ minimum: 1 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'next_before of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  actor_id: Nullable.integer(),
  actor_email: Nullable.string(),
  action: Type.String(),
  target: Nullable.string(),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ip: Nullable.string(),
});

const IngestState = StringEnum(INGEST_STATES);

const LedgerQuery = Type.Object(
  {
    state: Type.Optional(IngestState),
    path: Type.Optional(Type.String({ maxLength: 1000, description: 'case-insensitive part of the path' })),
    retryable: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

const LedgerEntrySchema = Type.Object({
  id: Type.Integer(),
  file_path: Type.String(),
  root: Type.String(),
  rel_path: Type.String(),
  size_bytes: Type.Number(),
  mtime_ms: Type.Number(),
  state: Type.String(),
  reason: Nullable.string(),
  retryable: Type.Boolean(),
  attempts: Type.Integer(),
  image_id: Nullable.integer(),
  discovered_at: IsoDateTime,
  updated_at: IsoDateTime,
});

const RequeueBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 10_000 })),
    states: Type.Optional(Type.Array(StringEnum(['failed', 'rejected']), { minItems: 1, maxItems: 2 })),
    retryable_only: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function adminRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const admin = { access: 'admin' as const };

    app.get(
      '/admin/users',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Every account',
          response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errors(401, 403) },
        },
      },
      async () => ({ items: await listUsers(ctx.database) }),
    );

    app.put(
      '/admin/users/:id',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Change role, download right or activity of an account (audited; applies at once)',
          params: IdParams,
          body: UserUpdateBody,
          response: { 200: UserSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { user, changes } = await changeAccount(ctx.database, request.user!.id, request.params.id, request.body);
        await audit(ctx.database, request, 'user.update', `user:${user.id}`, { email: user.email, changes });
        return user;
      },
    );

    app.get(
      '/admin/audit',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'The audit log, newest first',
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              items: Type.Array(AuditEntrySchema),
              next_before: Nullable.integer(),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 100;
        const items = await listAudit(ctx.database, {
          action: request.query.action,
          actorId: request.query.actor_id,
          before: request.query.before,
          limit,
        });
        return { items, next_before: items.length === limit ? (items.at(-1)?.id ?? null) : null };
      },
    );

    app.get(
      '/admin/ingest',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'The ingest ledger: every discovered file, its state and the reason',
          querystring: LedgerQuery,
          response: {
            200: Type.Object({
              total: Type.Integer(),
              counts: Type.Record(Type.String(), Type.Integer()),
              items: Type.Array(LedgerEntrySchema),
              image_dirs: Type.Array(Type.String(), { description: 'the folders AIMS watches for new frames' }),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const [page, counts] = await Promise.all([
          listLedger(ctx.database, {
            states: q.state ? [q.state] : undefined,
            pathContains: q.path,
            retryable: q.retryable,
            limit: q.limit ?? 100,
            offset: q.offset ?? 0,
          }),
          countByState(ctx.database),
        ]);
        return { ...page, counts, image_dirs: ctx.config.imageDirs };
      },
    );

    app.post(
      '/admin/ingest/requeue',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Put failed (or rejected) files back in the queue',
          body: RequeueBody,
          response: { 200: Type.Object({ requeued: Type.Integer() }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { ids, states, retryable_only } = request.body ?? {};
        const requeued = await requeue(ctx.database, { ids, states, retryableOnly: retryable_only });
        await audit(ctx.database, request, 'ingest.requeue', null, { ids: ids?.length ?? null, states, requeued });
        return { requeued };
      },
    );

    app.post(
      '/admin/rescan',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Rescan every image folder now',
          response: { 202: Type.Object({ started: Type.Boolean() }), ...errors(401, 403, 503) },
        },
      },
      async (request, reply) => {
        if (!ctx.ingest) throw new HttpError(503, 'ingest is not running in this process');
        await ctx.ingest.rescan();
        await audit(ctx.database, request, 'ingest.rescan', null);
        return reply.code(202).send({ started: true });
      },
    );

    app.get(
      '/admin/fixity',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'The fixity check: its last run and the files whose check or FITS checksum is not ok',
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              summary: FixitySummarySchema,
              items: Type.Array(FixityProblemSchema, { description: 'at most `limit` of each kind of problem' }),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (request) => ({
        summary: await fixitySummary(ctx.database, ctx.config.fixityDays),
        items: await fixityProblems(ctx.database, request.query.limit ?? 200),
      }),
    );
  };
}
