/**
 * Requests of the IVOA (DALI) services: parameters from the query string and a form body
 * (urlencoded or multipart), names case-insensitive, and the base URL links are built on.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectParams, DaliParameterError } from '../vo/dali-params.js';

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
