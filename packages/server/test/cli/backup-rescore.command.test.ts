import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openDatabase } from '../../src/db/connection.js';
import { getImage, insertImage } from '../../src/db/images.repository.js';
import { emptyMetadata } from '../../src/ingest/normalize/metadata.js';

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aims-cli-'));
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const metrics = (stars: number, fwhm: number) => ({
  background: 100,
  noise: 5,
  star_count: stars,
  fwhm_px: fwhm,
  fwhm_arcsec: null,
  hfr_px: fwhm / 2,
  eccentricity: 0.3,
  snr_weight: 1,
  saturated_fraction: 0,
  level: null,
  uniformity: null,
  analysis_note: null,
});

async function seed(url: string): Promise<number[]> {
  const database = await openDatabase(url);
  const ids: number[] = [];
  try {
    for (let i = 0; i < 7; i++) {
      const metadata = {
        ...emptyMetadata(),
        object_name: 'M 13',
        filter_name: 'R',
        exptime: 60,
        image_type: 'light' as const,
      };
      const written = await insertImage(database, {
        root: dir,
        rel_path: `f${i}.fits`,
        size_bytes: 2880,
        mtime_ms: 1,
        inode: i + 1,
        sha256: String(i).repeat(64).slice(0, 64),
        hdu_index: 0,
        metadata,
        quality: metrics(i === 6 ? 3 : 100, i === 6 ? 9 : 3),
        headers: [],
      });
      ids.push(written.id);
    }
  } finally {
    await database.close();
  }
  return ids;
}

describe('aims rescore', () => {
  it('scores every measured frame against its comparable frames, and flags the good ones', async () => {
    const url = `sqlite:${join(dir, 'aims.db')}`;
    const ids = await seed(url);
    expect(await main(['rescore', '--db', url, '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ images: 7, flagged: 6, quality_version: 1, threshold: 60 });
    const database = await openDatabase(url);
    try {
      const good = await getImage(database, ids[0]!);
      const clouded = await getImage(database, ids[6]!);
      expect(good?.quality_flag).toBe(true);
      expect(good?.quality_components).toMatchObject({ mode: 'relative', comparables: 6 });
      expect(clouded?.quality_flag).toBe(false);
      expect(clouded?.quality_score).toBeLessThanOrEqual(20);
    } finally {
      await database.close();
    }
  });
});

describe('aims backup', () => {
  it('copies the SQLite catalog into a new file that opens with the same rows', async () => {
    const url = `sqlite:${join(dir, 'aims.db')}`;
    await seed(url);
    const target = join(dir, 'copies', 'backup.db');
    expect(await main(['backup', target, '--db', url])).toBe(0);
    expect(out.join('')).toMatch(/^backed up \d+ pages/);
    const copy = new SqliteDatabase(target, { readonly: true });
    try {
      expect(copy.prepare('select count(*) as n from images').get()).toEqual({ n: 7 });
    } finally {
      copy.close();
    }
  });

  it('refuses to overwrite a file, and sends PostgreSQL users to pg_dump', async () => {
    const url = `sqlite:${join(dir, 'aims.db')}`;
    await seed(url);
    expect(await main(['backup', join(dir, 'aims.db'), '--db', url])).toBe(2);
    expect(err.join('')).toMatch(/exists already/);
    expect(await main(['backup', join(dir, 'x.db'), '--db', 'postgres://postgres@127.0.0.1:5432/test'])).toBe(2);
    expect(err.join('')).toMatch(/pg_dump/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
