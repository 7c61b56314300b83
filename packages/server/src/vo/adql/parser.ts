/**
 * ADQL 2.1 → SelectQuery, by recursive descent over the tokens. One SELECT over one table: TOP,
 * DISTINCT, expressions and aliases; WHERE, GROUP BY, HAVING, ORDER BY, OFFSET. Constructs outside
 * that (JOIN, subqueries, set operations, CASE, CAST …) are refused by name rather than misread.
 *
 * Precedence, loosest first: OR, AND, NOT, predicates (comparison, BETWEEN, IN, LIKE, IS NULL), ||,
 * binary + -, * /, unary + -.
 */
import {
  AdqlError,
  type Expr,
  type OrderItem,
  type SelectItem,
  type SelectQuery,
  type TableRef,
} from '../../domain/adql.js';
import { type Token, tokenize } from './lexer.js';

/** Words that end an expression or open a clause: never read as a column or an alias. */
const RESERVED = new Set(
  (
    'ALL AND AS ASC BETWEEN BY CASE CAST CROSS DESC DISTINCT ELSE END EXCEPT EXISTS FROM FULL GROUP HAVING ' +
    'ILIKE IN INNER INTERSECT IS JOIN LEFT LIKE NATURAL NOT NULL OFFSET ON OR ORDER OUTER RIGHT SELECT THEN ' +
    'TOP UNION USING WHEN WHERE WITH'
  ).split(' '),
);

/** Reserved words that name a construct AIMS does not run, with the words to show in the error. */
const UNSUPPORTED: Record<string, string> = {
  JOIN: 'JOIN',
  INNER: 'JOIN',
  LEFT: 'JOIN',
  RIGHT: 'JOIN',
  FULL: 'JOIN',
  CROSS: 'JOIN',
  NATURAL: 'JOIN',
  UNION: 'UNION',
  INTERSECT: 'INTERSECT',
  EXCEPT: 'EXCEPT',
  WITH: 'WITH (common table expressions)',
  EXISTS: 'EXISTS',
  CASE: 'CASE',
  CAST: 'CAST',
};

export function parseAdql(query: string): SelectQuery {
  return new Parser(query).query();
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  query(): SelectQuery {
    if (this.isWord('WITH')) this.unsupported(this.peek());
    this.expectWord('SELECT');
    let distinct = false;
    if (this.acceptWord('DISTINCT')) distinct = true;
    else this.acceptWord('ALL');
    let top: number | null = null;
    if (this.acceptWord('TOP')) top = this.unsignedInteger('TOP');
    const items = this.list(() => this.selectItem());
    this.expectWord('FROM');
    const from = this.tableRef();
    if (this.peek().text === ',') this.fail('more than one table in FROM (a join) is not supported', this.peek());
    this.refuseUnsupported();
    const where = this.acceptWord('WHERE') ? this.condition() : null;
    let groupBy: Expr[] = [];
    if (this.acceptWord('GROUP')) {
      this.expectWord('BY');
      groupBy = this.list(() => this.valueExpression());
    }
    const having = this.acceptWord('HAVING') ? this.condition() : null;
    let orderBy: OrderItem[] = [];
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      orderBy = this.list(() => this.orderItem());
    }
    const offset = this.acceptWord('OFFSET') ? this.unsignedInteger('OFFSET') : null;
    this.acceptOperator(';');
    this.refuseUnsupported();
    const end = this.peek();
    if (end.kind !== 'end') this.fail(`unexpected ${describe(end)}`, end);
    return { distinct, top, items, from, where, groupBy, having, orderBy, offset };
  }

  private selectItem(): SelectItem {
    const start = this.peek();
    if (this.acceptOperator('*')) return { kind: 'all', qualifier: [], offset: start.offset };
    // t.* and schema.t.*
    const qualifier: string[] = [];
    let look = this.at;
    while (this.isName(this.tokens[look]) && this.tokens[look + 1]?.text === '.') {
      qualifier.push(nameOf(this.tokens[look]!));
      look += 2;
      if (this.tokens[look]?.text === '*') {
        this.at = look + 1;
        return { kind: 'all', qualifier, offset: start.offset };
      }
    }
    const expr = this.valueExpression();
    let alias: string | null = null;
    if (this.acceptWord('AS')) alias = this.name('an alias after AS');
    else if (this.isName(this.peek())) alias = this.name('an alias');
    return { kind: 'expr', expr, alias, offset: start.offset };
  }

  private tableRef(): TableRef {
    const start = this.peek();
    if (start.text === '(') this.fail('a subquery in FROM is not supported', start);
    const path = [this.name('a table name')];
    while (this.acceptOperator('.')) path.push(this.name('a table name'));
    let alias: string | null = null;
    if (this.acceptWord('AS')) alias = this.name('an alias after AS');
    else if (this.isName(this.peek())) alias = this.name('an alias');
    return { path, alias, offset: start.offset };
  }

  private orderItem(): OrderItem {
    const expr = this.valueExpression();
    let descending = false;
    if (this.acceptWord('DESC')) descending = true;
    else this.acceptWord('ASC');
    return { expr, descending };
  }

  // Conditions and values share one grammar; the compiler checks which is which.
  condition(): Expr {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      const op = this.next();
      left = { kind: 'logical', op: 'OR', left, right: this.conjunction(), offset: op.offset };
    }
    return left;
  }

  private conjunction(): Expr {
    let left = this.negation();
    while (this.isWord('AND')) {
      const op = this.next();
      left = { kind: 'logical', op: 'AND', left, right: this.negation(), offset: op.offset };
    }
    return left;
  }

  private negation(): Expr {
    const start = this.peek();
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.negation(), offset: start.offset };
    return this.predicate();
  }

  private predicate(): Expr {
    const value = this.valueExpression();
    const start = this.peek();
    const op = start.text;
    if (start.kind === 'operator' && ['=', '<>', '<', '>', '<=', '>='].includes(op)) {
      this.next();
      return {
        kind: 'compare',
        op: op as '=' | '<>' | '<' | '>' | '<=' | '>=',
        left: value,
        right: this.valueExpression(),
        offset: value.offset,
      };
    }
    if (this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      this.expectWord('NULL');
      return { kind: 'isNull', not, value, offset: value.offset };
    }
    const not = this.acceptWord('NOT');
    if (this.acceptWord('BETWEEN')) {
      const low = this.valueExpression();
      this.expectWord('AND');
      return { kind: 'between', not, value, low, high: this.valueExpression(), offset: value.offset };
    }
    if (this.acceptWord('IN')) {
      this.expectOperator('(');
      if (this.isWord('SELECT')) this.fail('a subquery in IN is not supported', this.peek());
      const list = this.list(() => this.valueExpression());
      this.expectOperator(')');
      return { kind: 'in', not, value, list, offset: value.offset };
    }
    if (this.isWord('LIKE') || this.isWord('ILIKE')) {
      const caseInsensitive = this.next().text.toUpperCase() === 'ILIKE';
      return { kind: 'like', not, caseInsensitive, value, pattern: this.valueExpression(), offset: value.offset };
    }
    if (not) this.fail(`expected BETWEEN, IN, LIKE or ILIKE after NOT, found ${describe(this.peek())}`, this.peek());
    return value;
  }

  valueExpression(): Expr {
    let left = this.sum();
    while (this.peek().text === '||' && this.peek().kind === 'operator') {
      const op = this.next();
      left = { kind: 'arithmetic', op: '||', left, right: this.sum(), offset: op.offset };
    }
    return left;
  }

  private sum(): Expr {
    let left = this.product();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'operator' || (t.text !== '+' && t.text !== '-')) return left;
      this.next();
      left = { kind: 'arithmetic', op: t.text, left, right: this.product(), offset: t.offset };
    }
  }

  private product(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'operator' || (t.text !== '*' && t.text !== '/')) return left;
      this.next();
      left = { kind: 'arithmetic', op: t.text, left, right: this.unary(), offset: t.offset };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'operator' && (t.text === '-' || t.text === '+')) {
      this.next();
      const operand = this.unary();
      // Fold the sign into a literal so that `-5` is one number (TOP/OFFSET/POINT arguments).
      if (operand.kind === 'number')
        return { ...operand, value: t.text === '-' ? -operand.value : operand.value, offset: t.offset };
      return { kind: 'unary', op: t.text, operand, offset: t.offset };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      const hex = /^0x/i.test(t.text);
      return {
        kind: 'number',
        value: hex ? Number.parseInt(t.text.slice(2), 16) : Number(t.text),
        integer: hex || /^\d+$/.test(t.text),
        offset: t.offset,
      };
    }
    if (t.kind === 'string') {
      this.next();
      // Adjacent literals concatenate ('abc' 'def'), as in SQL.
      let value = t.text;
      while (this.peek().kind === 'string') value += this.next().text;
      return { kind: 'string', value, offset: t.offset };
    }
    if (t.kind === 'operator' && t.text === '(') {
      this.next();
      if (this.isWord('SELECT')) this.fail('a subquery is not supported', this.peek());
      const inner = this.condition();
      this.expectOperator(')');
      return inner;
    }
    if (t.kind === 'identifier' && this.tokens[this.at + 1]?.text === '(' && !RESERVED.has(upper(t))) {
      return this.call();
    }
    if (this.isName(t)) return this.columnReference();
    if (t.kind === 'identifier' && UNSUPPORTED[upper(t)]) this.unsupported(t);
    return this.fail(`expected a value, found ${describe(t)}`, t);
  }

  private call(): Expr {
    const nameToken = this.next();
    const name = upper(nameToken);
    this.expectOperator('(');
    let star = false;
    let distinct = false;
    let args: Expr[] = [];
    if (this.acceptOperator('*')) star = true;
    else if (this.peek().text !== ')') {
      if (this.acceptWord('DISTINCT')) distinct = true;
      else this.acceptWord('ALL');
      args = this.list(() => this.valueExpression());
    }
    this.expectOperator(')');
    return { kind: 'call', name, args, star, distinct, offset: nameToken.offset };
  }

  private columnReference(): Expr {
    const start = this.peek();
    const parts = [this.next()];
    while (this.peek().text === '.' && this.isName(this.tokens[this.at + 1])) {
      this.next();
      parts.push(this.next());
    }
    const last = parts.at(-1)!;
    return {
      kind: 'column',
      qualifier: parts.slice(0, -1).map(nameOf),
      name: nameOf(last),
      delimited: last.kind === 'delimited',
      offset: start.offset,
    };
  }

  // Token helpers.
  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'end') this.at++;
    return t;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'identifier' && upper(t) === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.at++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) {
      this.refuseUnsupported();
      this.fail(`expected ${word}, found ${describe(this.peek())}`, this.peek());
    }
  }

  private acceptOperator(op: string): boolean {
    const t = this.peek();
    if (t.kind !== 'operator' || t.text !== op) return false;
    this.at++;
    return true;
  }

  private expectOperator(op: string): void {
    if (!this.acceptOperator(op)) this.fail(`expected '${op}', found ${describe(this.peek())}`, this.peek());
  }

  private isName(t: Token | undefined): boolean {
    return !!t && (t.kind === 'delimited' || (t.kind === 'identifier' && !RESERVED.has(upper(t))));
  }

  private name(what: string): string {
    const t = this.peek();
    if (!this.isName(t)) this.fail(`expected ${what}, found ${describe(t)}`, t);
    this.at++;
    return nameOf(t);
  }

  private unsignedInteger(clause: string): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail(`${clause} takes a non-negative integer`, t);
    return Number(t.text);
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptOperator(',')) items.push(item());
    return items;
  }

  private refuseUnsupported(): void {
    const t = this.peek();
    if (t.kind === 'identifier' && UNSUPPORTED[upper(t)]) this.unsupported(t);
  }

  private unsupported(t: Token): never {
    return this.fail(`${UNSUPPORTED[upper(t)] ?? upper(t)} is not supported by this service`, t);
  }

  private fail(message: string, t: Token): never {
    throw new AdqlError(message, this.text, t.offset);
  }
}

const upper = (t: Token) => t.text.toUpperCase();

/** A regular identifier is case-insensitive: kept as written, compared upper-cased by the compiler. */
const nameOf = (t: Token) => t.text;

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the query';
  if (t.kind === 'string') return `the string '${t.text}'`;
  if (t.kind === 'delimited') return `"${t.text}"`;
  return `'${t.text}'`;
}
