/**
 * A text field that edits a filter: it keeps what the user types, and commits a parsed value after
 * a short pause, on Enter or on blur. Text that does not parse is shown as an error and not sent.
 */
import { type InputHTMLAttributes, useEffect, useId, useRef, useState } from 'react';

export type Parse<T> = (text: string) => { value: T | undefined } | { error: string };

interface Props<T> extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  label: string;
  value: T | undefined;
  /** How the committed value is shown when it changes from outside (URL, reset). */
  format?: (value: T) => string;
  parse: Parse<T>;
  onCommit(value: T | undefined): void;
  delayMs?: number;
  hint?: string;
}

export function DraftInput<T>({ label, value, format, parse, onCommit, delayMs = 450, hint, ...rest }: Props<T>) {
  const id = useId();
  const shown = value === undefined ? '' : format ? format(value) : String(value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastShown = useRef(shown);

  // Outside changes (Back button, "clear all") replace the draft.
  useEffect(() => {
    if (shown !== lastShown.current) {
      lastShown.current = shown;
      setText(shown);
      setError(null);
    }
  }, [shown]);

  const commit = (raw: string) => {
    clearTimeout(timer.current);
    const result = raw.trim() === '' ? { value: undefined } : parse(raw);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setError(null);
    const next = result.value === undefined ? '' : format ? format(result.value) : String(result.value);
    if (next === shown && raw.trim() !== '') return;
    lastShown.current = next;
    onCommit(result.value);
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(v), delayMs);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(text);
        }}
        onBlur={() => commit(text)}
        {...rest}
      />
      {(error || hint) && (
        <span id={`${id}-note`} className={error ? 'field-error' : 'hint'}>
          {error ?? hint}
        </span>
      )}
    </div>
  );
}

export const parseText: Parse<string> = (text) => ({ value: text.trim().slice(0, 200) || undefined });

export function parseNumber(min: number, max: number, what: string): Parse<number> {
  return (text) => {
    const v = Number(text.trim().replace(',', '.'));
    if (!Number.isFinite(v)) return { error: `${what}: not a number` };
    if (v < min || v > max) return { error: `${what}: between ${min} and ${max}` };
    return { value: v };
  };
}
