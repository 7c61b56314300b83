/**
 * A small catalog for the API tests: frames shaped like the queries observatories ran against the
 * system AIMS replaces (a "Winer" telescope, temperatures around -10 °C, L/R/G/B filters in mixed
 * case, frames on both sides of midnight), real fixture files for downloads, and rows whose paths
 * try to leave the image roots.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../src/db/connection.js';
import { insertImage } from '../../../src/db/images.repository.js';
import { FIXTURES_DIR } from '../../support/fixtures.js';
import { type ImageOverrides, makeImage, observedAt } from '../../support/images.js';

export const REAL_ROOT = join(FIXTURES_DIR, 'mwcraig-msumastro');
export const REAL_FILES = ['maximdl_5_23_header.fit', 'maximdl_6_18_header.fit', 'biastest1.fit', 'aspen_trimmed.fit'];
/** A symlink in our own root, named like REAL_FILES[0]. */
export const LINKED_NAME = 'maximdl_5_23_header.fit';

export interface Catalog {
  /** Image roots to configure (AIMS_IMAGE_DIR). */
  roots: string[];
  /** Our own folder (symlinks), removed by the caller. */
  scratch: string;
  ids: Record<string, number>;
  sha256: Record<string, string>;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The synthetic frames: name → overrides. */
export const FRAMES: Record<string, ImageOverrides> = {
  w1: {
    metadata: {
      ...observedAt('2024-11-05T22:15:00', '2024-11-05'),
      telescope: 'Winer',
      ccd_temp: -10,
      filter_name: 'LRG',
      object_name: 'NGC 7000',
      image_type: 'light',
      exptime: 300,
    },
    quality: { fwhm_arcsec: 2.1 },
    score: { quality_score: 82, quality_flag: true },
  },
  w2: {
    metadata: {
      ...observedAt('2024-11-06T03:59:00', '2024-11-05'),
      telescope: 'WINER',
      ccd_temp: -15,
      filter_name: 'lrg',
      object_name: 'NGC 7000',
      image_type: 'light',
      exptime: 300,
    },
    quality: { fwhm_arcsec: 2.9 },
    score: { quality_score: 55 },
  },
  w3: {
    metadata: {
      ...observedAt('2024-11-06T04:01:00', '2024-11-05'),
      telescope: 'winer',
      ccd_temp: -9.5,
      filter_name: 'R',
      object_name: 'M 31',
      image_type: 'light',
      exptime: 120,
    },
  },
  w4: {
    metadata: {
      ...observedAt('2024-11-06T12:00:00', '2024-11-06'),
      telescope: 'Winer Observatory 0.5m',
      ccd_temp: -20,
      filter_name: 'Lrg',
      image_type: 'dark',
      exptime: 300,
    },
  },
  o1: {
    metadata: {
      ...observedAt('2024-11-06T21:59:00', '2024-11-06'),
      telescope: 'Other',
      ccd_temp: 5,
      filter_name: 'B',
      object_name: 'M 31',
      image_type: 'flat',
      exptime: 2,
    },
  },
  o2: {
    metadata: { telescope: 'Other', filter_name: null, image_type: 'bias', ccd_temp: null },
  },
};

export async function seedCatalog(database: Db): Promise<Catalog> {
  const scratch = mkdtempSync(join(tmpdir(), 'aims-roots-'));
  const own = join(scratch, 'root');
  mkdirSync(join(own, 'night'), { recursive: true });
  const outside = join(scratch, 'outside.fits');
  writeFileSync(outside, 'SIMPLE  =                    T / secret outside the roots');
  // A symlink that leads out of the roots, and one that stays inside (to another fixture) under the
  // same name as a real file elsewhere.
  symlinkSync(outside, join(own, 'night', 'escape.fits'));
  symlinkSync(join(REAL_ROOT, 'uint16_missing_filter.fit'), join(own, 'night', LINKED_NAME));

  const ids: Record<string, number> = {};
  const sha256: Record<string, string> = {};
  for (const [name, overrides] of Object.entries(FRAMES)) {
    const { id } = await insertImage(
      database,
      makeImage({ root: own, rel_path: `synthetic/${name}.fits`, ...overrides }),
    );
    ids[name] = id;
  }
  for (const [index, file] of REAL_FILES.entries()) {
    const path = join(REAL_ROOT, file);
    sha256[file] = sha(path);
    const { id } = await insertImage(
      database,
      makeImage({
        root: REAL_ROOT,
        rel_path: file,
        sha256: sha256[file],
        size_bytes: statSync(path).size,
        metadata: {
          ...observedAt(`2013-10-16T0${index}:00:00`, '2013-10-15'),
          telescope: 'Feder',
          object_name: 'ngc-6946',
          image_type: 'light',
        },
        headers: [{ index: 0, type: 'IMAGE', cards: [{ key: 'TELESCOP', value: 'FEDER', comment: 'real' }] }],
      }),
    );
    ids[file] = id;
  }
  // Same name as a real file, another folder: the ZIP must keep both.
  const dupPath = join(own, 'night', LINKED_NAME);
  sha256.linked = sha(dupPath);
  ids.linked = (
    await insertImage(
      database,
      makeImage({
        root: own,
        rel_path: `night/${LINKED_NAME}`,
        sha256: sha256.linked,
        size_bytes: statSync(dupPath).size,
        metadata: { telescope: 'Feder' },
      }),
    )
  ).id;
  ids.escape = (
    await insertImage(
      database,
      makeImage({ root: own, rel_path: 'night/escape.fits', metadata: { telescope: 'Evil' } }),
    )
  ).id;
  ids.traversal = (
    await insertImage(database, makeImage({ root: own, rel_path: '../outside.fits', metadata: { telescope: 'Evil' } }))
  ).id;
  ids.foreignRoot = (
    await insertImage(database, makeImage({ root: scratch, rel_path: 'outside.fits', metadata: { telescope: 'Evil' } }))
  ).id;
  return { roots: [REAL_ROOT, own], scratch, ids, sha256 };
}
