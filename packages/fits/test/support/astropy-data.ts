/**
 * astropy as a reference: its own FITS and WCS test files (found once per run by the Vitest global
 * setup, scripts/vitest.global-setup.ts) and whether Debian's python3 can import it. A run without
 * them prints one line and the tests that need them skip; CI=true fails instead.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { SYSTEM_PYTHON } from './fixtures.js';

/** The astropy package folder whose io/fits/tests/data and wcs/tests/data the tests read; '' when missing. */
export const ASTROPY_PACKAGE_DIR = inject('astropyPackageDir');
/** False when astropy's test data is not on this machine: the tests that read it skip. */
export const HAVE_ASTROPY_DATA = ASTROPY_PACKAGE_DIR !== '';
/** astropy's FITS test files (astropy/io/fits/tests/data). */
export const ASTROPY_FITS_DATA = join(ASTROPY_PACKAGE_DIR, 'io/fits/tests/data');

/** Why the astropy oracle cannot run here, or undefined when /usr/bin/python3 has astropy. */
export function astropyUnavailable(): string | undefined {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy; print(astropy.__version__)'], { encoding: 'utf8' });
  if (probe.error) return `${SYSTEM_PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no astropy (${probe.stderr.trim().split('\n').at(-1) ?? ''})`;
  return undefined;
}

/** Every FITS file of astropy's FITS test data (.fits, .gz, .fz), the `invalid/` folder included. */
export function astropyTestFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, name.name);
      if (name.isDirectory()) walk(path);
      else if (/\.(fits|fit|fts|gz|fz)$/i.test(name.name)) out.push(path);
    }
  };
  if (HAVE_ASTROPY_DATA) walk(ASTROPY_FITS_DATA);
  return out;
}
