/**
 * Rows as `aims migrate-catalog` moves and compares them between engines. One column has one kind,
 * read from the types both catalogs report (a boolean is `bool` on PostgreSQL and `integer` on
 * SQLite, JSON `jsonb` or `text`): the more specific side wins.
 *
 *   ColumnKind, columnKind(sourceType, targetType)   bool > json > float > int > text
 *   toTarget(value, kind, targetIsBool)              a source value as the target column takes it
 *   normalise(value, kind)                           one canonical form, whichever engine it came from
 *   TableChecksum                                    count and order-independent hash of normalised rows
 */
import { createHash } from 'node:crypto';

export type ColumnKind = 'bool' | 'json' | 'float' | 'int' | 'text' | 'bytes';

const KIND_ORDER: readonly ColumnKind[] = ['bool', 'json', 'float', 'int', 'bytes', 'text'];

/** The kind of one engine's column type (as Kysely's introspection reports it). */
export function kindOfType(dataType: string): ColumnKind {
  const type = dataType.toLowerCase();
  if (type === 'bool' || type === 'boolean' || type === 'tinyint') return 'bool';
  if (type === 'json' || type === 'jsonb') return 'json';
  if (/^(real|double|double precision|float|float4|float8|numeric|decimal)$/.test(type)) return 'float';
  if (/^(integer|int|int2|int4|int8|bigint|smallint|mediumint)$/.test(type)) return 'int';
  if (type === 'blob' || type === 'bytea' || type.endsWith('blob')) return 'bytes';
  return 'text';
}

/** The kind of a column from both sides: what the more specific engine says it holds. */
export function columnKind(sourceType: string, targetType: string): ColumnKind {
  const a = kindOfType(sourceType);
  const b = kindOfType(targetType);
  return KIND_ORDER.indexOf(a) <= KIND_ORDER.indexOf(b) ? a : b;
}

function asBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 1n;
}

/** A source value in the form the target's column takes. */
export function toTarget(value: unknown, kind: ColumnKind, targetIsBool: boolean): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return targetIsBool ? asBool(value) : asBool(value) ? 1 : 0;
    case 'json':
      // Always sent as text: pg would turn a JS array into a PostgreSQL array literal.
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'int':
    case 'float':
      return typeof value === 'bigint' ? value : Number(value);
    case 'bytes':
    case 'text':
      return value;
  }
}

function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonicalJson(v)]));
  }
  return value;
}

/**
 * One form per value whatever the engine returned: booleans as booleans, JSON parsed with its keys
 * sorted (jsonb reorders them), numbers as their shortest decimal (int8 may come as a string).
 */
export function normalise(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return asBool(value);
    case 'json':
      return canonicalJson(typeof value === 'string' ? JSON.parse(value) : value);
    case 'int':
    case 'float':
      return typeof value === 'bigint' ? value.toString() : String(Number(value));
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('hex');
    case 'text':
      return String(value);
  }
}

const MOD_128 = 1n << 128n;

/**
 * Row count and an order-independent checksum of a table: the sum, modulo 2^128, of the first 16
 * bytes of each normalised row's SHA-256. A sum, not a XOR, so that two equal rows do not cancel.
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  add(row: Record<string, unknown>, columns: readonly string[], kinds: ReadonlyMap<string, ColumnKind>): void {
    const values = columns.map((c) => normalise(row[c], kinds.get(c) ?? 'text'));
    const digest = createHash('sha256').update(JSON.stringify(values)).digest();
    this.sum = (this.sum + (digest.readBigUInt64BE(0) << 64n) + digest.readBigUInt64BE(8)) % MOD_128;
    this.rows++;
  }

  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}
