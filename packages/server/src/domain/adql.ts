/**
 * ADQL shared by the parser (vo/adql) and the SQL compiler (db/adql): the tree of a query and the
 * error every stage throws. Every node carries the offset of its first token so that an error found
 * after parsing can still point at its place.
 */

export type Expr =
  | { kind: 'column'; qualifier: string[]; name: string; delimited: boolean; offset: number }
  | { kind: 'number'; value: number; integer: boolean; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'unary'; op: '-' | '+'; operand: Expr; offset: number }
  | { kind: 'arithmetic'; op: '+' | '-' | '*' | '/' | '||'; left: Expr; right: Expr; offset: number }
  /** Functions and aggregates; `name` upper-cased. `COUNT(*)` has star; `COUNT(DISTINCT x)` distinct. */
  | { kind: 'call'; name: string; args: Expr[]; star: boolean; distinct: boolean; offset: number }
  | { kind: 'compare'; op: '=' | '<>' | '<' | '>' | '<=' | '>='; left: Expr; right: Expr; offset: number }
  | { kind: 'between'; not: boolean; value: Expr; low: Expr; high: Expr; offset: number }
  | { kind: 'in'; not: boolean; value: Expr; list: Expr[]; offset: number }
  | { kind: 'like'; not: boolean; caseInsensitive: boolean; value: Expr; pattern: Expr; offset: number }
  | { kind: 'isNull'; not: boolean; value: Expr; offset: number }
  | { kind: 'logical'; op: 'AND' | 'OR'; left: Expr; right: Expr; offset: number }
  | { kind: 'not'; operand: Expr; offset: number };

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias: string | null; offset: number }
  /** `*` or `t.*`. */
  | { kind: 'all'; qualifier: string[]; offset: number };

export interface TableRef {
  /** `ivoa.obscore` → ['ivoa', 'obscore']; the last part is the table, as written (see `delimited`). */
  path: string[];
  alias: string | null;
  offset: number;
}

export interface OrderItem {
  /** An expression, a select-list alias (a column node), or a 1-based column position (a number). */
  expr: Expr;
  descending: boolean;
}

export interface SelectQuery {
  distinct: boolean;
  top: number | null;
  items: SelectItem[];
  from: TableRef;
  where: Expr | null;
  groupBy: Expr[];
  having: Expr | null;
  orderBy: OrderItem[];
  offset: number | null;
}

/**
 * A query the service cannot run: a syntax error, an unknown table or column, or a construct AIMS
 * does not support. The message names the line and column; TAP answers it as a DALI error.
 */
export class AdqlError extends Error {
  override readonly name = 'AdqlError';
  readonly line: number | null;
  readonly column: number | null;

  constructor(message: string, query?: string, offset?: number) {
    const where = query === undefined || offset === undefined ? null : position(query, offset);
    super(where ? `${message} (line ${where.line}, column ${where.column})` : message);
    this.line = where?.line ?? null;
    this.column = where?.column ?? null;
  }
}

function position(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
