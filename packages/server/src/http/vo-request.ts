/**
 * What the IVOA routes read from a request: DALI parameters from the query string and, for POST,
 * from an application/x-www-form-urlencoded body (DALI §2: both must be accepted); the base URL
 * links start with; the ObsCore context.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectParams, type DaliParams } from '../vo/dali-params.js';
import { bandLookup } from '../vo/filter-bands.js';
import type { ObsCoreContext } from '../vo/obscore.columns.js';
import type { AppContext } from './app-context.js';

/** A form body larger than this is refused (413): DALI parameters are short. */
const MAX_FORM_BYTES = 256 * 1024;

/** Parses form bodies in this scope into a URLSearchParams. */
export function acceptFormPosts(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
    (_request, body, done) => done(null, new URLSearchParams(body as string)),
  );
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
