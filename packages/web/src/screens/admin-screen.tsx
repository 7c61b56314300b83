/** Administration: accounts, libraries, the ingest ledger with live activity, the fixity check, the audit log. */
import { useCallback, useRef, useState } from 'react';
import type { User } from '../api/types.js';
import { AuditPanel } from './admin/audit-panel.js';
import { FixityPanel } from './admin/fixity-panel.js';
import { IngestPanel } from './admin/ingest-panel.js';
import { LibrariesPanel } from './admin/libraries-panel.js';
import { LivePanel } from './admin/live-panel.js';
import { UsersPanel } from './admin/users-panel.js';

type Tab = 'users' | 'libraries' | 'ingest' | 'fixity' | 'audit';

export default function AdminScreen({ self }: { self: User }) {
  const [tab, setTab] = useState<Tab>('users');
  const [refreshKey, setRefreshKey] = useState(0);
  // New frames refresh the ledger, at most every few seconds during a busy night.
  const last = useRef(0);
  const onFrame = useCallback(() => {
    const now = Date.now();
    if (now - last.current > 3000) {
      last.current = now;
      setRefreshKey((k) => k + 1);
    }
  }, []);
  const tabs: Array<[Tab, string]> = [
    ['users', 'Users'],
    ['libraries', 'Libraries'],
    ['ingest', 'Ingest'],
    ['fixity', 'Fixity'],
    ['audit', 'Audit log'],
  ];
  return (
    <div className="page admin-layout">
      <div className="admin-main">
        <h1 className="visually-hidden">Administration</h1>
        <div className="tabs" role="tablist" aria-label="Administration">
          {tabs.map(([key, label]) => (
            <button
              key={key}
              type="button"
              role="tab"
              id={`tab-${key}`}
              aria-selected={tab === key}
              aria-controls={`panel-${key}`}
              onClick={() => setTab(key)}
            >
              {label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'users' && <UsersPanel self={self} />}
          {tab === 'libraries' && <LibrariesPanel refreshKey={refreshKey} />}
          {tab === 'ingest' && <IngestPanel refreshKey={refreshKey} />}
          {tab === 'fixity' && <FixityPanel refreshKey={refreshKey} />}
          {tab === 'audit' && <AuditPanel refreshKey={refreshKey} />}
        </div>
      </div>
      <LivePanel onFrame={onFrame} />
    </div>
  );
}
