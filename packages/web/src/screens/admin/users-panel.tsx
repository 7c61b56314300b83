/** Accounts: role, download right, activation — each change applies at the account's next request. */
import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { User } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { utc } from '../../lib/format.js';
import { useApi } from '../../lib/use-api.js';

export function UsersPanel({ self }: { self: User }) {
  const { data, error, reload } = useApi(() => api.users(), []);
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const list = users ?? data?.items ?? [];

  const change = async (user: User, patch: Partial<Pick<User, 'role' | 'can_download' | 'is_active'>>) => {
    setBusy(user.id);
    setProblem(null);
    // Shown at once; the server's answer replaces it (or the old value comes back with the reason).
    const before = list;
    setUsers(list.map((u) => (u.id === user.id ? { ...u, ...patch } : u)));
    try {
      const updated = await api.updateUser(user.id, patch);
      setUsers((current) => (current ?? before).map((u) => (u.id === updated.id ? updated : u)));
    } catch (e) {
      setUsers(before);
      setProblem(`${user.email}: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  if (error) return <ErrorNote error={error} retry={reload} />;
  if (!data) return <Spinner label="Loading accounts…" />;
  const pending = list.filter((u) => !u.is_active && !u.last_login_at).length;
  return (
    <section className="panel" aria-labelledby="users-title">
      <div className="panel-head">
        <h2 id="users-title">Users</h2>
        <span className="muted">
          {list.length} accounts{pending ? ` · ${pending} waiting for activation` : ''}
        </span>
      </div>
      {problem && (
        <p className="callout callout-error" role="alert">
          {problem}
        </p>
      )}
      <div className="scroll">
        <table className="data users-table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Role</th>
              <th scope="col">May download</th>
              <th scope="col">Active</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Created</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => {
              const isSelf = u.id === self.id;
              return (
                <tr key={u.id} data-email={u.email}>
                  <td>
                    {u.email}
                    {u.display_name && <span className="muted"> · {u.display_name}</span>}
                    {isSelf && <span className="badge">you</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={isSelf || busy === u.id}
                      onChange={(e) => void change(u, { role: e.target.value as User['role'] })}
                    >
                      <option value="user">user</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${u.email} may download`}
                      checked={u.role === 'admin' || u.can_download}
                      disabled={u.role === 'admin' || busy === u.id}
                      title={u.role === 'admin' ? 'Administrators may always download' : undefined}
                      onChange={(e) => void change(u, { can_download: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${u.email} is active`}
                      checked={u.is_active}
                      disabled={isSelf || busy === u.id}
                      onChange={(e) => void change(u, { is_active: e.target.checked })}
                    />
                  </td>
                  <td className="muted">
                    {[u.has_password && 'password', u.google_linked && 'Google', u.oidc_linked && 'OIDC']
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                  <td className="muted">{utc(u.created_at)}</td>
                  <td className="muted">{utc(u.last_login_at)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="hint">
        Changes apply at the account's next request, even to sessions already open. You cannot remove your own admin
        role or deactivate yourself.
      </p>
    </section>
  );
}
