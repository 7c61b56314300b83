import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';

/** A caller's own request id is kept when it looks like one (so logs join across proxies). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const id = Array.isArray(header) ? header[0] : header;
  return id && REQUEST_ID.test(id) ? id : randomUUID();
}

/**
 * pino options: JSON lines with `request_id` on every line of a request (Fastify binds it to
 * request.log), human-readable through pino-pretty when stdout is a terminal. Credentials never
 * reach the log.
 */
export function loggerOptions(
  level: Config['logLevel'],
  pretty = Boolean(process.stdout.isTTY),
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
