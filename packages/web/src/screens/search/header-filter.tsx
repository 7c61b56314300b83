/**
 * Conditions on any header card of any HDU (`header.KEY=value`, `≥ n`, `≤ n`): the active ones as
 * removable chips, and a row that adds one. A keyword or value the server would refuse is shown
 * as an error next to its field and never sent.
 */
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import type { ImageFilters } from '../../api/types.js';
import {
  describeCondition,
  HEADER_OPS,
  type HeaderOp,
  headerConditions,
  headerParam,
  keywordError,
  MAX_VALUE_LENGTH,
  normalizeKeyword,
  normalizeValue,
  OP_SYMBOL,
  valueError,
  withHeaderCondition,
  withoutHeaderCondition,
} from '../../lib/header-conditions.js';

interface Props {
  filters: ImageFilters;
  /** Keywords offered as the user types (a datalist: any other keyword may be typed too). */
  keywords: readonly string[];
  onChange(filters: ImageFilters): void;
}

interface Errors {
  key?: string | undefined;
  value?: string | undefined;
}

export function HeaderFilter({ filters, keywords, onChange }: Props) {
  const ids = { key: useId(), op: useId(), value: useId(), list: useId() };
  const [key, setKey] = useState('');
  const [op, setOp] = useState<HeaderOp>('=');
  const [value, setValue] = useState('');
  // Errors of "required" kind wait for an Add; a wrong keyword or a non-number shows as it is typed.
  const [missing, setMissing] = useState<Errors>({});
  const keyInput = useRef<HTMLInputElement>(null);
  const valueInput = useRef<HTMLInputElement>(null);
  const conditions = headerConditions(filters);

  const normalKey = normalizeKeyword(key);
  const normalValue = normalizeValue(op, value);
  const errors: Errors = {
    key: normalKey === '' ? missing.key : (keywordError(normalKey) ?? undefined),
    value: normalValue === '' ? missing.value : (valueError(op, normalValue) ?? undefined),
  };

  const add = () => {
    const keyProblem = keywordError(normalKey) ?? undefined;
    const valueProblem = valueError(op, normalValue) ?? undefined;
    if (keyProblem || valueProblem) {
      setMissing({ key: keyProblem, value: valueProblem });
      (keyProblem ? keyInput : valueInput).current?.focus();
      return;
    }
    setMissing({});
    setKey('');
    setValue('');
    onChange(withHeaderCondition(filters, { key: normalKey, op, value: normalValue }));
    keyInput.current?.focus();
  };
  const addOnEnter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    // Enter on a keyword (typed, or picked from the suggestions) goes on to its value.
    if (e.currentTarget === keyInput.current && normalValue === '' && keywordError(normalKey) === null)
      valueInput.current?.focus();
    else add();
  };

  return (
    <fieldset className="group header-filter">
      <legend>Header keywords</legend>
      {conditions.length > 0 && (
        <ul className="chips chip-list" aria-label="Header conditions">
          {conditions.map((c) => (
            <li key={headerParam(c)}>
              <button
                type="button"
                className="chip chip-on"
                aria-label={`Remove ${describeCondition(c)}`}
                title="Remove this condition"
                onClick={() => onChange(withoutHeaderCondition(filters, c))}
              >
                {describeCondition(c)} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={ids.key}>Keyword</label>
        <input
          id={ids.key}
          ref={keyInput}
          value={key}
          list={ids.list}
          maxLength={80}
          placeholder="FOCPOS, CCD-TEMP"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.key ? true : undefined}
          aria-describedby={errors.key ? `${ids.key}-error` : undefined}
          onChange={(e) => setKey(e.target.value.toUpperCase())}
          onKeyDown={addOnEnter}
        />
        {errors.key && (
          <span id={`${ids.key}-error`} className="field-error">
            {errors.key}
          </span>
        )}
        <datalist id={ids.list}>
          {keywords.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </div>
      <div className="field-row header-filter-row">
        <div className="field header-filter-op">
          <label htmlFor={ids.op}>Operator</label>
          <select id={ids.op} value={op} onChange={(e) => setOp(e.target.value as HeaderOp)}>
            {HEADER_OPS.map((o) => (
              <option key={o} value={o}>
                {OP_SYMBOL[o]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.value}>Value</label>
          <input
            id={ids.value}
            ref={valueInput}
            value={value}
            maxLength={MAX_VALUE_LENGTH}
            inputMode={op === '=' ? 'text' : 'decimal'}
            placeholder={op === '=' ? 'Ha, 300' : '12340'}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.value ? true : undefined}
            aria-describedby={errors.value ? `${ids.value}-error` : undefined}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={addOnEnter}
          />
        </div>
        <button type="button" className="btn btn-small header-filter-add" onClick={add}>
          Add
        </button>
      </div>
      {errors.value ? (
        <span id={`${ids.value}-error`} className="field-error">
          {errors.value}
        </span>
      ) : (
        <span className="hint">Any card of any HDU. Text compares without case, numbers as numbers.</span>
      )}
    </fieldset>
  );
}
