/** GET /api/health: for supervisors and load balancers; 503 when the catalog is unreachable. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { fixityDegraded, fixitySummary } from '../../catalog/fixity.js';
import type { AppContext } from '../app-context.js';
import { Nullable } from '../schemas/common.schemas.js';
import { FixitySummarySchema } from '../schemas/fixity.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')], {
    description: 'degraded (still 200): the fixity check found changed, missing or unreadable files',
  }),
  version: Type.String(),
  uptime_seconds: Type.Number(),
  database: Type.Object({
    ok: Type.Boolean(),
    dialect: Type.String(),
    latency_ms: Nullable.number(),
    error: Type.Optional(Type.String()),
  }),
  queue: Type.Union([Type.Object({ pending: Type.Integer(), active: Type.Integer() }), Type.Null()]),
  watcher: Type.String(),
  fixity: Type.Union([FixitySummarySchema, Type.Null()]),
});

/** A database that does not answer within this is as good as down for a supervisor. */
const DB_TIMEOUT_MS = 2000;

async function pingDatabase(ctx: AppContext): Promise<{ ok: boolean; latency_ms: number | null; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(ctx.database.db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DB_TIMEOUT_MS} ms`)), DB_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return { ok: false, latency_ms: null, error: (error as Error).message.split('\n')[0]?.slice(0, 200) ?? 'error' };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/health',
      {
        config: { access: 'public' },
        logLevel: 'warn',
        schema: {
          tags: ['operations'],
          summary: 'Database, ingest queue, watcher, fixity and version; 503 when the database is down',
          response: { 200: HealthSchema, 503: HealthSchema },
        },
      },
      async (request, reply) => {
        const database = await pingDatabase(ctx);
        if (!database.ok) request.log.error({ reason: database.error }, 'health: database unreachable');
        let queue: { pending: number; active: number } | null = null;
        try {
          queue = ctx.ingest ? await ctx.ingest.queue() : null;
        } catch (error) {
          request.log.warn({ err: error }, 'health: queue depth unavailable');
        }
        const fixity = database.ok ? await fixitySummary(ctx.database, ctx.config.fixityDays).catch(() => null) : null;
        const degraded = fixity !== null && fixityDegraded(fixity);
        const body = {
          status: !database.ok ? ('unavailable' as const) : degraded ? ('degraded' as const) : ('ok' as const),
          version: ctx.version,
          uptime_seconds: Math.round((Date.now() - ctx.startedAt) / 1000),
          database: { dialect: ctx.database.dialect.name, ...database },
          queue,
          watcher: ctx.ingest?.watcherState() ?? 'off',
          fixity,
        };
        return reply.code(database.ok ? 200 : 503).send(body);
      },
    );
  };
}
