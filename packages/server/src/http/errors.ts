import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../auth/accounts.service.js';
import { IdTokenError } from '../auth/google-id-token.js';
import { OidcProviderError } from '../auth/oidc.client.js';
import { CatalogError } from '../catalog/errors.js';
import { LibraryError } from '../catalog/library-errors.js';
import { ImageQueryError } from '../db/image-filters.js';
import { DaliParameterError } from '../vo/dali-params.js';
import { siaErrorVotable, VOTABLE_CONTENT_TYPE } from '../vo/votable.js';

/** An error the API answers with its own status and a message safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** For 400s: the request parameter (query, path or body field) that is wrong. */
    readonly parameter?: string,
    /** For 503s: when to ask again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const badParameter = (parameter: string, message: string) =>
  new HttpError(400, `${parameter} ${message}`, parameter);
export const unauthorized = (message = 'authentication required') => new HttpError(401, message);
export const forbidden = (message = 'not allowed') => new HttpError(403, message);
export const notFound = (message = 'not found') => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

const CATALOG_STATUS: Record<CatalogError['code'], number> = {
  CATALOG_NOT_FOUND: 404,
  CATALOG_TOO_LARGE: 413,
  CATALOG_BUSY: 503,
};

const LIBRARY_STATUS: Record<LibraryError['code'], number> = {
  LIBRARY_PATH_REFUSED: 400,
  LIBRARY_BAD_SETTING: 400,
  LIBRARY_NOT_FOUND: 404,
  LIBRARY_OVERLAPS: 409,
  LIBRARY_CONFIGURED: 409,
  LIBRARY_PAUSED: 409,
};

const ACCOUNT_STATUS: Record<AccountError['code'], number> = {
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_ACCOUNT_INACTIVE: 403,
  AUTH_SIGNUP_CLOSED: 403,
  AUTH_DOMAIN_NOT_ALLOWED: 403,
  AUTH_EMAIL_TAKEN: 409,
  AUTH_WEAK_PASSWORD: 400,
  AUTH_INVALID_EMAIL: 400,
  AUTH_NO_SUCH_USER: 404,
  AUTH_SELF_LOCKOUT: 409,
};

/** The request field an account error is about, for the 400s that name it. */
const ACCOUNT_PARAMETER: Partial<Record<AccountError['code'], string>> = {
  AUTH_WEAK_PASSWORD: 'password',
  AUTH_INVALID_EMAIL: 'email',
};

/**
 * The one table from domain errors (catalog, filters, accounts, identity providers) to what the
 * API answers. Null for anything else: a bug or an outage, answered 500 without internals.
 */
export function domainHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof CatalogError)
    return new HttpError(CATALOG_STATUS[error.code], error.message, undefined, error.retryAfterSeconds);
  if (error instanceof LibraryError) {
    const status = LIBRARY_STATUS[error.code];
    if (status === 400 && error.parameter) return badParameter(error.parameter, error.message);
    return new HttpError(status, error.message);
  }
  // A filter the schema let through but the catalog refuses; its message starts with the field.
  if (error instanceof ImageQueryError) return badParameter(error.field, error.message.slice(error.field.length + 2));
  if (error instanceof AccountError) {
    const parameter = ACCOUNT_PARAMETER[error.code];
    if (parameter) return badParameter(parameter, error.message.replace(new RegExp(`^${parameter} `), ''));
    return new HttpError(ACCOUNT_STATUS[error.code], error.message);
  }
  if (error instanceof IdTokenError) return new HttpError(401, error.message);
  if (error instanceof OidcProviderError) return new HttpError(502, error.message);
  return null;
}

/** Refusals of a sign-in or sign-up are logged with their reason (and the address tried). */
function logRefusal(request: FastifyRequest, error: unknown, status: number): void {
  if (error instanceof AccountError || error instanceof IdTokenError) {
    const body = request.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email : undefined;
    const reason = error instanceof AccountError ? error.code : error.message;
    request.log.warn({ reason, ...(email ? { email } : {}) }, 'sign-in or sign-up refused');
  } else if (error instanceof OidcProviderError) request.log.error({ err: error.cause }, error.message);
  else if (status === 401 || status === 403) request.log.info({ status, reason: (error as Error).message }, 'refused');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

export interface ErrorBody {
  error: string;
  message: string;
  parameter?: string;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
}

const ARTICLE_TYPES: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** Turns the first schema violation into `{parameter, message}` naming the parameter in API words. */
export function describeValidation(
  errors: AjvError[],
  context: string | undefined,
): { parameter: string; message: string } {
  const first = errors[0];
  if (!first) return { parameter: context ?? 'request', message: `${context ?? 'request'} is invalid` };
  const path = first.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  let parameter = path;
  if (first.keyword === 'required') parameter = [path, String(first.params.missingProperty)].filter(Boolean).join('.');
  if (first.keyword === 'additionalProperties')
    parameter = [path, String(first.params.additionalProperty)].filter(Boolean).join('.');
  if (!parameter) parameter = context === 'body' ? 'body' : (context ?? 'request');
  const expected = first.parentSchema?.['x-expected'];
  let message: string;
  switch (first.keyword) {
    case 'required':
      message = 'is required';
      break;
    case 'additionalProperties':
      message = 'is not a known field';
      break;
    case 'type': {
      const type = String(first.params.type).split(',')[0] ?? '';
      message = `must be ${ARTICLE_TYPES[type] ?? type}`;
      break;
    }
    case 'enum':
      message = `must be one of ${(first.params.allowedValues as unknown[]).join(', ')}`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      message = `must be ${first.params.comparison} ${first.params.limit}`;
      break;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const bound = first.keyword.startsWith('min') ? 'at least' : 'at most';
      message = first.keyword.endsWith('Length')
        ? `must be ${bound} ${first.params.limit} characters`
        : `must have ${bound} ${first.params.limit} items`;
      break;
    }
    default:
      message = typeof expected === 'string' ? `must be ${expected}` : (first.message ?? 'is invalid');
  }
  if (typeof expected === 'string' && ['pattern', 'format', 'type', 'enum'].includes(first.keyword))
    message = `must be ${expected}`;
  return { parameter, message: `${parameter} ${message}` };
}

/**
 * The one error handler: validation errors become a 400 naming the parameter; HttpErrors and domain
 * errors get their status and message (domainHttpError); anything else is logged with its stack
 * and answered without internals.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.validation) {
    const { parameter, message } = describeValidation(
      error.validation as unknown as AjvError[],
      error.validationContext,
    );
    request.log.info({ parameter, reason: message }, 'bad request');
    void reply.code(400).send({ error: statusText(400), message, parameter } satisfies ErrorBody);
    return;
  }
  const known = domainHttpError(error);
  if (known) {
    logRefusal(request, error, known.statusCode);
    const body: ErrorBody = { error: statusText(known.statusCode), message: known.message };
    if (known.parameter) body.parameter = known.parameter;
    if (known.retryAfterSeconds !== undefined) void reply.header('retry-after', String(known.retryAfterSeconds));
    void reply.code(known.statusCode).send(body);
    return;
  }
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: statusText(status), message: 'internal error' } satisfies ErrorBody);
    return;
  }
  // Fastify's own client errors (bad JSON, too large, unsupported media type, rate limit): their
  // messages describe the request, not the server, so they are safe to pass on.
  void reply.code(status).send({ error: statusText(status), message: error.message } satisfies ErrorBody);
}

/**
 * The error handler of the VO routes: a bad parameter, or a filter the catalog refuses, is a DALI
 * error document (400, QUERY_STATUS ERROR, the message starting with "UsageFault: "), which VO
 * clients read. A 401 also asks for HTTP Basic credentials (an API token as the password), so that
 * TOPCAT and browsers prompt for them. Anything else as elsewhere.
 */
export function voErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DaliParameterError || error instanceof ImageQueryError) {
    request.log.info({ reason: error.message }, 'bad VO request');
    void reply.code(400).type(VOTABLE_CONTENT_TYPE).send(siaErrorVotable(error.message));
    return;
  }
  if (domainHttpError(error)?.statusCode === 401)
    void reply.header('www-authenticate', 'Basic realm="AIMS", charset="UTF-8"');
  errorHandler(error, request, reply);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
}
