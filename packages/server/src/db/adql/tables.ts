/**
 * The catalog's tables as ADQL sees them: names, ADQL types and the SQL of each column.
 *
 *   imagesAdqlTable()   aims.images: every stored field of the field table that the API shows, by
 *                       its own name; instants and date_obs are timestamps; booleans are 0/1.
 */
import { sql } from 'kysely';
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
