import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { angularSeparationDeg } from '../../src/angles.js';
import { imageFootprint, type Wcs } from '../../src/wcs/index.js';
import { SYSTEM_PYTHON } from './fixtures.js';

export const ARCSEC = 1 / 3600;
/** How close to astropy.wcs every position must be. */
export const SKY_TOLERANCE_DEG = 0.01 * ARCSEC;
/** How exactly skyToPixel must undo pixelToSky. */
export const PIXEL_ROUND_TRIP = 1e-6;

/** One HDU as test/support/astropy-wcs.py describes it. */
export interface OracleHdu {
  file: string;
  hdu: number | null;
  status: 'ok' | 'none' | 'skip';
  reason?: string;
  naxis?: [number, number];
  lng?: number;
  lat?: number;
  frame?: string;
  /** CTYPE of the longitude axis as the header writes it. */
  ctype?: string;
  samples?: [number, number, number | null, number | null][];
  footprint?: [number, number][] | null;
  scales?: [number, number];
  /** astropy's position angle of +y at the centre, degrees east of north. */
  rotation?: number | null;
}

/** Runs astropy-wcs.py once over all files (one Python start-up). */
export function runWcsOracle(files: string[]): { results: OracleHdu[]; skipReason?: string } {
  if (!existsSync(SYSTEM_PYTHON)) return { results: [], skipReason: `${SYSTEM_PYTHON} is missing` };
  const script = new URL('./astropy-wcs.py', import.meta.url).pathname;
  const run = spawnSync(SYSTEM_PYTHON, [script], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) return { results: [], skipReason: `astropy-wcs.py failed: ${run.stderr.slice(-500)}` };
  return { results: JSON.parse(run.stdout) as OracleHdu[] };
}

/** Projections WCSLIB has and this WCS refuses (wcsFromHeader gives null): in no real frame seen. */
const UNSUPPORTED_PROJECTIONS = new Set('CSC'.split(' '));

/** Why wcsFromHeader is meant to return null for a header astropy reads, if it is. */
export function refusalReason(ctype: string): string | undefined {
  const code = /-([A-Z0-9]{3})(?:-SIP)?$/.exec(ctype)?.[1];
  if (ctype !== '' && !/-/.test(ctype))
    return `CTYPE '${ctype}' has no projection code: WCSLIB reads it as a linear axis`;
  if (code && UNSUPPORTED_PROJECTIONS.has(code)) return `projection ${code} is not implemented`;
  return undefined;
}

/**
 * pixelToSky against astropy's all_pix2world at every sample, the round trip through skyToPixel,
 * the footprint against calc_footprint and the scales against proj_plane_pixel_scales.
 */
export function expectMatchesAstropy(wcs: Wcs, result: OracleHdu): void {
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
      SKY_TOLERANCE_DEG / ARCSEC,
    );
    const back = wcs.skyToPixel(sky.ra, sky.dec);
    expect(back, `skyToPixel(${sky.ra}, ${sky.dec})`).not.toBeNull();
    if (back) expect(Math.hypot(back.x - x, back.y - y), `round trip of (${x}, ${y})`).toBeLessThan(PIXEL_ROUND_TRIP);
  }
  const [n1, n2] = result.naxis ?? [0, 0];
  const footprint = imageFootprint(wcs, n1, n2);
  const centreOffSky = result.samples?.[0]?.[2] === null;
  if (centreOffSky) {
    // A footprint needs its centre (zpn-hole.hdr has a hole there); astropy's corners stand alone.
    expect(footprint, 'footprint without a centre').toBeNull();
  } else if (result.footprint) {
    expect(footprint, 'footprint').not.toBeNull();
    result.footprint.forEach(([ra, dec], i) => {
      const corner = footprint?.corners[i];
      expect(corner).toBeDefined();
      if (corner) expect(angularSeparationDeg(corner, { ra, dec }), `corner ${i}`).toBeLessThan(SKY_TOLERANCE_DEG);
    });
  }
  const [sx, sy] = result.scales ?? [0, 0];
  expect(wcs.pixelScalesDeg?.[0]).toBeCloseTo(sx, 12);
  expect(wcs.pixelScalesDeg?.[1]).toBeCloseTo(sy, 12);
  if (footprint) {
    expect(footprint.pixelScaleArcsec / (Math.sqrt(sx * sy) * 3600)).toBeCloseTo(1, 12);
    expect(footprint.widthDeg).toBeCloseTo(n1 * sx, 10);
    expect(footprint.heightDeg).toBeCloseTo(n2 * sy, 10);
    // At a celestial pole north has no direction: the position angle is undefined there.
    if (typeof result.rotation === 'number' && Math.abs(footprint.center.dec) < 89.999) {
      const difference = ((footprint.rotationDeg - result.rotation + 540) % 360) - 180;
      expect(Math.abs(difference), `rotation ${footprint.rotationDeg} vs ${result.rotation}`).toBeLessThan(1e-5);
      expect(footprint.northUp).toBe(Math.abs(result.rotation) <= 45);
    }
  }
}
