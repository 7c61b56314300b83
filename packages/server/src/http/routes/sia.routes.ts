/**
 * IVOA SIA 2.0 (Simple Image Access) over the catalog, for VO clients (pyvo, TOPCAT, Aladin):
 *
 *   GET|POST /api/vo/sia/query     parameters (vo/sia.query.ts) → VOTable 1.4 of ObsCore records
 *   GET /api/vo/sia/capabilities   VOSI capabilities
 *   GET /api/vo/sia/availability   VOSI availability
 *
 * Access as the image metadata ('read'); each record's access_url is its DataLink document
 * (datalink.routes.ts). Errors: HTTP 400 with a DALI VOTable whose QUERY_STATUS is ERROR and whose
 * message starts with the fault code (voErrorHandler).
 */
import type { FastifyInstance } from 'fastify';
import { parseSiaQuery, searchSia } from '../../vo/sia.query.js';
import { siaResultsVotable, VOTABLE_CONTENT_TYPE, vosiAvailability, vosiCapabilities } from '../../vo/votable.js';
import type { AppContext } from '../app-context.js';
import { voErrorHandler } from '../errors.js';
import { acceptFormPosts, baseUrl, daliParams, obscoreContext } from '../vo-request.js';

export function siaRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const read = { access: 'read' as const };
    const tags = ['vo'];
    app.setErrorHandler(voErrorHandler);
    acceptFormPosts(app);

    app.route({
      method: ['GET', 'POST'],
      url: '/vo/sia/query',
      config: read,
      schema: { tags, summary: 'IVOA SIA 2.0 image search (VOTable of ObsCore records)' },
      handler: async (request, reply) => {
        const query = parseSiaQuery(daliParams(request));
        const { records, overflow } = await searchSia(ctx.database, query, obscoreContext(ctx, request));
        return reply.code(200).type(VOTABLE_CONTENT_TYPE).send(siaResultsVotable(records, { overflow }));
      },
    });

    app.get(
      '/vo/sia/capabilities',
      { config: read, schema: { tags, summary: 'VOSI capabilities of the SIA 2.0 service' } },
      async (request, reply) => reply.type('text/xml').send(vosiCapabilities(`${baseUrl(request)}/api/vo/sia`)),
    );

    app.get(
      '/vo/sia/availability',
      { config: read, schema: { tags, summary: 'VOSI availability of the SIA 2.0 service' } },
      async (_request, reply) => reply.type('text/xml').send(vosiAvailability()),
    );
  };
}
