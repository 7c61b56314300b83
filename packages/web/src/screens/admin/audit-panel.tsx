/** The audit log, newest first: downloads, role changes, sign-ups, re-queues. */
import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { AuditEntry } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { utc } from '../../lib/format.js';
import { useApi } from '../../lib/use-api.js';

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

/** `changes: {is_active: {from: true, to: false}}` reads as "is_active: true → false". */
export function auditDetails(entry: Pick<AuditEntry, 'details'>): string {
  if (!entry.details) return '';
  return Object.entries(entry.details)
    .flatMap(([k, v]) => {
      if (k === 'changes' && typeof v === 'object' && v !== null)
        return Object.entries(v).map(([field, c]) =>
          isChange(c) ? `${field}: ${String(c.from)} → ${String(c.to)}` : `${field}: ${JSON.stringify(c)}`,
        );
      return [`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`];
    })
    .join(' · ');
}

export function AuditPanel({ refreshKey }: { refreshKey: number }) {
  const [action, setAction] = useState('');
  const first = useApi(() => api.audit({ action: action.trim() || undefined, limit: 100 }), [action, refreshKey]);
  const [older, setOlder] = useState<{ items: AuditEntry[]; next: number | null } | null>(null);
  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const next = older ? older.next : (first.data?.next_before ?? null);

  const loadOlder = async () => {
    if (next === null) return;
    const page = await api.audit({ action: action.trim() || undefined, before: next, limit: 100 });
    setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.next_before });
  };

  return (
    <section className="panel" aria-labelledby="audit-title">
      <div className="panel-head">
        <h2 id="audit-title">Audit log</h2>
        <input
          type="search"
          aria-label="Filter by action"
          placeholder="action, e.g. download.zip"
          value={action}
          onChange={(e) => {
            setOlder(null);
            setAction(e.target.value);
          }}
          className="inline-search"
        />
      </div>
      {first.error && <ErrorNote error={first.error} retry={first.reload} />}
      {!first.data && !first.error && <Spinner />}
      {first.data && items.length === 0 && <p className="muted">No entries.</p>}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling panel must take focus, or keyboard users cannot scroll it (WCAG 2.1.1; axe scrollable-region-focusable)
        <section className="scroll audit-scroll" aria-label="Audit entries" tabIndex={0}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{utc(e.at)}</td>
                  <td>{e.actor_email ?? (e.actor_id ? `#${e.actor_id}` : 'anonymous')}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ?? ''}</td>
                  <td className="reason">{auditDetails(e)}</td>
                  <td className="muted">{e.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next !== null && (
            <button type="button" className="btn btn-small" onClick={() => void loadOlder()}>
              Older entries
            </button>
          )}
        </section>
      )}
    </section>
  );
}
