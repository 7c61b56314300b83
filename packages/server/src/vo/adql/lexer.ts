/**
 * ADQL 2.1 tokens (IVOA Recommendation 2023, section 2.1): regular identifiers are case-insensitive,
 * delimited identifiers ("…") keep their case, strings are '…' with '' for a quote, numbers are
 * unsigned (a sign is an operator), comments run from `--` to the end of the line.
 */
import { AdqlError } from '../../domain/adql.js';

export type TokenKind = 'identifier' | 'delimited' | 'number' | 'string' | 'operator' | 'end';

export interface Token {
  kind: TokenKind;
  /** identifier and delimited: as written (no quotes); string: the value; operator/number: the text. */
  text: string;
  /** Offset of the token's first character in the query. */
  offset: number;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '||', '=', '<', '>', '+', '-', '*', '/', '(', ')', ',', '.', ';'];

const isIdentifierStart = (c: string) => /[A-Za-z]/.test(c);
const isIdentifierPart = (c: string) => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && query[i + 1] === '-') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isIdentifierStart(c)) {
      while (i < query.length && isIdentifierPart(query[i]!)) i++;
      tokens.push({ kind: 'identifier', text: query.slice(start, i), offset: start });
      continue;
    }
    if (c === '"') {
      const text = readQuoted(query, i, '"', 'delimited identifier');
      i = text.end;
      if (text.value === '') throw new AdqlError('an empty delimited identifier ("") is not allowed', query, start);
      tokens.push({ kind: 'delimited', text: text.value, offset: start });
      continue;
    }
    if (c === "'") {
      const text = readQuoted(query, i, "'", 'string');
      i = text.end;
      tokens.push({ kind: 'string', text: text.value, offset: start });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(query[i + 1] ?? ''))) {
      i = readNumber(query, i);
      tokens.push({ kind: 'number', text: query.slice(start, i), offset: start });
      continue;
    }
    const operator = OPERATORS.find((op) => query.startsWith(op, i));
    if (!operator) throw new AdqlError(`unexpected character '${c}'`, query, start);
    i += operator.length;
    tokens.push({ kind: 'operator', text: operator === '!=' ? '<>' : operator, offset: start });
  }
  tokens.push({ kind: 'end', text: '', offset: query.length });
  return tokens;
}

function readQuoted(query: string, at: number, quote: string, what: string): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  for (;;) {
    const next = query.indexOf(quote, i);
    if (next < 0) throw new AdqlError(`unterminated ${what}`, query, at);
    value += query.slice(i, next);
    if (query[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}

/** Unsigned numeric literal: 12, 1.5, .5, 1e-3, 0x1F (ADQL 2.1 hexadecimal). */
function readNumber(query: string, at: number): number {
  let i = at;
  if (query[i] === '0' && /[xX]/.test(query[i + 1] ?? '') && /[0-9A-Fa-f]/.test(query[i + 2] ?? '')) {
    i += 2;
    while (/[0-9A-Fa-f]/.test(query[i] ?? '')) i++;
    return checkEnd(query, at, i);
  }
  while (isDigit(query[i] ?? '')) i++;
  if (query[i] === '.') {
    i++;
    while (isDigit(query[i] ?? '')) i++;
  }
  if (/[eE]/.test(query[i] ?? '')) {
    let j = i + 1;
    if (query[j] === '+' || query[j] === '-') j++;
    if (!isDigit(query[j] ?? '')) throw new AdqlError('malformed exponent in a number', query, at);
    while (isDigit(query[j] ?? '')) j++;
    i = j;
  }
  return checkEnd(query, at, i);
}

function checkEnd(query: string, at: number, end: number): number {
  if (isIdentifierStart(query[end] ?? '') || query[end] === '_')
    throw new AdqlError(`malformed number '${query.slice(at, end + 1)}'`, query, at);
  return end;
}
