/**
 * GET /api/events: server-sent events for the UI (new frames, failures, queue depth, watcher state),
 * relayed from the in-process event bus (which the event outbox feeds with what every process
 * ingested). Failures name paths and reasons: only administrators receive them. A comment line every 25 s keeps proxies from closing an
 * idle stream; the caller's access is re-checked every `streamRecheckMs` and the stream ends when
 * it is gone.
 */
import type { FastifyInstance } from 'fastify';
import { type AimsEvent, EVENT_AUDIENCE } from '../../util/events.js';
import type { AppContext } from '../app-context.js';
import { errors } from '../schemas/common.schemas.js';

const HEARTBEAT_MS = 25_000;

export function formatSse(event: AimsEvent, id: number): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function eventsRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // Open streams never end by themselves; shutting down ends them so that close() does not wait.
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of open) end();
    });
    app.get(
      '/events',
      {
        config: { access: 'read' },
        schema: {
          tags: ['catalog'],
          summary: 'Live ingest events (text/event-stream): image.ingested, ingest.failed, queue.depth, watcher.state',
          produces: ['text/event-stream'],
          response: { 200: { type: 'string', description: 'an event stream' }, ...errors(401, 403) },
        },
      },
      async (request, reply) => {
        reply.hijack();
        const raw = reply.raw;
        // Headers Fastify would have sent (security headers, request id) plus the stream's own.
        for (const [name, value] of Object.entries(reply.getHeaders()))
          if (value !== undefined) raw.setHeader(name, value as string);
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let id = 0;
        raw.write('retry: 5000\n\n');
        // request.user is the account as of the last re-check: a role taken away applies within
        // streamRecheckMs.
        const send = (event: AimsEvent) => {
          if (EVENT_AUDIENCE[event.type] === 'admin' && request.user?.role !== 'admin') return;
          raw.write(formatSse(event, ++id));
        };
        const unsubscribe = ctx.events.subscribe(send);
        try {
          if (ctx.ingest) {
            send({ type: 'queue.depth', data: await ctx.ingest.queue() });
            send({ type: 'watcher.state', data: { state: ctx.ingest.watcherState() } });
          }
        } catch (error) {
          request.log.warn({ err: error }, 'events: no initial queue state');
        }
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        // A stream outlives the check made when it opened: sign-out, the session's end, a
        // deactivation or a lost access level (also one made by the CLI, in another process) must
        // end it too, so it asks the database again now and then.
        let checking = false;
        const recheck = setInterval(() => {
          if (checking) return;
          checking = true;
          request
            .stillAllowed()
            .then((allowed) => {
              if (!allowed && open.has(end)) {
                request.log.info({ user_id: request.user?.id }, 'events: caller lost access, stream ended');
                end();
              }
            })
            .catch((error: unknown) => request.log.warn({ err: error }, 'events: access re-check failed'))
            .finally(() => {
              checking = false;
            });
        }, ctx.streamRecheckMs);
        recheck.unref();
        const stop = () => {
          clearInterval(heartbeat);
          clearInterval(recheck);
          unsubscribe();
          open.delete(end);
        };
        const end = () => {
          stop();
          raw.end();
        };
        open.add(end);
        request.raw.on('close', stop);
        raw.on('error', stop);
      },
    );
  };
}
