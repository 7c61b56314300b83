/** Loading, error and empty states, the same everywhere. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

function explain(error: Error): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Not allowed: ${error.message}.`;
    if (error.status === 404) return `Not found: ${error.message}.`;
    if (error.status === 400) return `The request was refused: ${error.message}.`;
    if (error.status === 0) return 'The AIMS server cannot be reached. Is it running?';
    return `${error.message} (HTTP ${error.status}).`;
  }
  return error.message;
}

export function ErrorNote({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong.</strong> {explain(error)}
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}
