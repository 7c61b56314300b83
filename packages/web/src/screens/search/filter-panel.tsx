/**
 * Every filter of GET /api/images: object (with suggestions), night and date, time of night,
 * CCD temperature, quality, camera, telescope, filter chips and image types with counts from the
 * facets, a cone search that takes sexagesimal coordinates, and conditions on any header keyword.
 */
import { useId } from 'react';
import { type Facets, IMAGE_TYPES, type ImageFilters } from '../../api/types.js';
import { formatDec, formatRa, parseDec, parseRa, parseRadius } from '../../lib/angles.js';
import { COMMON_KEYWORDS } from '../../lib/header-conditions.js';
import { DraftInput, type Parse, parseNumber, parseText } from './draft-input.js';
import { HeaderFilter } from './header-filter.js';

interface Props {
  filters: ImageFilters;
  facets: Facets | undefined;
  /** Header keywords to suggest; COMMON_KEYWORDS when not given. */
  keywords?: readonly string[] | undefined;
  onChange(filters: ImageFilters): void;
}

function set<K extends keyof ImageFilters>(
  filters: ImageFilters,
  key: K,
  value: ImageFilters[K] | undefined,
): ImageFilters {
  const next = { ...filters };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

function Chips({
  label,
  values,
  current,
  onPick,
}: {
  label: string;
  values: Array<{ value: string; count?: number }>;
  current: string | undefined;
  onPick(value: string | undefined): void;
}) {
  if (!values.length) return null;
  return (
    <fieldset className="chips">
      <legend>{label}</legend>
      {values.map((v) => {
        const active = current !== undefined && current.toLowerCase() === v.value.toLowerCase();
        return (
          <button
            key={v.value}
            type="button"
            className={`chip ${active ? 'chip-on' : ''}`}
            aria-pressed={active}
            onClick={() => onPick(active ? undefined : v.value)}
          >
            {v.value} {v.count !== undefined && <span className="chip-count">{v.count.toLocaleString('en-US')}</span>}
          </button>
        );
      })}
    </fieldset>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: Array<{ value: string; count: number }>;
  onChange(value: string | undefined): void;
}) {
  const id = useId();
  const known = value === undefined || options.some((o) => o.value === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">Any</option>
        {!known && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({o.count.toLocaleString('en-US')})
          </option>
        ))}
      </select>
    </div>
  );
}

/** A native date or time input for one filter; a value it does not accept clears the filter. */
function NativeInput({
  label,
  type,
  value,
  accepts = (text) => text !== '',
  onChange,
}: {
  label: string;
  type: 'date' | 'time';
  value: string | undefined;
  accepts?: (text: string) => boolean;
  onChange(value: string | undefined): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value ?? ''}
        onChange={(e) => onChange(accepts(e.target.value) ? e.target.value : undefined)}
      />
    </div>
  );
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const isTime = (text: string) => TIME.test(text);

/** A DraftInput parser from a parser that answers null for text it cannot read. */
const orError =
  (parse: (text: string) => number | null, error: string): Parse<number> =>
  (text) => {
    const value = parse(text);
    return value === null ? { error } : { value };
  };

export function FilterPanel({ filters, facets, keywords = COMMON_KEYWORDS, onChange }: Props) {
  const ids = {
    objects: useId(),
    quality: useId(),
  };
  const update =
    <K extends keyof ImageFilters>(key: K) =>
    (value: ImageFilters[K] | undefined) =>
      onChange(set(filters, key, value));
  const typeCounts = new Map((facets?.image_type ?? []).map((f) => [f.value, f.count]));

  const cone = (ra: number | undefined, dec: number | undefined, radius: number | undefined) => {
    const next = { ...filters };
    delete next.ra;
    delete next.dec;
    delete next.radius;
    onChange({
      ...next,
      ...(ra !== undefined ? { ra } : {}),
      ...(dec !== undefined ? { dec } : {}),
      ...(radius !== undefined ? { radius } : {}),
    });
  };

  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <DraftInput
        label="Object"
        value={filters.object}
        parse={parseText}
        onCommit={update('object')}
        list={ids.objects}
        placeholder="M 13, NGC*, AD Leo"
        autoComplete="off"
      />
      <datalist id={ids.objects}>
        {(facets?.object_name ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.count} frames
          </option>
        ))}
      </datalist>

      <Select label="Night" value={filters.night} options={facets?.night ?? []} onChange={update('night')} />

      <div className="field-row">
        <NativeInput label="Date (UTC)" type="date" value={filters.date} onChange={update('date')} />
      </div>
      <div className="field-row">
        <NativeInput label="From" type="date" value={filters.date_from} onChange={update('date_from')} />
        <NativeInput label="To" type="date" value={filters.date_to} onChange={update('date_to')} />
      </div>

      <fieldset className="group">
        <legend>Time of night (UTC)</legend>
        <div className="field-row">
          <NativeInput
            label="After"
            type="time"
            value={filters.start_time}
            accepts={isTime}
            onChange={update('start_time')}
          />
          <NativeInput
            label="Before"
            type="time"
            value={filters.end_time}
            accepts={isTime}
            onChange={update('end_time')}
          />
        </div>
        <span className="hint">22:00 → 04:00 crosses midnight.</span>
      </fieldset>

      <fieldset className="group">
        <legend>CCD temperature (°C)</legend>
        <div className="field-row">
          <DraftInput
            label="Min"
            value={filters.min_temp}
            parse={parseNumber(-300, 300, 'min')}
            onCommit={update('min_temp')}
            inputMode="decimal"
          />
          <DraftInput
            label="Max"
            value={filters.max_temp}
            parse={parseNumber(-300, 300, 'max')}
            onCommit={update('max_temp')}
            inputMode="decimal"
          />
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={ids.quality}>
          Quality ≥ <output htmlFor={ids.quality}>{filters.min_quality ?? 0}</output>
        </label>
        <input
          id={ids.quality}
          type="range"
          min={0}
          max={100}
          step={5}
          value={filters.min_quality ?? 0}
          onChange={(e) => update('min_quality')(Number(e.target.value) || undefined)}
        />
      </div>

      <Chips
        label="Filter"
        values={facets?.filter_name ?? []}
        current={filters.filter_name}
        onPick={update('filter_name')}
      />
      <Chips
        label="Image type"
        values={IMAGE_TYPES.map((t) => ({ value: t, count: typeCounts.get(t) ?? 0 })).filter(
          (t) => t.count > 0 || filters.image_type === t.value,
        )}
        current={filters.image_type}
        onPick={(v) => update('image_type')(v as ImageFilters['image_type'])}
      />
      <Select label="Camera" value={filters.camera} options={facets?.camera ?? []} onChange={update('camera')} />
      <Select
        label="Telescope"
        value={filters.telescope}
        options={facets?.telescope ?? []}
        onChange={update('telescope')}
      />

      <fieldset className="group">
        <legend>Cone search</legend>
        <div className="field-row">
          <DraftInput
            label="RA"
            value={filters.ra}
            format={(v) => formatRa(v, 1)}
            parse={orError(parseRa, 'RA: hours "10 19 39" or degrees')}
            onCommit={(v) => cone(v, filters.dec, filters.radius)}
            placeholder="10 19 39"
            autoComplete="off"
          />
          <DraftInput
            label="Dec"
            value={filters.dec}
            format={(v) => formatDec(v, 0)}
            parse={orError(parseDec, 'Dec: "+19:52:12" or degrees')}
            onCommit={(v) => cone(filters.ra, v, filters.radius)}
            placeholder="+19:52:12"
            autoComplete="off"
          />
        </div>
        <DraftInput
          label="Radius"
          value={filters.radius}
          format={(v) => `${+(v * 60).toFixed(3)}'`}
          parse={orError(parseRadius, 'Radius: degrees, or 10\' / 30"')}
          onCommit={(v) => cone(filters.ra, filters.dec, v)}
          placeholder="0.5 or 10'"
          autoComplete="off"
          hint="RA, Dec and radius together"
        />
      </fieldset>

      <HeaderFilter filters={filters} keywords={keywords} onChange={onChange} />
    </form>
  );
}
