import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An error the API answers with its own status and a message safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** For 400s: the request parameter (query, path or body field) that is wrong. */
    readonly parameter?: string,
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
      message = `must be at least ${first.params.limit} characters`;
      break;
    case 'maxLength':
      message = `must be at most ${first.params.limit} characters`;
      break;
    case 'minItems':
      message = `must have at least ${first.params.limit} items`;
      break;
    case 'maxItems':
      message = `must have at most ${first.params.limit} items`;
      break;
    default:
      message = typeof expected === 'string' ? `must be ${expected}` : (first.message ?? 'is invalid');
  }
  if (typeof expected === 'string' && ['pattern', 'format', 'type'].includes(first.keyword))
    message = `must be ${expected}`;
  return { parameter, message: `${parameter} ${message}` };
}

/**
 * The one error handler: validation errors become a 400 naming the parameter; HttpErrors keep
 * their status and message; anything else is logged with its stack and answered without internals.
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
  if (error instanceof HttpError) {
    if (error.statusCode === 401 || error.statusCode === 403)
      request.log.info({ status: error.statusCode, reason: error.message }, 'refused');
    const body: ErrorBody = { error: statusText(error.statusCode), message: error.message };
    if (error.parameter) body.parameter = error.parameter;
    void reply.code(error.statusCode).send(body);
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

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
}
