import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from './fixtures.js';

/** Where Debian's python3-astropy package is downloaded and unpacked; reused when present. */
export const ASTROPY_DEB_CACHE = process.env.AIMS_ASTROPY_DEB_CACHE ?? '/tmp/aims-astropy-deb';
const DATA_IN_PACKAGE = 'usr/lib/python3/dist-packages/astropy/io/fits/tests/data';
/** The same files as installed with the system astropy: the fallback when apt cannot download. */
const SYSTEM_DATA = `/${DATA_IN_PACKAGE}`;

/** Why the astropy oracle cannot run here, or undefined when /usr/bin/python3 has astropy. */
export function astropyUnavailable(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} does not exist`;
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy; print(astropy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no astropy (${probe.stderr.trim().split('\n').at(-1) ?? ''})`;
  return undefined;
}

/**
 * The directory of astropy's own FITS test files: `apt-get download python3-astropy` into the
 * cache and `dpkg -x` it, once. Returns the directory and how it was obtained.
 */
export function astropyTestDataDir(): { dir: string; how: string } {
  const extracted = join(ASTROPY_DEB_CACHE, 'x');
  const dir = join(extracted, DATA_IN_PACKAGE);
  if (existsSync(dir)) return { dir, how: `cached in ${extracted}` };
  mkdirSync(ASTROPY_DEB_CACHE, { recursive: true });
  let deb = readdirSync(ASTROPY_DEB_CACHE).find((f) => f.startsWith('python3-astropy_') && f.endsWith('.deb'));
  if (!deb) {
    const download = spawnSync('apt-get', ['download', 'python3-astropy'], {
      cwd: ASTROPY_DEB_CACHE,
      encoding: 'utf8',
    });
    deb = readdirSync(ASTROPY_DEB_CACHE).find((f) => f.startsWith('python3-astropy_') && f.endsWith('.deb'));
    if (!deb) {
      if (existsSync(SYSTEM_DATA))
        return { dir: SYSTEM_DATA, how: `apt-get download failed (${download.stderr.trim()}); installed copy used` };
      throw new Error(`cannot get astropy's test data: apt-get download python3-astropy failed: ${download.stderr}`);
    }
  }
  const unpack = spawnSync('dpkg', ['-x', join(ASTROPY_DEB_CACHE, deb), extracted], { encoding: 'utf8' });
  if (unpack.status !== 0 || !existsSync(dir)) throw new Error(`dpkg -x ${deb} failed: ${unpack.stderr}`);
  return { dir, how: `downloaded ${deb}` };
}

/** Every FITS file of astropy's test data (.fits, .gz, .fz), the `invalid/` folder included. */
export function astropyTestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, name.name);
      if (name.isDirectory()) walk(path);
      else if (/\.(fits|fit|fts|gz|fz)$/i.test(name.name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}
