import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain script, no type declarations
import { withFieldTable } from '../../../../scripts/docs-fields.mjs';
import {
  API_FIELDS,
  COLUMN_FIELDS,
  CSV_EXPORT_FIELDS,
  type FieldSpec,
  IMAGE_FIELDS,
  MANIFEST_FIELDS,
  RANGE_FILTERS,
  SORT_FIELDS,
} from '../../src/domain/image-fields.js';
import { filterProperties, IMAGE_ITEM_FIELDS } from '../../src/http/schemas/images.schemas.js';
import { emptyMetadata } from '../../src/ingest/normalize/metadata.js';

const specs = Object.entries(IMAGE_FIELDS) as Array<[string, FieldSpec]>;

describe('the field table', () => {
  it('is what docs/api.md shows (run `npm run docs:fields` after changing it)', () => {
    const file = new URL('../../../../docs/api.md', import.meta.url);
    const markdown = readFileSync(file, 'utf8');
    expect(withFieldTable(markdown, IMAGE_FIELDS)).toBe(markdown);
  });

  it('names every filter of the query schema, and only those', () => {
    const named = new Set<string>();
    for (const [name, spec] of specs) {
      if (spec.range?.min) named.add(spec.range.min);
      if (spec.range?.max) named.add(spec.range.max);
      if (spec.match) named.add(name);
      for (const f of spec.filters ?? []) named.add(f);
    }
    expect([...named].sort()).toEqual(Object.keys(filterProperties).sort());
  });

  it('gives the item schema, the empty metadata and the columns their fields', () => {
    expect(Object.keys(IMAGE_ITEM_FIELDS)).toEqual(API_FIELDS);
    expect(Object.keys(emptyMetadata())).toEqual(specs.filter(([, s]) => s.group === 'metadata').map(([n]) => n));
    expect(emptyMetadata()).toMatchObject({ airmass_computed: false, master_frame: false });
    expect(Object.values(emptyMetadata()).filter((v) => v !== null)).toEqual([false, false]);
    // Computed fields have no column; index keys and file identity stay out of the API.
    expect(specs.filter(([, s]) => s.column === false).map(([n]) => n)).toEqual(['file_path', 'file_name']);
    expect(COLUMN_FIELDS).not.toContain('file_path');
    expect(API_FIELDS).not.toContain('pos_x');
  });

  it('keeps the contract: item fields, default CSV columns, sort names, range filters', () => {
    // The item fields the API contract promises (docs/api.md), in the order of a default CSV export (plus sha256).
    const contract =
      'id, file_path, date_obs, night, ra_deg, dec_deg, exptime, filter_name, object_name, ccd_temp, gain, ' +
      'airmass, telescope, observatory, instrument, image_type, naxis1, naxis2, fwhm_px, fwhm_arcsec, ' +
      'star_count, background, noise, quality_score, quality_flag';
    expect(CSV_EXPORT_FIELDS).toEqual([...contract.split(', '), 'sha256']);
    for (const f of CSV_EXPORT_FIELDS) expect(API_FIELDS).toContain(f);
    expect(MANIFEST_FIELDS.slice(0, 3)).toEqual(['id', 'file_path', 'date_obs']);
    expect(new Set(specs.map(([, s]) => s.csv).filter((n) => n !== undefined)).size).toBe(CSV_EXPORT_FIELDS.length);
    expect(SORT_FIELDS).toMatchObject({ date_obs: 'date_obs_ms', file_path: 'rel_path', id: 'id', exptime: 'exptime' });
    for (const column of Object.values(SORT_FIELDS)) expect(COLUMN_FIELDS).toContain(column);
    expect(RANGE_FILTERS).toContainEqual({ param: 'min_temp', field: 'ccd_temp', op: '>=' });
    expect(RANGE_FILTERS).toContainEqual({
      param: 'min_quality',
      field: 'quality_score',
      op: '>=',
      minimum: 0,
      maximum: 100,
    });
  });

  it('says what every enum may hold and never leaves a description empty', () => {
    for (const [name, spec] of specs) {
      expect(spec.description.length, name).toBeGreaterThan(3);
      expect(spec.type === 'enum', name).toBe(spec.values !== undefined);
    }
  });
});
