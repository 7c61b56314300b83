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
