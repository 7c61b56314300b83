import type { CardValue, Hdu } from '@aims/fits';
import type { StoredHdu } from '../domain/image.js';

type StoredValue = StoredHdu['cards'][number]['value'];

/**
 * A card value as JSON can hold it. Integers beyond 2^53 keep every digit as a string rather than
 * being rounded to a double.
 */
export function storedValue(value: CardValue): StoredValue {
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Every HDU's cards in the `aims header --json` shape, as the catalog stores them. */
export function storedHdus(hdus: readonly Hdu[]): StoredHdu[] {
  return hdus.map((hdu) => ({
    index: hdu.index,
    type: hdu.type,
    cards: hdu.header.cards.map((c) => ({ key: c.key, value: storedValue(c.value), comment: c.comment })),
  }));
}
