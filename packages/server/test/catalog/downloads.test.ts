import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateOriginal, planZip, uniqueNames, zipEntryName } from '../../src/catalog/downloads.js';
import type { CatalogLog } from '../../src/catalog/log.js';
import { fixedRoots } from '../../src/catalog/served-roots.js';
import { insertImage, linkCopy } from '../../src/db/images.repository.js';
import { MANIFEST_FIELDS } from '../../src/domain/image-fields.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { makeImage } from '../support/images.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'aims-downloads-')));
mkdirSync(join(root, 'n1'));
mkdirSync(join(root, 'n2'));
for (const name of ['n1/m13.fits', 'n2/m13.fits', 'n2/copy.fits']) writeFileSync(join(root, name), name);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A log that remembers what it was told. */
function memoryLog(): CatalogLog & { lines: Array<[object, string]> } {
  const lines: Array<[object, string]> = [];
  return { lines, warn: (f, m) => lines.push([f, m]) };
}

describe('uniqueNames', () => {
  it('keeps names that are unique and adds the id before the extensions when two clash', () => {
    const names = uniqueNames([
      { id: 1, file_name: 'a.fits' },
      { id: 2, file_name: 'm13.fits.fz' },
      { id: 3, file_name: 'm13.fits.fz' },
      { id: 4, file_name: 'README' },
      { id: 5, file_name: 'README' },
    ]);
    expect(names).toEqual(['a.fits', 'm13_2.fits.fz', 'm13_3.fits.fz', 'README_4', 'README_5']);
  });

  it('makes every name a single safe segment: no drive, separator, climb or control character', () => {
    expect(zipEntryName('C:evil.fits')).toBe('C_evil.fits');
    expect(zipEntryName('..\\..\\x.fits')).toBe('.._.._x.fits');
    expect(zipEntryName('/etc/passwd')).toBe('_etc_passwd');
    expect(zipEntryName('a\tb\r\n\u0000\u007f\u0085.fits')).toBe('a_b_____.fits');
    expect(zipEntryName('..')).toBe('_..');
    expect(zipEntryName('.')).toBe('_.');
    expect(zipEntryName('')).toBe('_');
    expect(zipEntryName('M 31 – Andromeda.fits')).toBe('M 31 – Andromeda.fits');
  });

  it('keeps names unique after making them safe', () => {
    const names = uniqueNames([
      { id: 7, file_name: 'C:evil.fits' },
      { id: 8, file_name: 'C_evil.fits' },
      { id: 9, file_name: '..\\..\\x.fits' },
    ]);
    expect(names).toEqual(['C_evil_7.fits', 'C_evil_8.fits', '.._.._x.fits']);
  });
});

for (const dialect of DIALECTS) {
  describe(`download plans (${dialect})`, () => {
    const t = useTestDatabase(dialect);
    const add = async (relPath: string, object: string) =>
      (await insertImage(t.database, makeImage({ root, rel_path: relPath, metadata: { object_name: object } }))).id;

    it('names each file uniquely, reads a copy when the own path is gone, lists what is missing', async () => {
      const a = await add('n1/m13.fits', 'M 13');
      const b = await add('n2/m13.fits', 'M 13');
      const gone = await add('n3/gone.fits', 'M 13');
      const copied = await add('n3/moved.fits', 'M 92');
      await linkCopy(t.database, copied, root, 'n2/copy.fits');
      const log = memoryLog();
      const plan = await planZip(t.database, fixedRoots([root]), { ids: [a, b, gone, copied, a] }, log);
      expect(plan.ids).toEqual([a, b, gone, copied]);
      expect(plan.manifestFields).toEqual([...MANIFEST_FIELDS]);
      expect(plan.members.map((m) => [m.name, m.size])).toEqual([
        [`m13_${a}.fits`, 'n1/m13.fits'.length],
        [`m13_${b}.fits`, 'n2/m13.fits'.length],
        ['moved.fits', 'n2/copy.fits'.length],
      ]);
      expect(plan.members[0]?.metadata[MANIFEST_FIELDS.indexOf('object_name')]).toBe('M 13');
      expect(plan.missing.map((m) => m.name)).toEqual(['gone.fits']);
      expect(log.lines.some(([f]) => (f as { reason?: string }).reason === 'FILE_MISSING')).toBe(true);
      const handle = await plan.members[2]!.open();
      try {
        expect((await handle.readFile()).toString()).toBe('n2/copy.fits');
      } finally {
        await handle.close();
      }
    });

    it('selects by filters', async () => {
      await add('n1/m13.fits', 'M 13');
      await add('n2/m13.fits', 'M 92');
      const plan = await planZip(t.database, fixedRoots([root]), { filters: { object: 'M92' } }, memoryLog());
      expect(plan.members.map((m) => m.name)).toEqual(['m13.fits']);
    });

    it('refuses unknown ids, an empty selection and a selection without readable files', async () => {
      const gone = await add('n3/gone.fits', 'M 13');
      await expect(
        planZip(t.database, fixedRoots([root]), { ids: [gone, 999_999] }, memoryLog()),
      ).rejects.toMatchObject({
        code: 'CATALOG_NOT_FOUND',
        message: 'no image 999999',
      });
      await expect(
        planZip(t.database, fixedRoots([root]), { filters: { object: 'M 31' } }, memoryLog()),
      ).rejects.toMatchObject({
        code: 'CATALOG_NOT_FOUND',
        message: 'no image matches',
      });
      await expect(planZip(t.database, fixedRoots([root]), { ids: [gone] }, memoryLog())).rejects.toMatchObject({
        code: 'CATALOG_NOT_FOUND',
        message: 'none of the selected files is available',
      });
    });

    it('locates one original, or says why not', async () => {
      const a = await add('n1/m13.fits', 'M 13');
      const gone = await add('n3/gone.fits', 'M 13');
      expect((await locateOriginal(t.database, fixedRoots([root]), a, memoryLog())).file.path).toBe(
        join(root, 'n1/m13.fits'),
      );
      await expect(locateOriginal(t.database, fixedRoots([root]), gone, memoryLog())).rejects.toMatchObject({
        code: 'CATALOG_NOT_FOUND',
        message: `the original file of image ${gone} is not available`,
      });
      await expect(locateOriginal(t.database, fixedRoots([root]), 999_999, memoryLog())).rejects.toMatchObject({
        message: 'no image 999999',
      });
    });
  });
}
