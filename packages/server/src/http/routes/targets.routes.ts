/** Targets: every object observed with its integration time, as JSON or CSV, and one target in full. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { listTargets, targetDetail, targetsCsv } from '../../catalog/targets.js';
import type { AppContext } from '../app-context.js';
import { attachment } from '../content-disposition.js';
import { errors } from '../schemas/common.schemas.js';
import { TargetDetail, TargetPage, TargetParams, TargetQuery } from '../schemas/targets.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

export function targetsRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { access: 'read' as const };

    app.get(
      '/targets',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'Every object observed: integration per filter, good frames, nights, dates, position',
          description:
            'Lights grouped by the normalized object name ("M 13", "M13", "m13" are one). `format=csv`: all.',
          querystring: TargetQuery,
          produces: ['application/json', 'text/csv'],
          response: { 200: TargetPage, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const sort = q.sort ?? 'last_date_obs';
        const order = q.order ?? (sort === 'name' ? 'asc' : 'desc');
        if (q.format !== 'csv')
          return listTargets(ctx.database, { sort, order, limit: q.limit ?? 100, offset: q.offset ?? 0, q: q.q });
        const file = await targetsCsv(ctx.database, { sort, order, q: q.q });
        return (reply as FastifyReply)
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(file.fileName))
          .send(file.text);
      },
    );

    app.get(
      '/targets/:key',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'One target: totals per filter, cumulative integration night by night, best frames',
          params: TargetParams,
          response: { 200: TargetDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => targetDetail(ctx.database, request.params.key),
    );
  };
}
