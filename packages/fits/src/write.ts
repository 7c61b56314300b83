import { BLOCK_SIZE, CARD_LENGTH, KEYWORD_LENGTH } from './constants.js';

/**
 * A FITS writer for images: enough to produce test frames, synthetic benchmarks and derived files
 * that astropy (`verify='exception'`) and fitsverify accept. Values are written in the fixed format
 * of the FITS Standard 4.0 §4.2 (logical and numbers right-justified to column 30, strings from
 * column 11), long strings with the CONTINUE convention, data big-endian and padded to 2880 bytes.
 */

export type WriteCardValue = boolean | number | string | null;

export interface WriteCard {
  key: string;
  /** `undefined` for commentary cards (COMMENT, HISTORY, blank), whose text may be here or in `comment`. */
  value?: WriteCardValue;
  comment?: string;
}

export type WriteBitpix = 8 | 16 | 32 | -32 | -64;

export interface WriteHdu {
  /** Cards after the mandatory ones. Mandatory and scaling keywords in this list are ignored. */
  cards: WriteCard[];
  bitpix: WriteBitpix;
  /** NAXIS1 (fastest), NAXIS2, …; `[]` for a header-only HDU. */
  axes: number[];
  /**
   * Physical values, NAXIS1 fastest. Stored as round((value − bzero) / bscale) for integer BITPIX,
   * clamped to the type's range; so BITPIX 16 with bzero 32768 stores unsigned 16-bit values.
   * Zeros when absent.
   */
  data?: ArrayLike<number>;
  bzero?: number;
  bscale?: number;
}

export class FitsWriteError extends Error {
  override readonly name = 'FitsWriteError';
  readonly code = 'FITS_WRITE_INVALID';
}

/** Keywords the writer places itself; if a caller lists them they are dropped, not duplicated. */
const RESERVED = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|BZERO|BSCALE|END)$/;
const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);
const STANDARD_KEY = /^[A-Z0-9_-]{0,8}$/;
/** Column (1-based) where fixed-format logical and numeric values end. */
const FIXED_VALUE_END = 30;
const TEXT_LENGTH = CARD_LENGTH - KEYWORD_LENGTH;

function pad(text: string, length: number): string {
  return text.length >= length ? text.slice(0, length) : text + ' '.repeat(length - text.length);
}

function assertAscii(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e)
      throw new FitsWriteError(`${what} has a character outside printable ASCII: ${JSON.stringify(text)}`);
  }
}

/** A real number in a form every FITS reader parses: always a decimal point, upper-case exponent. */
export function formatReal(value: number): string {
  if (!Number.isFinite(value)) throw new FitsWriteError(`FITS cannot represent ${value} in a header`);
  let text = String(value).toUpperCase();
  const e = text.indexOf('E');
  const mantissa = e < 0 ? text : text.slice(0, e);
  if (!mantissa.includes('.')) text = `${mantissa}.0${e < 0 ? '' : text.slice(e)}`;
  return text;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e20) return String(value);
  return formatReal(value);
}

function valueField(value: boolean | number | null): string {
  const text = value === null ? '' : typeof value === 'boolean' ? (value ? 'T' : 'F') : formatNumber(value);
  const width = FIXED_VALUE_END - 10;
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

function withComment(card: string, comment: string | undefined): string {
  if (!comment) return pad(card, CARD_LENGTH);
  return pad(`${card} / ${comment}`, CARD_LENGTH);
}

function keyField(key: string): { prefix: string } {
  if (STANDARD_KEY.test(key)) return { prefix: `${pad(key, KEYWORD_LENGTH)}= ` };
  // ESO HIERARCH convention for keywords longer than 8 characters or with other characters.
  return { prefix: `HIERARCH ${key} = ` };
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Splits a string value into CONTINUE pieces whose quoted form (with `&`) fits in a card. */
function stringCards(prefix: string, text: string, comment: string | undefined): string[] {
  const firstRoom = CARD_LENGTH - prefix.length;
  const single = quote(text.length < 8 ? pad(text, 8) : text);
  if (single.length <= firstRoom) {
    const cards = [withComment(prefix + single, comment)];
    if (cards[0]!.length > CARD_LENGTH) throw new FitsWriteError('card too long');
    return cards;
  }
  const cards: string[] = [];
  let rest = text;
  let currentPrefix = prefix;
  while (rest.length > 0) {
    // Room for the quotes and the trailing '&', counting doubled quotes.
    const room = CARD_LENGTH - currentPrefix.length - 3;
    let take = 0;
    let used = 0;
    while (take < rest.length) {
      const cost = rest[take] === "'" ? 2 : 1;
      if (used + cost > room) break;
      used += cost;
      take++;
    }
    if (take === 0) throw new FitsWriteError(`keyword too long for a string value: ${prefix.trim()}`);
    const piece = rest.slice(0, take);
    rest = rest.slice(take);
    const last = rest.length === 0;
    cards.push(pad(currentPrefix + quote(last ? piece : `${piece}&`), CARD_LENGTH));
    currentPrefix = 'CONTINUE  ';
  }
  if (comment) cards.push(pad(`CONTINUE  '' / ${comment}`, CARD_LENGTH));
  return cards;
}

/** The 80-character images of one card (more than one for long commentary text or long strings). */
export function formatCard(card: WriteCard): string[] {
  const key = card.key.trim().toUpperCase().startsWith('HIERARCH ') ? card.key.trim().slice(9) : card.key.trim();
  assertAscii(key, 'keyword');
  if (card.comment !== undefined) assertAscii(card.comment, `comment of ${key}`);
  if (COMMENTARY.has(key.toUpperCase()) && card.value === undefined)
    card = { ...card, value: card.comment ?? '', comment: undefined };
  if (COMMENTARY.has(key.toUpperCase())) {
    const text = card.value === null || card.value === undefined ? '' : String(card.value);
    assertAscii(text, `${key} text`);
    const out: string[] = [];
    for (let i = 0; i === 0 || i < text.length; i += TEXT_LENGTH)
      out.push(pad(pad(key.toUpperCase(), KEYWORD_LENGTH) + text.slice(i, i + TEXT_LENGTH), CARD_LENGTH));
    return out;
  }
  const upper = STANDARD_KEY.test(key.toUpperCase()) ? key.toUpperCase() : key;
  const { prefix } = keyField(upper);
  const value = card.value;
  if (value === undefined) return [withComment(pad(upper, KEYWORD_LENGTH), card.comment)];
  if (typeof value === 'string') {
    assertAscii(value, `value of ${key}`);
    return stringCards(prefix, value.replace(/ +$/, ''), card.comment);
  }
  const field = prefix.startsWith('HIERARCH') ? (value === null ? '' : valueField(value).trim()) : valueField(value);
  const text = prefix + field;
  if (text.length > CARD_LENGTH) throw new FitsWriteError(`card ${key} does not fit in 80 characters`);
  return [withComment(text, card.comment)];
}

function mandatoryCards(hdu: WriteHdu, index: number, count: number): WriteCard[] {
  const cards: WriteCard[] =
    index === 0
      ? [{ key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' }]
      : [{ key: 'XTENSION', value: 'IMAGE', comment: 'image extension' }];
  cards.push({ key: 'BITPIX', value: hdu.bitpix, comment: 'array data type' });
  cards.push({ key: 'NAXIS', value: hdu.axes.length, comment: 'number of array dimensions' });
  hdu.axes.forEach((n, i) => {
    cards.push({ key: `NAXIS${i + 1}`, value: n });
  });
  if (index === 0 && count > 1) cards.push({ key: 'EXTEND', value: true });
  if (index > 0) cards.push({ key: 'PCOUNT', value: 0 }, { key: 'GCOUNT', value: 1 });
  return cards;
}

const INTEGER_RANGE: Record<number, [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
};

function writeData(view: DataView, offset: number, hdu: WriteHdu, count: number): void {
  const data = hdu.data;
  if (!data) return; // The buffer is already zero.
  const bzero = hdu.bzero ?? 0;
  const bscale = hdu.bscale ?? 1;
  const range = INTEGER_RANGE[hdu.bitpix];
  const scaled = bzero !== 0 || bscale !== 1;
  for (let i = 0; i < count; i++) {
    let v = data[i]!;
    if (scaled) v = (v - bzero) / bscale;
    if (range) {
      v = Math.round(v);
      // NaN has no integer representation: it becomes 0 rather than an arbitrary bit pattern.
      if (!(v >= range[0])) v = Number.isNaN(v) ? 0 : range[0];
      else if (v > range[1]) v = range[1];
    }
    switch (hdu.bitpix) {
      case 8:
        view.setUint8(offset + i, v);
        break;
      case 16:
        view.setInt16(offset + 2 * i, v);
        break;
      case 32:
        view.setInt32(offset + 4 * i, v);
        break;
      case -32:
        view.setFloat32(offset + 4 * i, v);
        break;
      case -64:
        view.setFloat64(offset + 8 * i, v);
        break;
    }
  }
}

function blocks(bytes: number): number {
  return Math.ceil(bytes / BLOCK_SIZE) * BLOCK_SIZE;
}

/** Writes a whole FITS file: the first HDU is the primary, the others IMAGE extensions. */
export function writeFits(hdus: WriteHdu[]): Uint8Array {
  if (hdus.length === 0) throw new FitsWriteError('a FITS file needs at least one HDU');
  const headers: string[] = [];
  const dataSizes: number[] = [];
  hdus.forEach((hdu, index) => {
    if (![8, 16, 32, -32, -64].includes(hdu.bitpix)) throw new FitsWriteError(`BITPIX ${hdu.bitpix} is not supported`);
    if (hdu.axes.some((n) => !Number.isInteger(n) || n < 0)) throw new FitsWriteError(`bad axes ${hdu.axes}`);
    if (hdu.axes.length > 999) throw new FitsWriteError('NAXIS over 999');
    const count = hdu.axes.length === 0 ? 0 : hdu.axes.reduce((a, b) => a * b, 1);
    if (hdu.data && hdu.data.length !== count)
      throw new FitsWriteError(`HDU ${index}: data has ${hdu.data.length} values, axes say ${count}`);
    const cards = mandatoryCards(hdu, index, hdus.length);
    if (hdu.bzero !== undefined && hdu.bzero !== 0) cards.push({ key: 'BZERO', value: hdu.bzero });
    if (hdu.bscale !== undefined && hdu.bscale !== 1) cards.push({ key: 'BSCALE', value: hdu.bscale });
    for (const card of hdu.cards) if (!RESERVED.test(card.key.trim().toUpperCase())) cards.push(card);
    const text = `${cards.flatMap(formatCard).join('')}${pad('END', CARD_LENGTH)}`;
    headers.push(pad(text, blocks(text.length)));
    dataSizes.push(count * (Math.abs(hdu.bitpix) / 8));
  });
  const total = headers.reduce((sum, h, i) => sum + h.length + blocks(dataSizes[i]!), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  hdus.forEach((hdu, i) => {
    const header = headers[i]!;
    for (let c = 0; c < header.length; c++) out[offset + c] = header.charCodeAt(c);
    offset += header.length;
    writeData(view, offset, hdu, dataSizes[i]! / (Math.abs(hdu.bitpix) / 8));
    offset += blocks(dataSizes[i]!);
  });
  return out;
}
