import { CARD_LENGTH, KEYWORD_LENGTH } from './constants.js';
import { Header } from './header.js';
import type { Card, CardValue } from './types.js';

/**
 * The header of the image a tile-compressed BINTABLE holds (FITS Standard 4.0 §10.1; "Tiled
 * Image Compression Convention" §4), built the way astropy's CompImageHDU.header builds it, so
 * that `aims header` and astropy agree card for card:
 * - the table's own keywords (TFIELDS, TTYPEn, TFORMn…, ZIMAGE, ZCMPTYPE, ZTILEn, ZNAMEn, ZVALn…)
 *   are removed;
 * - ZSIMPLE/ZTENSION, ZBITPIX, ZNAXIS, ZNAXISn, ZPCOUNT, ZGCOUNT become SIMPLE/XTENSION, BITPIX,
 *   NAXIS, NAXISn, PCOUNT, GCOUNT at the head of the header; ZEXTEND, ZBLOCKED, ZHECKSUM and
 *   ZDATASUM become EXTEND, BLOCKED, CHECKSUM and DATASUM;
 * - EXTNAME = 'COMPRESSED_IMAGE' (the default name) is dropped; a primary image loses PCOUNT/GCOUNT.
 */
export function compressedImageHeader(table: Header): Header {
  const source = table.cards;
  const first = (key: string) => source.find((c) => !c.commentary && c.key.toUpperCase() === key);
  const cards: Card[] = source.filter((c) => c.commentary || !isReservedKeyword(c.key.toUpperCase()));

  const indexOf = (key: string) => cards.findIndex((c) => !c.commentary && c.key.toUpperCase() === key);
  const remove = (key: string) => {
    const at = indexOf(key);
    if (at >= 0) cards.splice(at, 1);
  };
  /** astropy's Header.set: update in place, or move to `position` when one is given. */
  const set = (
    key: string,
    value: CardValue,
    comment: string | undefined,
    from: Card | undefined,
    position?: number,
  ) => {
    const at = indexOf(key);
    const existing = at >= 0 ? cards[at] : undefined;
    const card = makeCard(key, value, comment ?? existing?.comment ?? '', from ?? existing);
    if (position === undefined) {
      if (existing) cards[at] = card;
      else cards.splice(lastValueCardIndex(cards) + 1, 0, card);
      return;
    }
    let to = position;
    if (existing) {
      cards.splice(at, 1);
      if (at < to) to--;
    }
    cards.splice(Math.min(to, cards.length), 0, card);
  };
  const moveFrom = (zkey: string, key: string, position?: number) => {
    const z = first(zkey);
    if (z) set(key, z.value, z.comment, z, position);
    return z !== undefined;
  };

  const zsimple = first('ZSIMPLE');
  const ztension = first('ZTENSION');
  if (zsimple) {
    set('SIMPLE', zsimple.value, zsimple.comment, zsimple, 0);
    remove('XTENSION');
  } else if (ztension) set('XTENSION', 'IMAGE', ztension.comment, ztension, 0);
  else set('XTENSION', 'IMAGE', undefined, undefined, 0);

  moveFrom('ZBITPIX', 'BITPIX', 1);
  moveFrom('ZNAXIS', 'NAXIS', 2);
  const zaxes = first('ZNAXIS')?.value;
  const naxis = typeof zaxes === 'number' && Number.isInteger(zaxes) && zaxes >= 0 && zaxes <= 999 ? zaxes : 0;
  let last = 'NAXIS';
  for (let i = 1; i <= naxis; i++) {
    moveFrom(`ZNAXIS${i}`, `NAXIS${i}`, indexOf(last) + 1);
    last = `NAXIS${i}`;
  }
  for (const card of [...cards]) {
    const match = /^NAXIS(\d+)$/.exec(card.key.toUpperCase());
    if (match && !card.commentary && Number(match[1]) > naxis) cards.splice(cards.indexOf(card), 1);
  }
  if (!moveFrom('ZPCOUNT', 'PCOUNT', indexOf(last) + 1)) set('PCOUNT', 0, undefined, undefined, indexOf(last) + 1);
  if (!moveFrom('ZGCOUNT', 'GCOUNT', indexOf('PCOUNT') + 1))
    set('GCOUNT', 1, undefined, undefined, indexOf('PCOUNT') + 1);
  moveFrom('ZEXTEND', 'EXTEND');
  moveFrom('ZBLOCKED', 'BLOCKED');
  moveFrom('ZHECKSUM', 'CHECKSUM');
  moveFrom('ZDATASUM', 'DATASUM');

  const extname = indexOf('EXTNAME');
  if (extname >= 0 && cards[extname]!.value === 'COMPRESSED_IMAGE') cards.splice(extname, 1);
  if (indexOf('SIMPLE') >= 0) {
    remove('PCOUNT');
    remove('GCOUNT');
  }
  return new Header(cards, table.problems);
}

/** Keywords of the table that describe the compression, not the image (astropy's list). */
const TABLE_KEYWORDS = new Set([
  'TTYPE',
  'TFORM',
  'TUNIT',
  'TNULL',
  'TSCAL',
  'TZERO',
  'TDISP',
  'TBCOL',
  'TDIM',
  'TCTYP',
  'TCUNI',
  'TCRPX',
  'TCRVL',
  'TCDLT',
  'TRPOS',
]);
const COMPRESSION_KEYWORDS = new Set([
  'ZSIMPLE',
  'ZTENSION',
  'ZBITPIX',
  'ZNAXIS',
  'ZEXTEND',
  'ZBLOCKED',
  'ZPCOUNT',
  'ZGCOUNT',
  'ZHECKSUM',
  'ZDATASUM',
  'ZIMAGE',
  'ZCMPTYPE',
  'ZMASKCMP',
  'ZQUANTIZ',
  'ZDITHER0',
]);
const INDEXED_COMPRESSION_KEYWORDS = new Set(['ZNAXIS', 'ZTILE', 'ZNAME', 'ZVAL']);

function isReservedKeyword(key: string): boolean {
  if (key === 'TFIELDS') return true;
  const table = /^(T[A-Z]*)[1-9][0-9 ]*$/.exec(key);
  if (table && TABLE_KEYWORDS.has(table[1]!)) return true;
  const z = /^(Z[A-Z]*)([1-9][0-9 ]*)?$/.exec(key);
  if (!z) return false;
  return z[2] !== undefined ? INDEXED_COMPRESSION_KEYWORDS.has(z[1]!) : COMPRESSION_KEYWORDS.has(z[1]!);
}

function lastValueCardIndex(cards: Card[]): number {
  for (let i = cards.length - 1; i >= 0; i--) if (!cards[i]!.commentary) return i;
  return -1;
}

/** A translated card keeps the position of the card it came from; its image is rewritten. */
function makeCard(key: string, value: CardValue, comment: string, from: Card | undefined): Card {
  const raw =
    from && from.raw.length === CARD_LENGTH && from.value === value
      ? key.padEnd(KEYWORD_LENGTH, ' ') + from.raw.slice(KEYWORD_LENGTH)
      : formatSimpleCard(key, value, comment);
  return { key, value, comment, commentary: false, index: from?.index ?? -1, raw };
}

/** The image of a card holding a logical, an integer or a short string (all a translation needs). */
function formatSimpleCard(key: string, value: CardValue, comment: string): string {
  let field: string;
  if (typeof value === 'boolean') field = (value ? 'T' : 'F').padStart(20, ' ');
  else if (typeof value === 'string') field = `'${value.replace(/'/g, "''").padEnd(8, ' ')}'`.padEnd(20, ' ');
  else if (value === null) field = ''.padEnd(20, ' ');
  else if (Array.isArray(value)) field = `(${value[0]}, ${value[1]})`.padStart(20, ' ');
  else field = String(value).padStart(20, ' ');
  const text = `${key.padEnd(KEYWORD_LENGTH, ' ')}= ${field}${comment ? ` / ${comment}` : ''}`;
  return text.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH, ' ');
}
