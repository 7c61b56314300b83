/**
 * The WCS against astropy.wcs (WCSLIB) on every HDU of every fixture and of astropy's own io.fits
 * and wcs test data: pixel → sky at the centre, the corners and random pixels within 0.01 arcsec,
 * the exact inverse within 1e-6 pixel, the footprint against calc_footprint and the pixel scale
 * against proj_plane_pixel_scales. What is not compared is listed with its reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { angularSeparationDeg } from '../src/angles.js';
import { imageFootprint, wcsFromHeader } from '../src/wcs/index.js';
import { FIXTURES_DIR, fixtureFiles, SYSTEM_PYTHON } from './fixtures.js';
import { ASTROPY_PACKAGE_DIR, astropyWcsTestFiles, ensureAstropyPackage, readHeaders } from './helpers/wcs-headers.js';

const ARCSEC = 1 / 3600;
const SKY_TOLERANCE_DEG = 0.01 * ARCSEC;
const PIXEL_ROUND_TRIP = 1e-6;

interface OracleHdu {
  file: string;
  hdu: number | null;
  status: 'ok' | 'none' | 'skip';
  reason?: string;
  naxis?: [number, number];
  lng?: number;
  lat?: number;
  frame?: string;
  ctype?: string;
  samples?: [number, number, number | null, number | null][];
  footprint?: [number, number][] | null;
  scales?: [number, number];
}

/**
 * Projections WCSLIB has and this WCS refuses (wcsFromHeader gives null). ZPN, AZP, SZP, AIR,
 * CYP, the conics, BON, PCO and the quad-cubes appear only in WCSLIB's own test maps, TPV only in
 * SCAMP output; none in an observatory's frames so far.
 */
const UNSUPPORTED_PROJECTIONS = new Set([
  'AZP',
  'SZP',
  'ZPN',
  'AIR',
  'CYP',
  'COP',
  'COE',
  'COD',
  'COO',
  'BON',
  'PCO',
  'TSC',
  'CSC',
  'QSC',
  'TPV',
]);

function expectedNullReason(ctype: string): string | undefined {
  const code = /-([A-Z0-9]{3})(?:-SIP)?$/.exec(ctype)?.[1];
  if (ctype !== '' && !/-/.test(ctype))
    return `CTYPE '${ctype}' has no projection code: WCSLIB reads it as a linear axis`;
  if (code && UNSUPPORTED_PROJECTIONS.has(code)) return `projection ${code} is not implemented`;
  return undefined;
}

function runOracle(files: string[]): { results: OracleHdu[]; skipReason?: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { results: [], skipReason: `${SYSTEM_PYTHON} is missing` };
  const script = new URL('./reference/astropy-wcs.py', import.meta.url).pathname;
  const run = spawnSync(SYSTEM_PYTHON, [script], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) return { results: [], skipReason: `astropy-wcs.py failed: ${run.stderr.slice(-500)}` };
  return { results: JSON.parse(run.stdout) as OracleHdu[] };
}

const astropyMissing = ensureAstropyPackage();
const files = [...fixtureFiles(), ...astropyWcsTestFiles()];
const oracle = runOracle(files);
const name = (file: string) =>
  file.startsWith(FIXTURES_DIR) ? relative(FIXTURES_DIR, file) : `astropy:${relative(ASTROPY_PACKAGE_DIR, file)}`;

describe('WCS against astropy.wcs', () => {
  it('has a reference to compare with', () => {
    expect(oracle.skipReason).toBeUndefined();
    expect(astropyMissing).toBeUndefined();
    expect(files.length).toBeGreaterThan(100);
    // The fixtures alone hold 30-odd celestial HDUs; astropy's data adds 80 more.
    expect(oracle.results.filter((r) => r.status === 'ok').length).toBeGreaterThan(100);
  });

  const headerCache = new Map<string, ReturnType<typeof readHeaders>>();
  const headersOf = (file: string) => {
    let headers = headerCache.get(file);
    if (headers === undefined) {
      headers = readHeaders(file);
      headerCache.set(file, headers);
    }
    return headers;
  };

  for (const result of oracle.results) {
    const label = `${name(result.file)}${result.hdu === null ? '' : ` [${result.hdu}]`}`;
    if (result.status === 'skip') {
      it.skip(`${label}: ${result.reason}`, () => {});
      continue;
    }
    const hdu = result.hdu ?? 0;
    if (result.status === 'none') {
      it(`${label}: no celestial WCS`, () => {
        const header = headersOf(result.file)[hdu];
        expect(header).toBeDefined();
        if (header) expect(wcsFromHeader(header)).toBeNull();
      });
      continue;
    }
    const refused = expectedNullReason(result.ctype ?? '');
    const title = refused
      ? `${label}: refused (${refused})`
      : `${label}: ${result.ctype} ${result.frame} matches astropy${result.reason ? ` (${result.reason})` : ''}`;
    it(title, () => {
      const header = headersOf(result.file)[hdu];
      expect(header, 'header read').toBeDefined();
      if (!header) return;
      const wcs = wcsFromHeader(header);
      if (refused !== undefined) {
        // Refused on purpose, and said so in the title.
        expect(wcs, refused).toBeNull();
        return;
      }
      expect(wcs, `wcsFromHeader(${result.ctype})`).not.toBeNull();
      if (!wcs) return;
      const tolerance = SKY_TOLERANCE_DEG;
      for (const [x, y, ra, dec] of result.samples ?? []) {
        const sky = wcs.pixelToSky(x, y);
        if (ra === null || dec === null) {
          expect(sky, `(${x}, ${y}) is off the sky for astropy`).toBeNull();
          continue;
        }
        expect(sky, `(${x}, ${y})`).not.toBeNull();
        if (!sky) continue;
        const error = angularSeparationDeg(sky, { ra, dec });
        expect(error / ARCSEC, `(${x}, ${y}) → ${sky.ra}, ${sky.dec} vs ${ra}, ${dec} (arcsec)`).toBeLessThan(
          tolerance / ARCSEC,
        );
        const back = wcs.skyToPixel(sky.ra, sky.dec);
        expect(back, `skyToPixel(${sky.ra}, ${sky.dec})`).not.toBeNull();
        if (back) expect(Math.hypot(back.x - x, back.y - y)).toBeLessThan(PIXEL_ROUND_TRIP);
      }
      const [n1, n2] = result.naxis ?? [0, 0];
      const footprint = imageFootprint(wcs, n1, n2);
      if (result.footprint) {
        expect(footprint).not.toBeNull();
        result.footprint.forEach(([ra, dec], i) => {
          const corner = footprint?.corners[i];
          expect(corner).toBeDefined();
          if (corner) expect(angularSeparationDeg(corner, { ra, dec })).toBeLessThan(tolerance);
        });
      }
      const [sx, sy] = result.scales ?? [0, 0];
      expect(wcs.pixelScalesDeg?.[0]).toBeCloseTo(sx, 12);
      expect(wcs.pixelScalesDeg?.[1]).toBeCloseTo(sy, 12);
      if (footprint) {
        expect(footprint.pixelScaleArcsec / (Math.sqrt(sx * sy) * 3600)).toBeCloseTo(1, 12);
        expect(footprint.widthDeg).toBeCloseTo(n1 * sx, 10);
        expect(footprint.heightDeg).toBeCloseTo(n2 * sy, 10);
      }
    });
  }
});
