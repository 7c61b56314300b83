/**
 * The audit log: downloads, role and account changes, token changes, sign-ins that matter.
 *
 *   recordAudit(db, entry)                         appends one entry
 *   listAudit(db, {action?, actorId?, before?, limit}) → newest first, keyset by id
 */
import type { Selectable } from 'kysely';
import type { AuditEntry } from '../domain/user.js';
import type { AuditLogTable } from './accounts.schema.js';
import type { Db } from './connection.js';

type AuditRow = Selectable<AuditLogTable>;

export interface NewAuditEntry {
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
}

function mapAudit({ dialect }: Db, row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    actor_id: row.actor_id === null ? null : Number(row.actor_id),
    actor_email: row.actor_email,
    action: row.action,
    target: row.target,
    details: dialect.fromDbJson<Record<string, unknown>>(row.details),
    ip: row.ip,
  };
}

export async function recordAudit(database: Db, entry: NewAuditEntry): Promise<void> {
  await database.db
    .insertInto('audit_log')
    .values({
      at: Date.now(),
      actor_id: entry.actorId,
      actor_email: entry.actorEmail,
      action: entry.action,
      target: entry.target ?? null,
      details: database.dialect.toDbJson(entry.details ?? null),
      ip: entry.ip ?? null,
    })
    .execute();
}

export interface AuditQuery {
  action?: string | undefined;
  actorId?: number | undefined;
  /** Entries with an id below this (the `next_before` of the previous page). */
  before?: number | undefined;
  limit: number;
}

export async function listAudit(database: Db, query: AuditQuery): Promise<AuditEntry[]> {
  let q = database.db.selectFrom('audit_log').selectAll();
  if (query.action !== undefined) q = q.where('action', '=', query.action);
  if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map((row) => mapAudit(database, row));
}
