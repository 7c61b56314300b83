import { CARD_LENGTH, KEYWORD_LENGTH } from './constants.js';
import { type Problem, ProblemCode } from './errors.js';
import type { Card, CardValue } from './types.js';

/**
 * Keywords whose bytes 9–80 are free text whatever they hold (FITS Standard 4.0 §4.4.2.4). A
 * `COMMENT = x` card is commentary too: its value is `= x`, as astropy reads it.
 */
export const COMMENTARY_KEYWORDS: ReadonlySet<string> = new Set(['COMMENT', 'HISTORY', '']);

const HIERARCH = 'HIERARCH';
const CONTINUE = 'CONTINUE';
/** Legal keyword characters (§4.1.2.1); lower case is tolerated and upper-cased. */
const KEYWORD_CHARS = /^[A-Z0-9_-]*$/;
/**
 * A number as astropy's lenient ("non-FITS-standard") reader accepts it: blanks after the sign and
 * around the exponent letter, `d`/`e` in either case. Blanks are removed before matching.
 */
const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\.\d+|\d+(\.\d*)?)([DEde][+-]?\d+)?$/;

export interface ParsedCard {
  card: Card;
  problems: Problem[];
}

/**
 * Decodes one 80-byte card image. Bytes outside printable ASCII are reported; those above 0x7F are
 * shown as `?` (astropy does the same), control characters are kept so that nothing is hidden.
 */
export function cardText(image: Uint8Array): { text: string; nonAscii: number } {
  const end = Math.min(image.length, CARD_LENGTH);
  let nonAscii = 0;
  for (let i = 0; i < end; i++) {
    const byte = image[i]!;
    if (byte < 0x20 || byte > 0x7e) nonAscii++;
  }
  const bytes = image.subarray(0, end);
  let text: string;
  if (nonAscii === 0) text = String.fromCharCode.apply(null, bytes as unknown as number[]);
  else text = Array.from(bytes, (byte) => (byte > 0x7f ? '?' : String.fromCharCode(byte))).join('');
  return { text: end < CARD_LENGTH ? text.padEnd(CARD_LENGTH, ' ') : text, nonAscii };
}

/**
 * Parses one card of a header (FITS Standard 4.0 §4.1–4.2). Never throws: a card that breaks the
 * rules still gets a best-effort key and value, and each rule it breaks becomes a Problem.
 * CONTINUE cards are returned on their own (key `CONTINUE`, `commentary: false` when they hold a
 * string); `parseHeader` merges them into the card they continue.
 */
export function parseCard(image: Uint8Array, index: number, byteOffset: number): ParsedCard {
  const { text, nonAscii } = cardText(image);
  const problems: Problem[] = [];
  const problem = (code: Problem['code'], message: string) =>
    problems.push({ code, message, byteOffset, cardIndex: index });
  if (nonAscii > 0) {
    const nul = image.subarray(0, CARD_LENGTH).includes(0);
    problem(
      ProblemCode.NON_ASCII,
      `card ${index} holds ${nonAscii} byte(s) outside printable ASCII${nul ? ' (NUL bytes)' : ''}`,
    );
  }
  const card = parseCardText(text, index, problem);
  return { card, problems };
}

/**
 * parseCard for a card already decoded and known to be printable ASCII: `parseHeader` decodes a
 * whole header at once, which is several times faster than decoding card by card.
 */
export function parseAsciiCard(text: string, index: number, byteOffset: number, problems: Problem[]): Card {
  return parseCardText(text, index, (code, message) => problems.push({ code, message, byteOffset, cardIndex: index }));
}

type Report = (code: Problem['code'], message: string) => void;

function commentaryCard(key: string, text: string, index: number): Card {
  return { key, value: text.slice(KEYWORD_LENGTH).trimEnd(), comment: '', commentary: true, index, raw: text };
}

function parseCardText(text: string, index: number, problem: Report): Card {
  const keyField = text.slice(0, KEYWORD_LENGTH).trim();
  const keyUpper = keyField.toUpperCase();

  if (COMMENTARY_KEYWORDS.has(keyUpper)) return commentaryCard(keyUpper, text, index);

  if (keyUpper === CONTINUE) {
    const body = text.slice(KEYWORD_LENGTH).trim();
    if (body.startsWith("'")) {
      const parsed = parseValueField(body, problem);
      return { key: CONTINUE, value: parsed.value, comment: parsed.comment, commentary: false, index, raw: text };
    }
    return commentaryCard(CONTINUE, text, index);
  }

  // ESO HIERARCH convention: `HIERARCH ESO DET CHIP NAME = 'x'`; the key keeps its case as written.
  if (keyUpper === HIERARCH && text[KEYWORD_LENGTH] === ' ' && text.includes('=')) {
    const equals = text.indexOf('=');
    const key = text.slice(KEYWORD_LENGTH + 1, equals).trim();
    const parsed = parseValueField(text.slice(equals + 1), problem);
    return { key, value: parsed.value, comment: parsed.comment, commentary: false, index, raw: text };
  }

  checkKeyword(keyField, problem);
  const indicator = text.indexOf('= ');
  if (indicator >= 0 && indicator <= KEYWORD_LENGTH) {
    const key = text.slice(0, indicator).trim().toUpperCase();
    const parsed = parseValueField(text.slice(indicator + 2), problem);
    return { key, value: parsed.value, comment: parsed.comment, commentary: false, index, raw: text };
  }

  // `=` one column late (nom-tam-fits issue49test.fits: `FILTER   ='0,0,0,0  '`) or not followed by
  // a blank: the writer clearly meant a value, so read one, but report it.
  const equals = text.indexOf('=');
  if (keyField !== '' && (equals === KEYWORD_LENGTH || equals === KEYWORD_LENGTH + 1)) {
    problem(
      ProblemCode.BAD_CARD,
      `card ${index} (${keyUpper}): value indicator '=' is not in column 9 followed by a blank`,
    );
    const parsed = parseValueField(text.slice(equals + 1), problem);
    return { key: keyUpper, value: parsed.value, comment: parsed.comment, commentary: false, index, raw: text };
  }

  // No value indicator: bytes 9–80 are commentary text (§4.1.2.2).
  return commentaryCard(keyUpper, text, index);
}

function checkKeyword(keyField: string, problem: Report): void {
  const key = keyField.split('=')[0]!.trim();
  if (!KEYWORD_CHARS.test(key)) {
    problem(ProblemCode.BAD_KEYWORD, `keyword '${key}' has characters outside A–Z, 0–9, '-' and '_'`);
  }
}

/**
 * Reads the value/comment field (bytes 11–80, or what follows `=` in a HIERARCH card): a string, a
 * logical, an integer, a float, a complex pair, or nothing (undefined value → null).
 */
export function parseValueField(field: string, problem: Report): { value: CardValue; comment: string } {
  const text = field.trim();
  if (text.startsWith("'")) return parseStringField(text, problem);

  const slash = text.indexOf('/');
  const token = (slash < 0 ? text : text.slice(0, slash)).trim();
  const comment = slash < 0 ? '' : text.slice(slash + 1).trim();
  const value = parseValueToken(token);
  if (value === undefined) {
    problem(ProblemCode.BAD_CARD, `value '${token}' is not a string, logical, number or complex number`);
    return { value: token, comment };
  }
  return { value, comment };
}

/** A non-string value token, or undefined when it is none of the forms the Standard allows. */
export function parseValueToken(token: string): CardValue | undefined {
  if (token === '') return null;
  if (token === 'T') return true;
  if (token === 'F') return false;
  if (token.startsWith('(') && token.endsWith(')')) {
    const parts = token.slice(1, -1).split(',');
    if (parts.length !== 2) return undefined;
    const re = parseNumber(parts[0]!);
    const im = parseNumber(parts[1]!);
    if (re === undefined || im === undefined) return undefined;
    return [Number(re), Number(im)];
  }
  return parseNumber(token);
}

/** Integers stay exact: beyond ±2^53 they become bigint. `D` exponents (Fortran) read as `E`. */
export function parseNumber(token: string): number | bigint | undefined {
  const compact = token.replace(/ /g, '');
  if (INTEGER_TEXT.test(compact)) {
    const n = Number(compact);
    return Number.isSafeInteger(n) ? n : BigInt(compact);
  }
  if (FLOAT_TEXT.test(compact)) return Number(compact.replace(/[Dd]/, 'E'));
  return undefined;
}

/**
 * A quoted string (§4.2.1.1): `''` is a quote, trailing blanks are not significant, leading ones
 * are. The closing quote is the first single quote not doubled.
 */
function parseStringField(text: string, problem: Report): { value: string; comment: string } {
  let value = '';
  let i = 1;
  let closed = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      closed = true;
      i++;
      break;
    }
    value += ch;
    i++;
  }
  if (!closed) {
    problem(ProblemCode.UNTERMINATED_STRING, `string value has no closing quote`);
    return { value: value.trimEnd(), comment: '' };
  }
  const rest = text.slice(i).trim();
  let comment = '';
  if (rest.startsWith('/')) comment = rest.slice(1).trim();
  else if (rest !== '') {
    problem(ProblemCode.BAD_CARD, `unexpected text after the string value: '${rest}'`);
    const slash = rest.indexOf('/');
    if (slash >= 0) comment = rest.slice(slash + 1).trim();
  }
  return { value: value.trimEnd(), comment };
}
