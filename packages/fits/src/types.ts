import type { Problem } from './errors.js';

/** A card's value as the FITS Standard defines it. `null` is an undefined value (`KEY =   / c`). */
export type CardValue = boolean | number | bigint | string | [number, number] | null;

export interface Card {
  /**
   * Keyword as written without a `HIERARCH ` prefix; '' for a blank card. Standard keywords are
   * upper-cased; HIERARCH keys keep their case, as astropy does (lookups are case-insensitive).
   */
  key: string;
  /**
   * The value. COMMENT/HISTORY/blank and other commentary cards carry their text here as a string.
   * Integers beyond Number.MAX_SAFE_INTEGER are bigint. Strings have trailing blanks removed and
   * doubled quotes undone; CONTINUE cards are merged into the string of the card they continue.
   */
  value: CardValue;
  /** Text after the `/`, trimmed; '' when none. */
  comment: string;
  /** True for cards that carry no value indicator (COMMENT, HISTORY, blank, or any key without `= `). */
  commentary: boolean;
  /** Index of the first 80-byte card this card came from, within its header. */
  index: number;
  /** The 80-byte images this card was read from (more than one when CONTINUE cards were merged). */
  raw: string;
}

/** A random-access source of bytes. Only `node.ts` implements one on top of the file system. */
export interface ByteSource {
  /** Total length in bytes when known (unknown for a stream being decompressed). */
  readonly size: number | undefined;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer bytes only at the end of the source.
   * The returned array may be a view of an internal buffer valid until the next call.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Reads up to `target.length` bytes at `offset` into `target` and resolves to how many it read
   * (fewer only at the end of the source). Optional: a source that can fill the caller's buffer
   * spares the pixel reader a fresh allocation per read.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
  close?(): Promise<void>;
}

export type HduType = 'PRIMARY' | 'IMAGE' | 'BINTABLE' | 'TABLE' | 'RANDOM_GROUPS' | 'COMPRESSED_IMAGE' | 'UNKNOWN';

export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

export interface Problems {
  problems: Problem[];
}

/** The least a header must offer to the WCS, angle and normalization code: look up a keyword. */
export interface HeaderLike {
  /** Value of the first card with this keyword (upper case, no HIERARCH prefix), or undefined. */
  get(key: string): CardValue | undefined;
}
