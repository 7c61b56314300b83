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
  /** degraded: the API answers, but ingest is held up (see `ingest`) or the fixity check found a lost or changed file. */
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
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
  ingest: Type.Object({
    problem: Nullable.string({ description: 'why frames cannot be catalogued right now (a full disk, no catalog)' }),
    problem_since: Nullable.string({ format: 'date-time' }),
    image_roots: Type.Integer({ description: 'image folders configured for this process' }),
    image_roots_offline: Type.Integer({ description: 'of those, not reachable (an unmounted share)' }),
  }),
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
          summary:
            'Database, ingest queue, watcher, ingest problems, fixity and version; degraded when ingest is held up or a file is lost or changed, 503 when the database is down',
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
        // Counts only: this route is public, and folder names are for admins (the log names them).
        const problem = ctx.ingest?.problem?.() ?? null;
        const roots = (await ctx.ingest?.rootStates?.().catch(() => [])) ?? [];
        const offline = roots.filter((r) => !r.online).length;
        const fixity = database.ok ? await fixitySummary(ctx.database, ctx.config.fixityDays).catch(() => null) : null;
        const lost = fixity !== null && fixityDegraded(fixity);
        const status = !database.ok ? 'unavailable' : problem || offline || lost ? 'degraded' : 'ok';
        const body = {
          status: status as 'ok' | 'degraded' | 'unavailable',
          version: ctx.version,
          uptime_seconds: Math.round((Date.now() - ctx.startedAt) / 1000),
          database: { dialect: ctx.database.dialect.name, ...database },
          queue,
          watcher: ctx.ingest?.watcherState() ?? 'off',
          ingest: {
            problem: problem?.problem ?? null,
            problem_since: problem?.since ?? null,
            image_roots: roots.length,
            image_roots_offline: offline,
          },
          fixity,
        };
        return reply.code(database.ok ? 200 : 503).send(body);
      },
    );
  };
}
