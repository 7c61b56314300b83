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
import { collectParams, DaliParameterError } from '../../vo/dali-params.js';
import { TapError, type TapService } from '../../vo/tap/tap.service.js';
import { tapCapabilities, tapTableset } from '../../vo/tap/tap-vosi.js';
import { siaErrorVotable, VOTABLE_CONTENT_TYPE, vosiAvailability } from '../../vo/votable.js';
import { errorHandler } from '../errors.js';

export function requestBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Query string and form body together, as DALI services accept both. */
export function daliParams(request: FastifyRequest) {
  const body =
    typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  const merged: Record<string, unknown[]> = {};
  for (const source of [request.query as Record<string, unknown>, body])
    for (const [key, value] of Object.entries(source ?? {}))
      merged[key] = [...(merged[key] ?? []), ...(Array.isArray(value) ? value : [value])];
  return collectParams(merged);
}

/** Form bodies (urlencoded or multipart, as DALI allows) as objects of repeated values. */
export function acceptFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (req, body, done) => {
    const boundary = /boundary="?([^";]+)"?/i.exec(String(req.headers['content-type']))?.[1];
    if (!boundary) return done(new DaliParameterError('multipart body without a boundary'), undefined);
    done(null, multipartFields(body as Buffer, boundary));
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1_048_576 },
    (_req, body, done) => {
      const out: Record<string, string[]> = {};
      for (const [key, value] of new URLSearchParams(body as string)) out[key] = [...(out[key] ?? []), value];
      done(null, out);
    },
  );
}

/** The text fields of a multipart/form-data body (file parts are kept by name, as their text). */
function multipartFields(body: Buffer, boundary: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of body.toString('utf8').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name === undefined) continue;
    out[name] = [...(out[name] ?? []), part.slice(split + 4).replace(/\r\n$/, '')];
  }
  return out;
}

export function tapErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof TapError || error instanceof DaliParameterError) {
    const message = error instanceof TapError ? error.message : `UsageFault: ${error.message}`;
    request.log.info({ reason: message }, 'bad TAP request');
    void reply.code(400).type(VOTABLE_CONTENT_TYPE).send(siaErrorVotable(message));
    return;
  }
  errorHandler(error as Parameters<typeof errorHandler>[0], request, reply);
}

export function tapRoutes(tap: TapService) {
  return async (app: FastifyInstance) => {
    const read = { access: 'read' as const };
    const tags = ['vo'];
    app.setErrorHandler(tapErrorHandler);
    acceptFormBodies(app);

    const sync = async (request: FastifyRequest, reply: FastifyReply) => {
      const controller = new AbortController();
      // A client that hangs up stops its query (the response closes before it was written).
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const result = await tap.run(daliParams(request), { signal: controller.signal });
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
