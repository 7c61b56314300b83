/**
 * The judge of the fault and soak tests (test/support/catalog-truth.ts) must itself be able to say
 * no: each way a catalog can differ from the disk is staged here and must be reported.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertImage, markMissing } from '../../src/db/images.repository.js';
import { upsertDiscovered } from '../../src/db/ingest-ledger.repository.js';
import { catalogDiscrepancies, sha256File } from '../support/catalog-truth.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { makeImage } from '../support/images.js';

for (const dialect of DIALECTS) {
  describe(`catalogDiscrepancies on ${dialect}`, () => {
    const t = useTestDatabase(dialect);
    let root: string;

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'aims-truth-'));
      mkdirSync(join(root, 'night'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    /** A file on disk, catalogued at its path with its content and a settled ledger row. */
    async function catalogued(name: string, content: string): Promise<string> {
      const path = join(root, 'night', name);
      writeFileSync(path, content);
      const [entry] = await upsertDiscovered(t.database, [
        { root, rel_path: `night/${name}`, size_bytes: content.length, mtime_ms: 1, inode: null },
      ]);
      await insertImage(
        t.database,
        makeImage({ root, rel_path: `night/${name}`, sha256: sha256File(path) ?? '', size_bytes: content.length }),
        { ledgerId: entry?.id },
      );
      return path;
    }

    it('finds nothing when the catalog matches, and each staged difference when it does not', async () => {
      const a = await catalogued('a.fits', 'first frame');
      const b = await catalogued('b.fits', 'second frame');
      await catalogued('c.fits', 'third frame');
      expect(await catalogDiscrepancies(t.database, [root])).toEqual([]);

      writeFileSync(a, 'rewritten behind the catalog');
      unlinkSync(b);
      writeFileSync(join(root, 'night', 'd.fits'), 'never discovered');
      const problems = await catalogDiscrepancies(t.database, [root]);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/a\.fits: catalogued with content .*, on disk /),
          expect.stringMatching(/b\.fits: catalogued as present, not on disk/),
          expect.stringMatching(/d\.fits: on disk, not catalogued at this path/),
          expect.stringMatching(/d\.fits: on disk, no ledger row/),
        ]),
      );
      expect(problems).toHaveLength(4);

      // Marked missing while its file is there, and a pending ledger row.
      await markMissing(t.database, root, 'night/c.fits');
      await upsertDiscovered(t.database, [{ root, rel_path: 'night/e.fits', size_bytes: 1, mtime_ms: 1, inode: null }]);
      const more = await catalogDiscrepancies(t.database, [root]);
      expect(more).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/c\.fits: on disk with its content but marked missing/),
          expect.stringMatching(/e\.fits: still pending in the ledger/),
        ]),
      );
    });
  });
}
