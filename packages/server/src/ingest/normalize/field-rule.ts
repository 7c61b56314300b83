import type { HeaderLike } from '@aims/fits';
import type { ImageMetadata } from '../../domain/image.js';
import { show, type ValueParser } from './value-parsers.js';

/** One keyword a field may be read from, with the conversion to the field's unit. */
export interface KeywordSource {
  key: string;
  /** value × scale + offset gives the field's unit (metres → mm: scale 1000; K → °C: offset −273.15). */
  scale?: number;
  offset?: number;
}

/** How one metadata field is read: candidates in priority order, a parser, a plausible range. */
export interface FieldRule<T> {
  field: keyof ImageMetadata;
  keywords: readonly (string | KeywordSource)[];
  parse: ValueParser<T>;
  /** Inclusive bounds, in the field's unit, outside which a value is refused rather than stored. */
  range?: readonly [number, number];
}

export interface Resolved<T> {
  value: T | null;
  /** The keyword the value came from. */
  source?: string;
  /** Why the value is null, or which candidates were refused before the one used. */
  reason?: string;
}

const toSource = (entry: string | KeywordSource): KeywordSource => (typeof entry === 'string' ? { key: entry } : entry);

/** "no EXPTIME, EXPOSURE, EXP_TIME, …": the missing-value reason, short enough to read. */
export function missingReason(keys: readonly string[]): string {
  const listed = keys.slice(0, 4).join(', ');
  return `no ${listed}${keys.length > 4 ? ', …' : ''}`;
}

/**
 * The first candidate that is present, parses, and lies in range. Refused candidates are kept in
 * the reason so that a bad card is visible even when a later synonym supplied the value.
 */
export function resolveField<T>(header: HeaderLike, rule: FieldRule<T>): Resolved<T> {
  const refused: string[] = [];
  for (const entry of rule.keywords) {
    const { key, scale = 1, offset = 0 } = toSource(entry);
    const raw = header.get(key);
    if (raw === undefined) continue;
    const parsed = rule.parse(raw, key);
    if (!parsed.ok) {
      refused.push(parsed.reason);
      continue;
    }
    let value = parsed.value;
    if (typeof value === 'number' && (scale !== 1 || offset !== 0)) {
      value = (value * scale + offset) as T;
    }
    if (rule.range && typeof value === 'number') {
      const [min, max] = rule.range;
      if (!(value >= min && value <= max)) {
        refused.push(`${key} ${show(raw)} is outside the plausible range ${min}…${max}`);
        continue;
      }
    }
    return refused.length > 0
      ? { value, source: key, reason: `${refused.join('; ')}; used ${key}` }
      : { value, source: key };
  }
  const keys = rule.keywords.map((entry) => toSource(entry).key);
  return { value: null, reason: refused.length > 0 ? refused.join('; ') : missingReason(keys) };
}
