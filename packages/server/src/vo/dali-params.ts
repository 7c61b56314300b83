/**
 * Parameters of IVOA DALI services (SIA 2.0 now; TAP and DataLink share the rules): names are
 * case-insensitive, a parameter may repeat, numbers may be ±Inf where an interval allows it.
 */

/** A bad parameter: answered 400 with a DALI error document (QUERY_STATUS ERROR). */
export class DaliParameterError extends Error {
  override readonly name = 'DaliParameterError';
}

/** Upper-case parameter name → its values, repeats kept in order. */
export type DaliParams = Map<string, string[]>;

/** A parsed query string → DaliParams. */
export function collectParams(query: unknown): DaliParams {
  const params: DaliParams = new Map();
  for (const [key, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    const name = key.toUpperCase();
    params.set(name, [...(params.get(name) ?? []), ...values]);
  }
  return params;
}

/** The one value of `name`, undefined when absent; a repeat is refused. */
export function single(params: DaliParams, name: string): string | undefined {
  const values = params.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw new DaliParameterError(`${name}: only one value is supported`);
  return values[0];
}

/** A number, with -Inf/+Inf/Inf allowed where `infinite` says so. */
export function parseNumber(name: string, text: string, infinite: boolean): number {
  const t = text.trim();
  if (infinite && /^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) throw new DaliParameterError(`${name}: '${text}' is not a number`);
  return n;
}

/** DALI interval `lo hi` (lo ≤ hi), or one value `v` for the interval [v, v] (SIA 2.0 §2.1). */
export function parseInterval(name: string, text: string): [number, number] {
  const words = text.trim().split(/\s+/);
  if (words.length === 1 && words[0] !== '') {
    const v = parseNumber(name, words[0] as string, false);
    return [v, v];
  }
  if (words.length !== 2) throw new DaliParameterError(`${name}: expected an interval 'low high' or one value`);
  const lo = parseNumber(name, words[0] ?? '', true);
  const hi = parseNumber(name, words[1] ?? '', true);
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw new DaliParameterError(`${name}: low must be ≤ high`);
  return [lo, hi];
}
