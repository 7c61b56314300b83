import { describe, expect, it } from 'vitest';
import type { ImageFilters } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { insertImage } from '../../src/db/images.repository.js';
import { withTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { makeImage, observedAt } from '../support/images.js';

// The plan is checked on SQLite, whose planner choice does not depend on table statistics the way
// PostgreSQL's does on a small test table; the PostgreSQL index exists all the same (migration 1200).
describe('a page of one telescope, filter or camera, newest first', () => {
  // Not yet the camera filter: it matches the camera or the instrument, and SQLite answers that OR
  // from two indexes and then sorts every match (USE TEMP B-TREE FOR ORDER BY).
  it.each<[string, ImageFilters, string[]]>([
    ['telescope', { telescope: 'Winer' }, ['telescope']],
    ['filter_name', { filter_name: 'R' }, ['filter_name']],
  ])('is read in index order for %s, with no sort step', async (_name, filters, columns) => {
    await withTestDatabase('sqlite', async (database) => {
      // The telescope filter matches the names the catalog holds: one must be there.
      await insertImage(
        database,
        makeImage({ metadata: { ...observedAt('2025-01-02T03:04:05'), telescope: 'Winer', filter_name: 'R' } }),
      );
      const queries = await explainQueriesOf(database, (db) =>
        queryImages(db, filters, { sort: { column: 'date_obs', direction: 'desc' }, limit: 50, withTotal: false }),
      );
      // The page query is the one the app sends for GET /api/images with this filter: the dated
      // frames newest first (the undated ones follow in a second query when the page is not full).
      const page = queries.find((q) => /order by "date_obs_ms" desc/i.test(q.sql));
      expect(page?.sql).toMatch(/order by/i);
      for (const column of columns) expect(page?.plan).toContain(`images_${column}_lower_date_idx`);
      expect(page?.plan).not.toMatch(/TEMP B-TREE/);
    });
  });
});
