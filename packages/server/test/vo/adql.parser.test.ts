import { describe, expect, it } from 'vitest';
import { AdqlError, type Expr } from '../../src/domain/adql.js';
import { parseAdql } from '../../src/vo/adql/parser.js';

/** A compact, readable rendering of an expression tree, fully parenthesised. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return [...e.qualifier, e.name].join('.');
    case 'number':
      return String(e.value);
    case 'string':
      return `'${e.value}'`;
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'arithmetic':
    case 'compare':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'logical':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'not':
      return `(NOT ${show(e.operand)})`;
    case 'call':
      return `${e.name}(${e.star ? '*' : ''}${e.distinct ? 'DISTINCT ' : ''}${e.args.map(show).join(', ')})`;
    case 'between':
      return `(${show(e.value)} ${e.not ? 'NOT ' : ''}BETWEEN ${show(e.low)} AND ${show(e.high)})`;
    case 'in':
      return `(${show(e.value)} ${e.not ? 'NOT ' : ''}IN [${e.list.map(show).join(', ')}])`;
    case 'like':
      return `(${show(e.value)} ${e.not ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${show(e.pattern)})`;
    case 'isNull':
      return `(${show(e.value)} IS ${e.not ? 'NOT ' : ''}NULL)`;
  }
}

const where = (condition: string) => {
  const q = parseAdql(`SELECT * FROM t WHERE ${condition}`);
  return q.where ? show(q.where) : '';
};

describe('ADQL parser', () => {
  it('reads the clauses of a full query', () => {
    const q = parseAdql(
      'SELECT DISTINCT TOP 10 o.obs_id AS id, t_exptime * 2 twice FROM ivoa.obscore AS o ' +
        "WHERE dataproduct_type = 'image' GROUP BY obs_id HAVING COUNT(*) > 1 ORDER BY 2 DESC, id OFFSET 5",
    );
    expect(q.distinct).toBe(true);
    expect(q.top).toBe(10);
    expect(q.items.map((i) => (i.kind === 'expr' ? `${show(i.expr)} as ${i.alias}` : '*'))).toEqual([
      'o.obs_id as id',
      '(t_exptime * 2) as twice',
    ]);
    expect(q.from).toMatchObject({ path: ['ivoa', 'obscore'], alias: 'o' });
    expect(show(q.where!)).toBe("(dataproduct_type = 'image')");
    expect(q.groupBy.map(show)).toEqual(['obs_id']);
    expect(show(q.having!)).toBe('(COUNT(*) > 1)');
    expect(q.orderBy.map((o) => `${show(o.expr)} ${o.descending ? 'desc' : 'asc'}`)).toEqual(['2 desc', 'id asc']);
    expect(q.offset).toBe(5);
  });

  it('binds AND tighter than OR and NOT tighter than AND', () => {
    expect(where('a = 1 OR b = 2 AND NOT c = 3')).toBe('((a = 1) OR ((b = 2) AND (NOT (c = 3))))');
    expect(where('(a = 1 OR b = 2) AND c = 3')).toBe('(((a = 1) OR (b = 2)) AND (c = 3))');
  });

  it('binds * and / tighter than + and -, left to right, and folds signs into numbers', () => {
    expect(where('a - b - c * d / 2 > -1.5e2')).toBe('(((a - b) - ((c * d) / 2)) > -150)');
    expect(where('-(a + 1) < 0')).toBe('((-(a + 1)) < 0)');
    expect(where("a || 'x' = 'yx'")).toBe("((a || 'x') = 'yx')");
  });

  it('reads every predicate form', () => {
    expect(where('a NOT BETWEEN 1 AND 2 AND b IN (1, 2) AND c NOT IN (3)')).toBe(
      '(((a NOT BETWEEN 1 AND 2) AND (b IN [1, 2])) AND (c NOT IN [3]))',
    );
    expect(where("a LIKE 'M%' OR b NOT ILIKE 'x_' OR c IS NULL OR d IS NOT NULL")).toBe(
      "((((a LIKE 'M%') OR (b NOT ILIKE 'x_')) OR (c IS NULL)) OR (d IS NOT NULL))",
    );
  });

  it('reads geometry calls and aggregates', () => {
    expect(where("1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 10, -20.5, 0.5))")).toBe(
      "(1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 10, -20.5, 0.5)))",
    );
    const q = parseAdql('SELECT COUNT(DISTINCT target_name), MAX(t_exptime) FROM ivoa.obscore');
    expect(q.items.map((i) => (i.kind === 'expr' ? show(i.expr) : ''))).toEqual([
      'COUNT(DISTINCT target_name)',
      'MAX(t_exptime)',
    ]);
  });

  it('keeps the case of delimited identifiers and unescapes quotes', () => {
    const q = parseAdql(`SELECT "Mixed Case", t.* FROM "My Table" WHERE name = 'O''Brien'`);
    expect(q.items[0]).toMatchObject({ kind: 'expr', expr: { kind: 'column', name: 'Mixed Case', delimited: true } });
    expect(q.items[1]).toMatchObject({ kind: 'all', qualifier: ['t'] });
    expect(q.from.path).toEqual(['My Table']);
    expect(show(q.where!)).toBe("(name = 'O'Brien')");
  });

  it('reads hexadecimal numbers, comments and a trailing semicolon', () => {
    expect(where('flags = 0x1F -- a comment\n AND b = .5;')).toBe('((flags = 31) AND (b = 0.5))');
  });

  it.each([
    ['SELECT * FROM a JOIN b ON a.x = b.x', /JOIN is not supported/],
    ['SELECT * FROM a, b', /more than one table/],
    ['SELECT * FROM a UNION SELECT * FROM b', /UNION is not supported/],
    ['SELECT * FROM (SELECT * FROM a) s', /subquery in FROM/],
    ['SELECT * FROM a WHERE x IN (SELECT y FROM b)', /subquery in IN/],
    ['SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b)', /EXISTS is not supported/],
    ['SELECT CASE WHEN x = 1 THEN 2 END FROM a', /CASE is not supported/],
    ['WITH s AS (SELECT 1) SELECT * FROM s', /WITH \(common table expressions\) is not supported/],
  ])('names the unsupported construct in %s', (query, message) => {
    expect(() => parseAdql(query)).toThrow(message);
  });

  it.each([
    ['SELECT FROM t', /expected a value, found 'FROM' \(line 1, column 8\)/],
    ['SELECT a FROM t WHERE', /expected a value, found the end of the query/],
    ['SELECT a FROM t WHERE a NOT = 1', /expected BETWEEN, IN, LIKE or ILIKE after NOT/],
    ["SELECT a FROM t WHERE b = 'open", /unterminated string/],
    ['SELECT TOP -1 a FROM t', /TOP takes a non-negative integer/],
    ['SELECT a FROM t WHERE b = 12abc', /malformed number/],
    ['SELECT a FROM t\nWHERE b = 1 c', /unexpected 'c' \(line 2, column 13\)/],
    ['SELECT a FROM t WHERE b # 1', /unexpected character '#'/],
    ['SELECT a FROM t ORDER b', /expected BY/],
  ])('reports a syntax error with its place: %s', (query, message) => {
    expect(() => parseAdql(query)).toThrow(AdqlError);
    expect(() => parseAdql(query)).toThrow(message);
  });
});
