/** The migrations build exactly the `images` table the field table describes, on every engine. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { COLUMN_FIELDS, fieldSpec } from '../../src/domain/image-fields.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';

/** Column types each engine reports for a field type (SQLite: declared type; PostgreSQL: data_type). */
const ENGINE_TYPES = {
  sqlite: {
    text: 'text',
    enum: 'text',
    real: 'real',
    integer: 'integer',
    bigint: 'integer',
    boolean: 'integer',
    json: 'text',
    instant: 'integer',
  },
  postgres: {
    text: 'text',
    enum: 'text',
    real: 'double precision',
    integer: 'integer',
    bigint: 'bigint',
    boolean: 'boolean',
    json: 'jsonb',
    instant: 'bigint',
  },
} as const;

for (const dialect of DIALECTS)
  describe(`images columns (${dialect})`, () => {
    const t = useSharedTestDatabase(dialect);

    async function columns(): Promise<Map<string, { type: string; nullable: boolean }>> {
      if (dialect === 'sqlite') {
        const { rows } = await sql<{ name: string; type: string; notnull: number }>`pragma table_info(images)`.execute(
          t.database.db,
        );
        return new Map(rows.map((r) => [r.name, { type: r.type.toLowerCase(), nullable: r.notnull === 0 }]));
      }
      const { rows } = await sql<{ column_name: string; data_type: string; is_nullable: string }>`
        select column_name, data_type, is_nullable from information_schema.columns
        where table_name = 'images' and table_schema = current_schema()`.execute(t.database.db);
      return new Map(rows.map((r) => [r.column_name, { type: r.data_type, nullable: r.is_nullable === 'YES' }]));
    }

    it('has one column per stored field, of the field type, nullable as the table says', async () => {
      const actual = await columns();
      expect([...actual.keys()].sort()).toEqual([...COLUMN_FIELDS].sort());
      for (const name of COLUMN_FIELDS) {
        const spec = fieldSpec(name);
        if (name === 'id') continue; // the primary key: checked by the migration's own tests
        expect(actual.get(name), name).toEqual({
          type: ENGINE_TYPES[dialect][spec.type],
          nullable: spec.nullable !== false,
        });
      }
    });
  });
