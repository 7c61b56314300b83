import { type CardValue, parseSexagesimal } from '@aims/fits';

/**
 * Parsers from one card value to one typed value. A failure carries the sentence that ends up in
 * `NormalizedMetadata.reasons`, written with the keyword and the value as the header has them
 * ("CCD-TEMP 'n/a' is not a number"), so that a reader can find the card that caused it.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
export type ValueParser<T> = (value: CardValue, keyword: string) => Parsed<T>;

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });

/** A card value as the header shows it: strings in quotes, logicals as T/F. */
export function show(value: CardValue): string {
  if (value === null) return '(undefined value)';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (Array.isArray(value)) return `(${value[0]}, ${value[1]})`;
  return String(value);
}

/** Words that acquisition programs write in place of a value they do not have. */
const PLACEHOLDER = /^(n\/?a|none|null|nan|unknown|undefined|-+|\?+)$/i;

// Fortran-style exponents (1.0D+03) appear in old pipelines' string-valued numbers.
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/** A real number; numbers written as strings ('30.0') are accepted, words are not. */
export const numberValue: ValueParser<number> = (value, keyword) => {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? ok(value) : fail(`${keyword} ${show(value)} is not finite`);
  }
  if (typeof value === 'bigint') return ok(Number(value));
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return fail(`${keyword} is empty`);
    if (NUMBER_TEXT.test(text)) return ok(Number(text.replace(/[dD]/, 'e')));
  }
  if (value === null) return fail(`${keyword} has no value`);
  return fail(`${keyword} ${show(value)} is not a number`);
};

/** A whole number (`2` or `2.0`). */
export const integerValue: ValueParser<number> = (value, keyword) => {
  const parsed = numberValue(value, keyword);
  if (!parsed.ok) return parsed;
  return Number.isInteger(parsed.value) ? parsed : fail(`${keyword} ${show(value)} is not a whole number`);
};

export interface TextOptions {
  /** Accept a number as text (proposal IDs, observer codes); otherwise a number is refused. */
  numbers?: boolean;
  /** Refuse 'None', 'N/A', 'unknown'… (names of a thing, where such a word means "no thing"). */
  refusePlaceholders?: boolean;
}

/** A trimmed non-empty string. */
export function textValue(options: TextOptions = {}): ValueParser<string> {
  return (value, keyword) => {
    if (typeof value === 'number' || typeof value === 'bigint') {
      return options.numbers ? ok(String(value)) : fail(`${keyword} ${show(value)} is a number, not a name`);
    }
    if (typeof value !== 'string') {
      return value === null ? fail(`${keyword} has no value`) : fail(`${keyword} ${show(value)} is not text`);
    }
    const text = value.trim();
    if (text === '') return fail(`${keyword} is empty`);
    if (options.refusePlaceholders && PLACEHOLDER.test(text)) return fail(`${keyword} ${show(value)} names nothing`);
    return ok(text);
  };
}

/** An angle in degrees written as a number or as 'dd mm ss' text (latitudes, longitudes, Dec). */
export const degreesValue: ValueParser<number> = (value, keyword) => {
  if (typeof value === 'string') {
    const parsed = parseSexagesimal(value);
    return parsed === null ? fail(`${keyword} ${show(value)} is not an angle`) : ok(parsed);
  }
  const parsed = numberValue(value, keyword);
  return parsed.ok ? parsed : fail(`${keyword} ${show(value)} is not an angle`);
};
