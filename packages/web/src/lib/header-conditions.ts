/**
 * Header-keyword conditions (`header.KEY=value`, `header.KEY>=n`, `header.KEY<=n`) as the API takes
 * them (docs/api.md "Searching"). In the filters, the page URL and every API call they are kept in
 * the API's own wire form — parameter `header.KEY` (=), `header.KEY>` (≥) or `header.KEY<` (≤), the
 * value as typed — so that they reach the page, the facets, the exports and the ZIP of every match
 * unchanged. This module reads that form as a list of conditions and writes conditions back into it.
 */
import type { HeaderKeywords, HeaderParam, ImageFilters } from '../api/types.js';

export type HeaderOp = '=' | '>=' | '<=';

export interface HeaderCondition {
  key: string;
  op: HeaderOp;
  value: string;
}

export const HEADER_OPS: readonly HeaderOp[] = ['=', '>=', '<='];
export const OP_SYMBOL: Record<HeaderOp, string> = { '=': '=', '>=': '≥', '<=': '≤' };

const PREFIX = 'header.';
/**
 * What the server accepts as a keyword (db/image-filters.ts): the standard's up to 8 of A–Z 0–9 - _,
 * or a HIERARCH-style name ("ESO DET DIT") of letters, digits, - _ . and blanks, up to 70.
 */
const KEYWORD = /^[A-Z0-9_\-. ]{1,70}$/;
/** The server's limit on a header parameter's value. */
export const MAX_VALUE_LENGTH = 200;
/** Enough for any real search; keeps a hand-made URL from growing the form without bound. */
export const MAX_CONDITIONS = 12;

/**
 * A keyword as the catalog keeps it: upper case, blanks trimmed and single, without the `HIERARCH `
 * of a long name's card (the catalog stores `ESO DET DIT`, as `aims header` shows it).
 */
export function normalizeKeyword(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase()
    .replace(/^HIERARCH /, '');
}

/** Why a (normalized) keyword cannot be searched, or null. */
export function keywordError(key: string): string | null {
  if (key === '') return 'Keyword: required';
  if (!KEYWORD.test(key)) return 'Keyword: letters, digits, - and _ (HIERARCH names also . and blanks), up to 70';
  return null;
}

/** The value as sent: trimmed; for ≥ and ≤ a number with a dot for decimals. */
export function normalizeValue(op: HeaderOp, text: string): string {
  const value = text.trim();
  return op === '=' ? value : value.replace(',', '.');
}

/** Why a (normalized) value cannot go with its operator, or null. */
export function valueError(op: HeaderOp, value: string): string | null {
  if (value === '') return 'Value: required';
  if (value.length > MAX_VALUE_LENGTH) return `Value: at most ${MAX_VALUE_LENGTH} characters`;
  if (op !== '=' && !Number.isFinite(Number(value))) return `${OP_SYMBOL[op]} needs a number, e.g. 12340 or -9.5`;
  return null;
}

export function isHeaderParam(name: string): name is HeaderParam {
  return name.startsWith(PREFIX);
}

/** The API parameter of a condition: `header.KEY` (=), `header.KEY>` (≥), `header.KEY<` (≤). */
export function headerParam(condition: HeaderCondition): HeaderParam {
  const suffix = condition.op === '>=' ? '>' : condition.op === '<=' ? '<' : '';
  return `${PREFIX}${condition.key}${suffix}`;
}

/**
 * A condition from an API parameter and its value, read the way the server reads it (a value
 * `>=30` under `header.KEY` is a range too), or null when the server would refuse it.
 */
export function headerCondition(param: string, rawValue: string): HeaderCondition | null {
  if (!isHeaderParam(param)) return null;
  let name = param.slice(PREFIX.length);
  let value = rawValue;
  let op: HeaderOp = '=';
  if (name.endsWith('>')) [name, op] = [name.slice(0, -1), '>='];
  else if (name.endsWith('<')) [name, op] = [name.slice(0, -1), '<='];
  else if (value.startsWith('>=')) [value, op] = [value.slice(2), '>='];
  else if (value.startsWith('<=')) [value, op] = [value.slice(2), '<='];
  const key = normalizeKeyword(name);
  value = normalizeValue(op, value);
  if (keywordError(key) !== null || valueError(op, value) !== null) return null;
  return { key, op, value };
}

/** The header conditions among the filters, in the order they were added. */
export function headerConditions(filters: ImageFilters): HeaderCondition[] {
  const conditions: HeaderCondition[] = [];
  for (const [param, value] of Object.entries(filters)) {
    if (typeof value !== 'string') continue;
    const condition = headerCondition(param, value);
    if (condition) conditions.push(condition);
  }
  return conditions;
}

/**
 * The filters with a condition added. A condition on the same keyword and operator replaces the
 * old one (one parameter each: `FOCPOS ≥ 100` and `FOCPOS ≤ 200` make a range, two `=` would
 * match nothing).
 */
export function withHeaderCondition(filters: ImageFilters, condition: HeaderCondition): ImageFilters {
  const next: ImageFilters = { ...filters };
  delete next[headerParam(condition)];
  if (headerConditions(next).length >= MAX_CONDITIONS) return filters;
  next[headerParam(condition)] = condition.value;
  return next;
}

export function withoutHeaderCondition(filters: ImageFilters, condition: HeaderCondition): ImageFilters {
  const next: ImageFilters = { ...filters };
  delete next[headerParam(condition)];
  return next;
}

/** "FOCPOS ≥ 12340", for chips and labels. */
export function describeCondition(condition: HeaderCondition): string {
  return `${condition.key} ${OP_SYMBOL[condition.op]} ${condition.value}`;
}

/** Keywords offered while typing when the server offers none: what cameras and capture programs write. */
export const COMMON_KEYWORDS: readonly string[] = [
  'AIRMASS',
  'CCD-TEMP',
  'DATE-OBS',
  'EXPOSURE',
  'EXPTIME',
  'FILTER',
  'FOCALLEN',
  'FOCPOS',
  'FOCTEMP',
  'GAIN',
  'IMAGETYP',
  'INSTRUME',
  'NAXIS1',
  'NAXIS2',
  'OBJECT',
  'OBSERVER',
  'OFFSET',
  'READOUTM',
  'SET-TEMP',
  'SITELAT',
  'SITELONG',
  'SWCREATE',
  'TELESCOP',
  'XBINNING',
  'XPIXSZ',
  'YBINNING',
  'YPIXSZ',
];

/**
 * The keywords to suggest: the catalog's own (GET /api/images/keywords) when it sent them all,
 * else those it sent and the common ones.
 */
export function suggestedKeywords(known: HeaderKeywords | undefined): readonly string[] {
  if (!known || known.keywords.length === 0) return COMMON_KEYWORDS;
  if (known.complete) return known.keywords;
  return [...new Set([...known.keywords, ...COMMON_KEYWORDS])].sort();
}
