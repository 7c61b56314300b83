import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withTestDatabase } from '../support/databases.js';

// The plan is checked on SQLite, whose planner choice does not depend on table statistics the way
// PostgreSQL's does on a small test table; the PostgreSQL index exists all the same (migration 1200).
describe('a page of one telescope, filter or camera, newest first', () => {
  it.each(['telescope', 'filter_name', 'camera', 'instrument'])(
    'is read in index order for %s, with no sort step',
    async (column) => {
      await withTestDatabase('sqlite', async (database) => {
        const { rows } = await sql<{
          detail: string;
        }>`explain query plan select id from images where lower(${sql.ref(column)}) = ${'winer'} order by date_obs_ms desc, id desc limit 50`.execute(
          database.db,
        );
        const plan = rows.map((r) => r.detail).join('\n');
        expect(plan).toContain(`images_${column}_lower_date_idx`);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      });
    },
  );
});
