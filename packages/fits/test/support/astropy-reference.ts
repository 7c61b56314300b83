import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASTROPY_FITS_DATA, HAVE_ASTROPY_DATA } from './astropy-data.js';
import { HAVE_FIXTURES, SYSTEM_PYTHON } from './fixtures.js';

/**
 * FITS files of astropy's test data (top level only: `invalid/` holds deliberately broken files);
 * empty when it is missing (the run has said so once).
 */
export function astropyDataFiles(): string[] {
  if (!HAVE_ASTROPY_DATA) return [];
  return readdirSync(ASTROPY_FITS_DATA)
    .map((name) => join(ASTROPY_FITS_DATA, name))
    .filter((path) => statSync(path).isFile() && /\.(fits|fit|fz|gz)$/i.test(path));
}

export interface ReferenceHdu {
  index: number;
  shape?: number[];
  dtype?: string;
  bzero?: number;
  path?: string;
  error?: string;
}

export interface Reference {
  /** Why there is no reference at all (astropy missing), else undefined. */
  skipReason: string | undefined;
  files: Record<string, { hdus?: ReferenceHdu[]; error?: string }>;
  /** astropy's pixels of one HDU, as float64. */
  pixels(hdu: ReferenceHdu): Float64Array;
  dispose(): void;
}

/**
 * Runs astropy-pixels.py once over all `files` (one Python start-up, not one per file). Skips without
 * the shared fixtures or astropy's data: the files compared would be only part of the corpus.
 */
export function astropyReference(files: string[]): Reference {
  const dir = mkdtempSync(join(tmpdir(), 'aims-astropy-pixels-'));
  const script = new URL('./astropy-pixels.py', import.meta.url).pathname;
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const pixels = (hdu: ReferenceHdu) => {
    // Copied: a Buffer may sit at an offset that is not a multiple of 8 inside a shared pool.
    return new Float64Array(new Uint8Array(readFileSync(hdu.path!)).buffer);
  };
  if (!HAVE_FIXTURES || !HAVE_ASTROPY_DATA)
    return { skipReason: 'no shared fixtures or astropy data', files: {}, pixels, dispose };
  if (!existsSync(SYSTEM_PYTHON)) return { skipReason: `${SYSTEM_PYTHON} is missing`, files: {}, pixels, dispose };
  const run = spawnSync(SYSTEM_PYTHON, [script, dir, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status === 3 || run.status === null) {
    return {
      skipReason: `astropy is not importable by ${SYSTEM_PYTHON}: ${run.stdout || run.error}`,
      files: {},
      pixels,
      dispose,
    };
  }
  if (run.status !== 0) throw new Error(`astropy-pixels.py failed: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { files: Reference['files'] };
  return { skipReason: undefined, files: report.files, pixels, dispose };
}
