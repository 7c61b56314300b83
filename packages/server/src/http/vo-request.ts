/**
 * What the IVOA routes read from a request: DALI parameters from the query string and, for POST,
 * from an application/x-www-form-urlencoded body (DALI §2: both must be accepted); the base URL
 * links start with; the ObsCore context.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectParams, DaliParameterError, type DaliParams } from '../vo/dali-params.js';
import { bandLookup } from '../vo/filter-bands.js';
import type { ObsCoreContext } from '../vo/obscore.columns.js';
import type { AppContext } from './app-context.js';

/** A form body larger than this is refused (413): DALI parameters are short. */
const MAX_FORM_BYTES = 256 * 1024;

/** Parses form bodies in this scope (urlencoded, or multipart as TAP clients may send) into a URLSearchParams. */
export function acceptFormPosts(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
    (_request, body, done) => done(null, new URLSearchParams(body as string)),
  );
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_FORM_BYTES },
    (request, body, done) => {
      const boundary = /boundary="?([^";]+)"?/i.exec(String(request.headers['content-type']))?.[1];
      if (!boundary) return done(new DaliParameterError('multipart body without a boundary'), undefined);
      done(null, multipartFields(body as Buffer, boundary));
    },
  );
}

/** The fields of a multipart/form-data body, as text (a file part, such as an UPLOAD, by its name). */
function multipartFields(body: Buffer, boundary: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const part of body.toString('utf8').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) out.append(name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return out;
}

/** The query string's parameters and the form body's, names upper-cased, repeats kept. */
export function daliParams(request: FastifyRequest): DaliParams {
  const params = collectParams(request.query);
  if (request.body instanceof URLSearchParams)
    for (const [key, value] of request.body) {
      const name = key.toUpperCase();
      params.set(name, [...(params.get(name) ?? []), value]);
    }
  return params;
}

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const lookups = new WeakMap<AppContext, ObsCoreContext['bands']>();

export function obscoreContext(ctx: AppContext, request: FastifyRequest): ObsCoreContext {
  let bands = lookups.get(ctx);
  if (!bands) {
    bands = bandLookup(ctx.config.filterBands);
    lookups.set(ctx, bands);
  }
  return { baseUrl: baseUrl(request), bands };
}
