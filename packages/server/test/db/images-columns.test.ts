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
  // information_schema's data_type, with varchar (text in a key) read as text and MariaDB's JSON
  // (longtext with a json_valid check) as json.
  mysql: {
    text: 'text',
    enum: 'text',
    real: 'double',
    integer: 'int',
    bigint: 'bigint',
    boolean: 'tinyint',
    json: 'json',
    instant: 'bigint',
  },
} as const;

const MYSQL_TYPE_ALIASES: Record<string, string> = { varchar: 'text', longtext: 'json' };

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
      const schema = dialect === 'mysql' ? sql`database()` : sql`current_schema()`;
      const { rows } = await sql<{ column_name: string; data_type: string; is_nullable: string }>`
        select column_name as column_name, data_type as data_type, is_nullable as is_nullable
        from information_schema.columns
        where table_name = 'images' and table_schema = ${schema}`.execute(t.database.db);
      const type = (t: string) => (dialect === 'mysql' ? (MYSQL_TYPE_ALIASES[t] ?? t) : t);
      return new Map(rows.map((r) => [r.column_name, { type: type(r.data_type), nullable: r.is_nullable === 'YES' }]));
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
