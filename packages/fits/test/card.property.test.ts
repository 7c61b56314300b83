import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../src/card.js';
import { parseHeader } from '../src/header.js';
import { cardBytes, headerBytes } from './support/fits-bytes.js';

/**
 * Property tests: keys and values generated, formatted into 80-byte cards the way FITS writers
 * format them (fixed format, §4.2), and read back with parseCard / parseHeader.
 */

const RESERVED = new Set(['COMMENT', 'HISTORY', 'CONTINUE', 'END', 'HIERARCH']);
const KEY_CHAR = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split(''));
const key = fc.string({ unit: KEY_CHAR, minLength: 1, maxLength: 8 }).filter((k) => !RESERVED.has(k));
const hierarchKey = fc
  .array(fc.string({ unit: KEY_CHAR, minLength: 1, maxLength: 10 }), { minLength: 2, maxLength: 4 })
  .map((words) => words.join(' '));
const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const comment = printable(40).map((c) => c.trim());
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0));

function fixedField(text: string): string {
  return text.padStart(20, ' ');
}

function card(k: string, field: string, c: string): string {
  const text = `${k.padEnd(8, ' ')}= ${field}`;
  return c !== '' && text.length + 3 + c.length <= 80 ? `${text} / ${c}` : text;
}

function read(text: string) {
  expect(text.length).toBeLessThanOrEqual(80);
  const { card: parsed, problems } = parseCard(cardBytes(text), 0, 0);
  expect(problems).toEqual([]);
  return parsed;
}

/** A float written as FITS writers do: 17 significant digits, E or Fortran D exponent. */
function formatFloat(value: number, exponent: 'E' | 'D'): string {
  return value.toExponential(16).toUpperCase().replace('E', exponent);
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

describe('card round trip (fast-check)', () => {
  it('logicals', () => {
    fc.assert(
      fc.property(key, fc.boolean(), comment, (k, v, c) => {
        const parsed = read(card(k, fixedField(v ? 'T' : 'F'), c));
        expect(parsed).toMatchObject({ key: k, value: v, commentary: false });
        if (parsed.raw.includes(' / ')) expect(parsed.comment).toBe(c);
      }),
    );
  });

  it('integers, exact beyond 2^53 as bigint', () => {
    fc.assert(
      fc.property(key, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), comment, (k, v, c) => {
        const parsed = read(card(k, fixedField(v.toString()), c));
        const expected = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
        expect(parsed.value).toBe(expected);
      }),
    );
  });

  it('floats with E and D exponents', () => {
    fc.assert(
      fc.property(key, double, fc.constantFrom('E' as const, 'D' as const), comment, (k, v, e, c) => {
        const parsed = read(card(k, fixedField(formatFloat(v, e)), c));
        expect(parsed.value).toBe(v);
      }),
    );
  });

  it('complex numbers', () => {
    fc.assert(
      fc.property(key, double, double, (k, re, im) => {
        const parsed = read(card(k, `(${formatFloat(re, 'E')}, ${formatFloat(im, 'D')})`, ''));
        expect(parsed.value).toEqual([re, im]);
      }),
    );
  });

  it('strings with quotes: leading blanks kept, trailing blanks dropped', () => {
    fc.assert(
      fc.property(key, printable(34), comment, (k, s, c) => {
        const parsed = read(card(k, quote(s.padEnd(8, ' ')), c));
        expect(parsed.value).toBe(s.trimEnd());
        if (parsed.raw.includes("' / ")) expect(parsed.comment).toBe(c);
      }),
    );
  });

  it('HIERARCH keys', () => {
    fc.assert(
      fc.property(hierarchKey, printable(20), (k, s) => {
        const text = `HIERARCH ${k} = ${quote(s)}`;
        fc.pre(text.length <= 80);
        expect(read(text)).toMatchObject({ key: k, value: s.trimEnd() });
      }),
    );
  });

  it('long strings through CONTINUE cards', () => {
    fc.assert(
      fc.property(key, printable(400), comment, (k, s, c) => {
        // Split before escaping so that a doubled quote never straddles two cards; 30 characters
        // per piece leave room for the quotes doubling and the `&`.
        const pieces = s.match(/[\s\S]{1,30}/g) ?? [''];
        const cards = pieces.map((piece, i) => {
          const last = i === pieces.length - 1;
          const body = quote(last ? piece : `${piece}&`);
          return i === 0 ? `${k.padEnd(8, ' ')}= ${body}` : `CONTINUE  ${body}${last && c ? ` / ${c}` : ''}`;
        });
        const { header, headerLength } = parseHeader(headerBytes(cards), 0);
        expect(headerLength % 2880).toBe(0);
        expect(header.cards).toHaveLength(1);
        const merged = header.cards[0]!;
        expect(merged.value).toBe(s.trimEnd());
        expect(merged.comment).toBe(pieces.length > 1 ? c : '');
        expect(merged.raw).toHaveLength(80 * pieces.length);
        expect(header.problems).toEqual([]);
      }),
    );
  });
});
