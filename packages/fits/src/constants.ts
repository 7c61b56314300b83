/** Sizes fixed by the FITS Standard 4.0 (§3.1, §4.1). */
export const BLOCK_SIZE = 2880;
export const CARD_LENGTH = 80;
export const CARDS_PER_BLOCK = BLOCK_SIZE / CARD_LENGTH;
/** Keyword field is bytes 1–8; the value indicator "= " is bytes 9–10. */
export const KEYWORD_LENGTH = 8;
export const VALUE_INDICATOR_OFFSET = 8;

/**
 * Limits applied to untrusted headers before anything is allocated. A header of 100,000 cards is
 * already 8 MB of text; real headers in the fixtures have at most ~800 cards.
 */
export const DEFAULT_LIMITS = {
  maxHeaderBytes: 64 * 1024 * 1024,
  maxHdus: 10_000,
  /** Largest array a reader will allocate in one piece (elements). Bigger reads must use row ranges. */
  maxPixelsInMemory: 512 * 1024 * 1024,
  maxNaxis: 999,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
