/**
 * The catalog's tables as ADQL sees them: names, ADQL types and the SQL of each column.
 *
 *   imagesAdqlTable()   aims.images: every stored field of the field table that the API shows, by
 *                       its own name; instants and date_obs are timestamps; booleans are 0/1.
 */
import { type RawBuilder, sql } from 'kysely';
import { COLUMN_FIELDS, type FieldType, fieldSpec } from '../../domain/image-fields.js';
import type { AdqlColumn, AdqlColumnType, AdqlTable } from './compile.js';

const ADQL_TYPES: Partial<Record<FieldType, AdqlColumnType>> = {
  text: 'text',
  enum: 'text',
  real: 'double',
  integer: 'integer',
  bigint: 'integer',
  boolean: 'integer',
  instant: 'timestamp',
};

export function imagesAdqlTable(): AdqlTable {
  const columns: AdqlColumn[] = [];
  for (const name of COLUMN_FIELDS) {
    const spec = fieldSpec(name);
    const type = ADQL_TYPES[spec.type];
    if (spec.api === false || !type) continue;
    const ref = sql.ref(`images.${name}`);
    if (name === 'date_obs') {
      // The header's text keeps its precision for the REST API; ADQL compares instants.
      columns.push({ name, type: 'timestamp', sql: sql.ref('images.date_obs_ms') });
      continue;
    }
    columns.push({ name, type, sql: spec.type === 'boolean' ? sql`(case when ${ref} then 1 else 0 end)` : ref });
  }
  return {
    schema: 'aims',
    name: 'images',
    source: sql`images`,
    always: null,
    columns,
    position: {
      ra: 'ra_deg',
      dec: 'dec_deg',
      raSql: sql.ref('images.ra_deg'),
      decSql: sql.ref('images.dec_deg'),
      vector: [sql.ref('images.pos_x'), sql.ref('images.pos_y'), sql.ref('images.pos_z')],
    },
  };
}

const COMPOUND_TERMS = 400;

/**
 * A table of constant rows (TAP_SCHEMA's), as `(select … union all select …) as t`: portable to
 * every engine, and queried by the same compiler as the catalog. Strings are bound as parameters.
 */
export function literalAdqlTable(
  schema: string,
  name: string,
  columns: Array<{ name: string; type: AdqlColumnType }>,
  rows: Array<Array<string | number | null>>,
): AdqlTable {
  const value = (v: string | number | null) =>
    v === null ? sql`null` : typeof v === 'number' ? sql.lit(v) : sql`${v}`;
  const selects = rows.length
    ? rows.map(
        (row) => sql`select ${sql.join(columns.map((c, i) => sql`${value(row[i] ?? null)} as ${sql.ref(c.name)}`))}`,
      )
    : [sql`select ${sql.join(columns.map((c) => sql`null as ${sql.ref(c.name)}`))} from images where 1 = 0`];
  // SQLite allows 500 terms in one compound SELECT: longer lists are unions of sub-selects.
  const chunks: RawBuilder<unknown>[] = [];
  for (let i = 0; i < selects.length; i += COMPOUND_TERMS)
    chunks.push(sql.join(selects.slice(i, i + COMPOUND_TERMS), sql` union all `));
  const union =
    chunks.length === 1
      ? chunks[0]!
      : sql.join(
          chunks.map((c, i) => sql`select * from (${c}) as ${sql.ref(`part_${i}`)}`),
          sql` union all `,
        );
  const alias = `t_${name}`;
  return {
    schema,
    name,
    source: sql`(${union}) as ${sql.ref(alias)}`,
    always: null,
    columns: columns.map((c) => ({ name: c.name, type: c.type, sql: sql.ref(`${alias}.${c.name}`) })),
    position: null,
  };
}
