import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { binaryTable, readColumn } from '../src/bintable.js';
import { readStructure } from '../src/hdu.js';
import { bufferSource } from '../src/source.js';
import { HAVE_ASTROPY_DATA } from './support/astropy-data.js';
import { astropyDataFiles } from './support/astropy-reference.js';
import { fixtureFiles, HAVE_FIXTURES, SYSTEM_PYTHON } from './support/fixtures.js';

/**
 * Every binary table of the fixtures and of astropy's test data (except compressed images), every
 * column but bits, read with readColumn and compared with astropy's values.
 */
type Cell = string | Array<number | string | boolean | null | number[]>;
type Reference = Record<
  string,
  Array<{ index: number; columns: Array<{ name: string; format: string; rows: Cell[] }> }> | { error: string }
>;

const files = [...fixtureFiles(), ...astropyDataFiles()];
const script = new URL('./support/astropy-tables.py', import.meta.url).pathname;
const present = HAVE_FIXTURES && HAVE_ASTROPY_DATA;
const run =
  present && existsSync(SYSTEM_PYTHON)
    ? spawnSync(SYSTEM_PYTHON, [script, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : undefined;
const skipReason = !present
  ? 'no shared fixtures or astropy data'
  : run === undefined
    ? `${SYSTEM_PYTHON} is missing`
    : run.status !== 0
      ? `astropy unavailable: ${run.stdout}${run.stderr.slice(-300)}`
      : undefined;
const reference: Reference = skipReason ? {} : JSON.parse(run!.stdout);

function fileBytes(path: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

/** Our cell in astropy's shape: lists of plain values, complex as [re, im], undefined logicals as false. */
function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.map((v) => {
      if (Array.isArray(v)) return v.map((x) => (Number.isNaN(x) ? 'NaN' : x));
      if (typeof v === 'bigint') return Number(v);
      if (v === null) return false;
      return typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
    });
  }
  return value;
}

describe.skipIf(skipReason !== undefined)('binary tables match astropy', () => {
  if (skipReason) console.log(`skipping the BINTABLE comparison: ${skipReason}`);
  const withTables = files.filter(
    (path) => Array.isArray(reference[path]) && (reference[path] as unknown[]).length > 0,
  );

  it('covers variable-length arrays and every fixed type (not a vacuous table)', () => {
    const formats = withTables.flatMap((path) =>
      (reference[path] as Array<{ columns: Array<{ format: string }> }>).flatMap((hdu) =>
        hdu.columns.map((c) => c.format),
      ),
    );
    for (const type of ['L', 'A', 'B', 'I', 'J', 'K', 'E', 'D', 'C', 'M', 'P']) {
      expect(
        formats.some((f) => f.replace(/\(.*\)/, '').includes(type)),
        type,
      ).toBe(true);
    }
  });

  for (const path of withTables) {
    it(path.split('/').slice(-2).join('/'), async () => {
      const source = bufferSource(fileBytes(path));
      const { hdus } = await readStructure(source);
      for (const expected of reference[path] as Array<{
        index: number;
        columns: Array<{ name: string; rows: Cell[] }>;
      }>) {
        const hdu = hdus.find((h) => h.index === expected.index)!;
        const table = binaryTable(hdu);
        for (const column of expected.columns) {
          const ours = table.columns.find((c) => c.name === column.name)!;
          expect(ours, `${column.name} of HDU ${hdu.index}`).toBeDefined();
          const values = await readColumn(source, table, ours, 0, table.rowCount, { heap: true });
          // astropy gives a variable-length character array as a list of characters.
          // astropy 5.2 gives a variable-length logical array as its bytes ('T' = 84): as logicals here.
          const logicalArray = /^\d*[PQ]L/.test(column.format);
          const expectedRows = column.rows.map((row, i) => {
            if (typeof values[i] === 'string' && Array.isArray(row)) return row.join('');
            if (logicalArray && Array.isArray(row)) return row.map((code) => code === 84);
            return row;
          });
          expect(values.map(normalize), `${column.name} of HDU ${hdu.index}`).toEqual(expectedRows);
        }
      }
    });
  }
});
