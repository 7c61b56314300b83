/** The API's header cards as the `get(key)` view the FITS WCS reader takes. */
import type { HeaderCard } from '../../api/types.js';

export interface HeaderLike {
  get(key: string): boolean | number | string | [number, number] | null | undefined;
}

export function headerLike(cards: readonly HeaderCard[], fallback: readonly HeaderCard[] = []): HeaderLike {
  const map = new Map<string, HeaderCard['value']>();
  // The first card of a keyword wins, as in FITS readers; the fallback (the primary header of an
  // extension) only fills in keywords the HDU lacks.
  for (const card of [...cards, ...fallback]) {
    const key = card.key.toUpperCase();
    if (!map.has(key) && !['COMMENT', 'HISTORY', ''].includes(key)) map.set(key, card.value);
  }
  return { get: (key) => map.get(key.toUpperCase()) };
}
