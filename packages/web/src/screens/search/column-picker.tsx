/** Which columns the table shows (kept in localStorage). */
import { COLUMNS, DEFAULT_COLUMNS } from './columns.js';

export function ColumnPicker({ value, onChange }: { value: string[]; onChange(keys: string[]): void }) {
  const toggle = (key: string) => {
    const on = value.includes(key);
    // Keep the table's column order, whatever the click order.
    const next = COLUMNS.map((c) => c.key).filter((k) => (k === key ? !on : value.includes(k)));
    if (next.length) onChange(next);
  };
  return (
    <details className="menu">
      <summary className="btn btn-small">Columns</summary>
      <fieldset className="menu-panel">
        <legend className="visually-hidden">Columns shown</legend>
        {COLUMNS.map((c) => (
          <label key={c.key} className="check">
            <input type="checkbox" checked={value.includes(c.key)} onChange={() => toggle(c.key)} /> {c.label}
          </label>
        ))}
        <button type="button" className="link-button" onClick={() => onChange(DEFAULT_COLUMNS)}>
          Reset
        </button>
      </fieldset>
    </details>
  );
}
