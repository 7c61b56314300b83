import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../db/audit.repository.js';
import type { Db } from '../db/connection.js';

/** Writes one audit entry for the request's user; a failure to audit is logged, never hidden. */
export async function audit(
  database: Db,
  request: FastifyRequest,
  action: string,
  target: string | null,
  details: Record<string, unknown> | null = null,
): Promise<void> {
  await recordAudit(database, {
    actorId: request.user?.id ?? null,
    actorEmail: request.user?.email ?? null,
    action,
    target,
    details,
    ip: request.ip,
  });
  request.log.info({ audit: action, target }, 'audited');
}
