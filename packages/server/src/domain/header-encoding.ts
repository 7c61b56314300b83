/**
 * A frame's headers as the catalog writes them: the JSON text of the `image_headers` row and the
 * searchable cards of the `image_keywords` rows (`header.KEY` filters).
 *
 *   searchableKeywords(headers): KeywordValues    flat: hdu index, key, number, text, per card
 *   encodeHeaders(headers): EncodedHeaders        both, computed once
 *   encodedHeaders(headers | encoded): EncodedHeaders
 *
 * An ingest worker encodes them where the frame was read: what crosses to the main thread, which
 * writes the catalog and is the busier of the two, is one string and one array of primitives
 * instead of an object per card, and the main thread neither walks the cards nor stringifies them.
 */
import type { StoredHdu } from './image.js';

/** Values a searchable card contributes, in this order. */
export const KEYWORD_FIELDS = ['hdu_index', 'key', 'num_value', 'str_value'] as const;
export const KEYWORD_STRIDE = KEYWORD_FIELDS.length;

/** Searchable cards, flat: `KEYWORD_STRIDE` values per card (hdu index, key, number or null, text or null). */
export type KeywordValues = Array<number | string | null>;

export interface EncodedHeaders {
  /** The headers as JSON text (`image_headers.headers`). */
  json: string;
  keywords: KeywordValues;
}

const SKIPPED_KEYS = new Set(['', 'COMMENT', 'HISTORY', 'END', 'CONTINUE']);

/**
 * The searchable cards of every HDU: the first occurrence of each keyword, numbers as numbers,
 * text trimmed and lower-cased (and as a number too when it reads as one: some programs write
 * '-10.5'), logicals as 1/0 and 't'/'f'. Commentary cards, undefined and complex values are left out.
 */
export function searchableKeywords(headers: readonly StoredHdu[]): KeywordValues {
  const out: KeywordValues = [];
  for (const hdu of headers) {
    const seen = new Set<string>();
    for (const card of hdu.cards) {
      const key = card.key.trim().toUpperCase();
      if (SKIPPED_KEYS.has(key) || seen.has(key) || card.value === null || Array.isArray(card.value)) continue;
      seen.add(key);
      const v = card.value;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) out.push(hdu.index, key, v, null);
      } else if (typeof v === 'boolean') out.push(hdu.index, key, v ? 1 : 0, v ? 't' : 'f');
      else {
        const text = v.trim();
        const asNumber = text === '' ? Number.NaN : Number(text);
        out.push(hdu.index, key, Number.isFinite(asNumber) ? asNumber : null, text.toLowerCase());
      }
    }
  }
  return out;
}

export function encodeHeaders(headers: readonly StoredHdu[]): EncodedHeaders {
  return { json: JSON.stringify(headers), keywords: searchableKeywords(headers) };
}

/** Headers as given to the catalog: already encoded (ingest), or cards to encode now. */
export function encodedHeaders(headers: readonly StoredHdu[] | EncodedHeaders): EncodedHeaders {
  return Array.isArray(headers) ? encodeHeaders(headers) : (headers as EncodedHeaders);
}
