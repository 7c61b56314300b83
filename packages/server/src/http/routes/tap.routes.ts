/**
 * IVOA TAP 1.1 over the catalog, for TOPCAT, pyvo and astroquery:
 *
 *   GET|POST /api/vo/tap/sync          ADQL query → result (VOTable TABLEDATA/BINARY2, CSV, TSV)
 *   GET|POST /api/vo/tap/async…        UWS 1.1 jobs (tap-async.routes.ts)
 *   GET /api/vo/tap/capabilities       VOSI capabilities with TAPRegExt
 *   GET /api/vo/tap/availability       VOSI availability
 *   GET /api/vo/tap/tables             VOSI table set
 *
 * Access as the image metadata ('read': anonymous only with AIMS_PUBLIC_READ). Parameters come as a
 * query string or a form-encoded body (DALI), names case-insensitive. Errors: a DALI VOTable whose
 * message starts with the fault (`UsageFault: …`), status 400.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DaliParameterError } from '../../vo/dali-params.js';
import { TapError, type TapService } from '../../vo/tap/tap.service.js';
import { tapExamples } from '../../vo/tap/tap-examples.js';
import { type TapJobs, UwsError } from '../../vo/tap/tap-jobs.js';
import { tapCapabilities, tapTableset } from '../../vo/tap/tap-vosi.js';
import { siaErrorVotable, VOTABLE_CONTENT_TYPE, vosiAvailability } from '../../vo/votable.js';
import { acceptFormBodies, daliParams, requestBase } from '../dali-request.js';
import { errorHandler } from '../errors.js';
import { registerTapAsync } from './tap-async.routes.js';

export function tapErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof UwsError) {
    void reply.code(400).type('text/plain; charset=utf-8').send(error.message);
    return;
  }
  if (error instanceof TapError || error instanceof DaliParameterError) {
    const message = error instanceof TapError ? error.message : `UsageFault: ${error.message}`;
    request.log.info({ reason: message }, 'bad TAP request');
    void reply.code(400).type(VOTABLE_CONTENT_TYPE).send(siaErrorVotable(message));
    return;
  }
  errorHandler(error as Parameters<typeof errorHandler>[0], request, reply);
}

export function tapRoutes(tap: TapService, jobs: TapJobs) {
  return async (app: FastifyInstance) => {
    const read = { access: 'read' as const };
    const tags = ['vo'];
    app.setErrorHandler(tapErrorHandler);
    acceptFormBodies(app);
    // VO validators expect a Server header; it names the service, never its version.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('server', 'AIMS');
    });
    registerTapAsync(app, jobs);
    app.get(
      '/vo/tap/examples',
      { config: read, schema: { tags, summary: 'TAP examples (DALI)' } },
      async (_request, reply) => reply.type('application/xhtml+xml').send(tapExamples()),
    );

    const sync = async (request: FastifyRequest, reply: FastifyReply) => {
      const controller = new AbortController();
      // A client that hangs up stops its query (the response closes before it was written).
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const result = await tap.run(daliParams(request), { baseUrl: requestBase(request), signal: controller.signal });
      return reply.code(200).type(result.mediaType).send(result.body);
    };
    const summary = 'IVOA TAP 1.1 synchronous ADQL query';
    app.get('/vo/tap/sync', { config: read, schema: { tags, summary } }, sync);
    app.post('/vo/tap/sync', { config: read, schema: { tags, summary } }, sync);

    app.get(
      '/vo/tap/capabilities',
      { config: read, schema: { tags, summary: 'VOSI capabilities of the TAP service' } },
      async (request, reply) =>
        reply.type('text/xml').send(tapCapabilities(`${requestBase(request)}/api/vo/tap`, tap.limits)),
    );
    app.get(
      '/vo/tap/availability',
      { config: read, schema: { tags, summary: 'VOSI availability of the TAP service' } },
      async (_request, reply) => reply.type('text/xml').send(vosiAvailability()),
    );
    app.get(
      '/vo/tap/tables',
      { config: read, schema: { tags, summary: 'VOSI tables of the TAP service' } },
      async (_request, reply) => reply.type('text/xml').send(tapTableset(tap.tables)),
    );
  };
}
