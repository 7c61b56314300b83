import { parseAsciiCard, parseCard } from './card.js';
import { BLOCK_SIZE, CARD_LENGTH, DEFAULT_LIMITS, KEYWORD_LENGTH } from './constants.js';
import { FitsError, FitsErrorCode, type Problem, ProblemCode } from './errors.js';
import type { Card, CardValue, HeaderLike } from './types.js';

/** Bytes `END` followed by five blanks: the keyword field of the END card. */
const END_KEYWORD = [0x45, 0x4e, 0x44, 0x20, 0x20, 0x20, 0x20, 0x20];
const BLANK = 0x20;

/**
 * The cards of one header, in order, with lookups by keyword. Lookups are case-insensitive;
 * commentary cards (COMMENT, HISTORY, blank) are only reachable through `getAll` and `cards`.
 */
export class Header implements HeaderLike {
  readonly cards: readonly Card[];
  readonly problems: Problem[];
  readonly #byKey = new Map<string, Card[]>();
  readonly #commentary = new Map<string, Card[]>();

  constructor(cards: readonly Card[], problems: Problem[] = []) {
    this.cards = cards;
    this.problems = problems;
    for (const card of cards) {
      const map = card.commentary ? this.#commentary : this.#byKey;
      const key = card.key.toUpperCase();
      const list = map.get(key);
      if (list) list.push(card);
      else map.set(key, [card]);
    }
  }

  /** The value of the first value card with this keyword (astropy's `header[key]`). */
  get(key: string): CardValue | undefined {
    return this.#byKey.get(key.toUpperCase())?.[0]?.value;
  }

  /** Every card with this keyword, value and commentary cards alike, in header order. */
  getAll(key: string): Card[] {
    const upper = key.toUpperCase();
    const values = this.#byKey.get(upper) ?? [];
    const commentary = this.#commentary.get(upper) ?? [];
    if (commentary.length === 0) return [...values];
    if (values.length === 0) return [...commentary];
    return [...values, ...commentary].sort((a, b) => a.index - b.index);
  }

  has(key: string): boolean {
    return this.#byKey.has(key.toUpperCase());
  }

  /** A number (a bigint converted, possibly rounded); undefined for strings, logicals and the rest. */
  number(key: string): number | undefined {
    const value = this.get(key);
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    return undefined;
  }

  /** An integer-valued number (`2` or `2.0`); undefined for a non-integral number or another type. */
  integer(key: string): number | undefined {
    const value = this.number(key);
    return value !== undefined && Number.isInteger(value) ? value : undefined;
  }

  string(key: string): string | undefined {
    const value = this.get(key);
    return typeof value === 'string' ? value : undefined;
  }

  boolean(key: string): boolean | undefined {
    const value = this.get(key);
    return typeof value === 'boolean' ? value : undefined;
  }
}

export interface ParseHeaderOptions {
  /** Stop with FITS_TOO_LARGE when no END card is found within this many bytes. */
  maxHeaderBytes?: number;
  /**
   * Added to every reported position: the file offset of `bytes[0]` when `bytes` is a slice of a
   * file. Positions are otherwise relative to `bytes[0]`.
   */
  baseOffset?: number;
  /** The HDU index put into errors and problems. */
  hduIndex?: number;
}

export interface ParsedHeader {
  header: Header;
  /** Bytes from the start of the header to the end of the block holding END (padding included). */
  headerLength: number;
}

const ASCII = new TextDecoder('latin1');

/** The cards from `start` to `end` as one string when all are printable ASCII, else undefined. */
function asciiText(bytes: Uint8Array, start: number, end: number): string | undefined {
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte < 0x20 || byte > 0x7e) return undefined;
  }
  return ASCII.decode(bytes.subarray(start, end));
}

/** Index, within `bytes`, of the END card of a header starting at `start`, or -1 when none yet. */
export function findEndCard(bytes: Uint8Array, start: number, from = start): number {
  const firstCard = from - ((from - start) % CARD_LENGTH);
  for (let pos = firstCard; pos + KEYWORD_LENGTH <= bytes.length; pos += CARD_LENGTH) {
    let match = true;
    for (let i = 0; i < KEYWORD_LENGTH; i++) {
      if (bytes[pos + i] !== END_KEYWORD[i]) {
        match = false;
        break;
      }
    }
    if (match) return pos;
  }
  return -1;
}

/**
 * Parses the header that starts at `bytes[byteOffset]` (FITS Standard 4.0 §4.1): cards up to END,
 * CONTINUE long strings merged, duplicates and bad cards recorded as problems. Throws FitsError
 * FITS_NO_END / FITS_TRUNCATED when the bytes end before END, FITS_TOO_LARGE past `maxHeaderBytes`.
 */
export function parseHeader(bytes: Uint8Array, byteOffset: number, options: ParseHeaderOptions = {}): ParsedHeader {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_LIMITS.maxHeaderBytes;
  const base = options.baseOffset ?? 0;
  const hduIndex = options.hduIndex;
  const searchEnd = Math.min(bytes.length, byteOffset + maxHeaderBytes);
  const end = findEndCard(bytes.subarray(0, searchEnd), byteOffset);
  if (end < 0) {
    const available = bytes.length - byteOffset;
    const position = { byteOffset: base + bytes.length, hduIndex };
    if (available >= maxHeaderBytes) {
      throw new FitsError(
        FitsErrorCode.TOO_LARGE,
        `no END card within ${maxHeaderBytes} bytes of the header at byte ${base + byteOffset}`,
        position,
      );
    }
    if (available % BLOCK_SIZE !== 0) {
      throw new FitsError(
        FitsErrorCode.TRUNCATED,
        `the file ends inside a header block (header at byte ${base + byteOffset}, ${available} bytes)`,
        position,
      );
    }
    throw new FitsError(
      FitsErrorCode.NO_END,
      `the header at byte ${base + byteOffset} has no END card (${available} bytes read)`,
      position,
    );
  }
  const cardCount = (end - byteOffset) / CARD_LENGTH;
  const headerLength = Math.ceil((end + CARD_LENGTH - byteOffset) / BLOCK_SIZE) * BLOCK_SIZE;
  const problems: Problem[] = [];
  const raw: Card[] = [];
  const text = asciiText(bytes, byteOffset, end);
  for (let i = 0; i < cardCount; i++) {
    const at = byteOffset + i * CARD_LENGTH;
    if (text !== undefined) {
      raw.push(parseAsciiCard(text.slice(i * CARD_LENGTH, (i + 1) * CARD_LENGTH), i, base + at, problems));
      continue;
    }
    const parsed = parseCard(bytes.subarray(at, at + CARD_LENGTH), i, base + at);
    raw.push(parsed.card);
    problems.push(...parsed.problems);
  }
  if (hduIndex !== undefined) for (const p of problems) p.hduIndex = hduIndex;
  checkEndBlock(bytes, end, byteOffset + headerLength, base, hduIndex, problems);
  const cards = mergeContinueCards(raw, base + byteOffset, hduIndex, problems);
  reportDuplicates(cards, base + byteOffset, hduIndex, problems);
  return { header: new Header(cards, problems), headerLength };
}

/** The END card must be blank after `END`, and the rest of its block blank too (§4.4.1). */
function checkEndBlock(
  bytes: Uint8Array,
  end: number,
  blockEnd: number,
  base: number,
  hduIndex: number | undefined,
  problems: Problem[],
): void {
  const stop = Math.min(bytes.length, blockEnd);
  for (let pos = end + KEYWORD_LENGTH; pos < stop; pos++) {
    if (bytes[pos] !== BLANK) {
      problems.push({
        code: ProblemCode.PADDING_NOT_BLANK,
        message: `byte ${base + pos} after the END card is not a blank (0x${bytes[pos]!.toString(16).padStart(2, '0')})`,
        byteOffset: base + pos,
        hduIndex,
      });
      return;
    }
  }
}

/**
 * The long-string convention (§4.2.1.2): a string ending in `&` goes on in the next CONTINUE
 * card. As astropy does, a CONTINUE card holding a string is joined to a string card before it
 * even without the `&`; comments are joined with a blank.
 */
function mergeContinueCards(raw: Card[], headerOffset: number, hduIndex: number | undefined, problems: Problem[]) {
  const cards: Card[] = [];
  let open: Card | undefined;
  for (const card of raw) {
    if (card.key === 'CONTINUE') {
      if (open && !card.commentary && typeof card.value === 'string' && typeof open.value === 'string') {
        const comment = [open.comment, card.comment].filter((c) => c !== '').join(' ');
        open.value = stripAmpersand(open.value) + stripAmpersand(card.value);
        open.comment = comment;
        open.raw += card.raw;
        continue;
      }
      problems.push({
        code: ProblemCode.ORPHAN_CONTINUE,
        message: `CONTINUE card ${card.index} does not follow a string value`,
        byteOffset: headerOffset + card.index * CARD_LENGTH,
        cardIndex: card.index,
        hduIndex,
      });
      const orphan = { ...card, commentary: true, value: card.raw.slice(KEYWORD_LENGTH).trimEnd(), comment: '' };
      cards.push(orphan);
      open = undefined;
      continue;
    }
    open = !card.commentary && typeof card.value === 'string' ? card : undefined;
    cards.push(card);
  }
  return cards;
}

function stripAmpersand(piece: string): string {
  const trimmed = piece.trimEnd();
  return trimmed.endsWith('&') ? trimmed.slice(0, -1) : trimmed;
}

function reportDuplicates(cards: Card[], headerOffset: number, hduIndex: number | undefined, problems: Problem[]) {
  const seen = new Set<string>();
  for (const card of cards) {
    if (card.commentary) continue;
    const key = card.key.toUpperCase();
    if (seen.has(key)) {
      problems.push({
        code: ProblemCode.DUPLICATE_KEYWORD,
        message: `keyword ${key} appears more than once (card ${card.index}); the first one is used`,
        byteOffset: headerOffset + card.index * CARD_LENGTH,
        cardIndex: card.index,
        hduIndex,
      });
    } else seen.add(key);
  }
}
