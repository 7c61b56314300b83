/**
 * IVOA SIA 2.0 (Simple Image Access) over the catalog, for VO clients (pyvo, TOPCAT, Aladin):
 *
 *   GET /api/vo/sia/query          parameters (vo/sia.query.ts) → VOTable 1.4 of ObsCore columns
 *   GET /api/vo/sia/capabilities   VOSI capabilities
 *   GET /api/vo/sia/availability   VOSI availability
 *
 * Access as the image metadata ('read'); the access_url links go to /api/images/{id}/download, which
 * still needs download rights. Errors: HTTP 400 with a DALI VOTable whose QUERY_STATUS is ERROR
 * (voErrorHandler).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseSiaQuery, searchSia } from '../../vo/sia.query.js';
import { siaResultsVotable, VOTABLE_CONTENT_TYPE, vosiAvailability, vosiCapabilities } from '../../vo/votable.js';
import type { AppContext } from '../app-context.js';
import { voErrorHandler } from '../errors.js';

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function siaRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const read = { access: 'read' as const };
    const tags = ['vo'];
    app.setErrorHandler(voErrorHandler);

    app.get(
      '/vo/sia/query',
      { config: read, schema: { tags, summary: 'IVOA SIA 2.0 image search (VOTable of ObsCore columns)' } },
      async (request, reply) => {
        const { images, overflow } = await searchSia(ctx.database, parseSiaQuery(request.query));
        const body = siaResultsVotable(images, { downloadBase: baseUrl(request), overflow });
        return reply.code(200).type(VOTABLE_CONTENT_TYPE).send(body);
      },
    );

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
