import type { CardValue, HeaderLike } from '@aims/fits';

/**
 * The headers of one image as normalization sees them: the image HDU's own cards first, then the
 * primary's (the INHERIT convention, applied whether or not INHERIT is written, because HST and
 * other multi-extension files keep the observation keywords in the primary without it).
 * Structural keywords (NAXISn, BITPIX, …) are read from the image HDU only.
 */
export class HeaderView implements HeaderLike {
  readonly #searchOrder: readonly HeaderLike[];
  readonly #image: HeaderLike | undefined;

  /** `headers`: primary first, then the image HDU used (absent when the primary is the image). */
  constructor(headers: readonly HeaderLike[]) {
    const image = headers.at(-1);
    this.#searchOrder = image?.get('INHERIT') === false ? [image] : [...headers].reverse();
    this.#image = image;
  }

  get(key: string): CardValue | undefined {
    for (const header of this.#searchOrder) {
      const value = header.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** A keyword of the image HDU itself, never inherited (NAXIS, BITPIX, ZIMAGE…). */
  own(key: string): CardValue | undefined {
    return this.#image?.get(key);
  }
}

/** A HeaderLike over plain entries, for tests and for headers held as JSON. */
export function headerFromEntries(entries: Iterable<readonly [string, CardValue]>): HeaderLike {
  const map = new Map<string, CardValue>();
  for (const [key, value] of entries) {
    const upper = key.toUpperCase();
    // Like a FITS header: the first card with a keyword wins.
    if (!map.has(upper)) map.set(upper, value);
  }
  return { get: (key) => map.get(key.toUpperCase()) };
}
