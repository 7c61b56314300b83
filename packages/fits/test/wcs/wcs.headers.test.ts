/**
 * Hand-made headers for the rules the fixtures exercise only partly, each compared with
 * astropy.wcs through the same oracle: which linear keywords win, axis order, cubes, units,
 * LONPOLE/LATPOLE, projection parameters, SIP without the suffix, and the frames.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CardValue } from '../../src/types.js';
import { imageFootprint, wcsFromHeader } from '../../src/wcs/index.js';
import { readHeaders } from '../support/wcs-headers.js';
import { expectMatchesAstropy, runWcsOracle } from '../support/wcs-oracle.js';

type Cards = Record<string, CardValue>;

const TAN: Cards = {
  NAXIS: 2,
  NAXIS1: 1000,
  NAXIS2: 800,
  CTYPE1: 'RA---TAN',
  CTYPE2: 'DEC--TAN',
  CRVAL1: 150.1,
  CRVAL2: 2.2,
  CRPIX1: 500.5,
  CRPIX2: 400.5,
};
const scale = 0.0003;

const CASES: Record<string, Cards> = {
  'PC wins over CD (astropy/WCSLIB)': {
    ...TAN,
    CD1_1: -scale,
    CD2_2: scale,
    PC1_1: -0.9,
    PC1_2: 0.1,
    PC2_1: 0.05,
    PC2_2: 1.1,
    CDELT1: 2 * scale,
    CDELT2: 2 * scale,
  },
  'CD wins over CROTA2': {
    ...TAN,
    CD1_1: -scale,
    CD1_2: 1e-5,
    CD2_1: 2e-5,
    CD2_2: scale,
    CDELT1: -0.01,
    CDELT2: 0.01,
    CROTA2: 30,
  },
  'CDELT with CROTA2': { ...TAN, CDELT1: -scale, CDELT2: scale * 1.1, CROTA2: 30 },
  'CDELT with CROTA1 only': { ...TAN, CDELT1: -scale, CDELT2: scale, CROTA1: -20 },
  'CDELT alone': { ...TAN, CDELT1: -scale, CDELT2: scale },
  'CD with an axis missing (cdfix)': { ...TAN, CD1_1: -scale, CD1_2: 0 },
  'old PC001001 form': { ...TAN, CDELT1: scale, CDELT2: scale, PC001001: -1, PC001002: 0.01, PC002001: 0, PC002002: 1 },
  'declination on axis 1': {
    ...TAN,
    CTYPE1: 'DEC--TAN',
    CTYPE2: 'RA---TAN',
    CRVAL1: -35.5,
    CRVAL2: 80.25,
    CD1_1: 0,
    CD1_2: scale,
    CD2_1: -scale,
    CD2_2: 0,
  },
  'cube with celestial axes 2 and 3': {
    NAXIS: 3,
    NAXIS1: 16,
    NAXIS2: 300,
    NAXIS3: 200,
    CTYPE1: 'FREQ',
    CRVAL1: 1.4e9,
    CDELT1: 1e6,
    CRPIX1: 1,
    CTYPE2: 'RA---SIN',
    CTYPE3: 'DEC--SIN',
    CRVAL2: 83.8,
    CRVAL3: -5.4,
    CRPIX2: 150,
    CRPIX3: 100,
    CDELT2: -0.002,
    CDELT3: 0.002,
  },
  'CUNIT arcsec': {
    ...TAN,
    CUNIT1: 'arcsec',
    CUNIT2: 'arcsec',
    CRVAL1: 150.1 * 3600,
    CRVAL2: 2.2 * 3600,
    CDELT1: -1.08,
    CDELT2: 1.08,
  },
  'TAN with LONPOLE 120': { ...TAN, CDELT1: -scale, CDELT2: scale, LONPOLE: 120 },
  'TAN at the celestial pole': { ...TAN, CRVAL2: 90, CDELT1: -0.01, CDELT2: 0.01 },
  'ZEA at the south pole': { ...TAN, CTYPE1: 'RA---ZEA', CTYPE2: 'DEC--ZEA', CRVAL2: -90, CDELT1: -0.05, CDELT2: 0.05 },
  'CAR off the equator (LATPOLE default)': {
    ...TAN,
    CTYPE1: 'RA---CAR',
    CTYPE2: 'DEC--CAR',
    CRVAL2: 30,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  'CAR with LATPOLE -90': {
    ...TAN,
    CTYPE1: 'RA---CAR',
    CTYPE2: 'DEC--CAR',
    CRVAL2: 30,
    LATPOLE: -90,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  'CAR with PV1_1/PV1_2 fiducial point': {
    ...TAN,
    CTYPE1: 'RA---CAR',
    CTYPE2: 'DEC--CAR',
    CRVAL2: 30,
    PV1_1: 0,
    PV1_2: 20,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  'CAR centred on the north celestial pole': {
    ...TAN,
    CTYPE1: 'RA---CAR',
    CTYPE2: 'DEC--CAR',
    CRVAL1: 30,
    CRVAL2: 90,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  'AIT centred on the south pole': {
    ...TAN,
    CTYPE1: 'RA---AIT',
    CTYPE2: 'DEC--AIT',
    CRVAL1: 100,
    CRVAL2: -90,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  'SIN with slant PV2_1/PV2_2': {
    ...TAN,
    CTYPE1: 'RA---SIN',
    CTYPE2: 'DEC--SIN',
    PV2_1: 0.1,
    PV2_2: -0.2,
    CDELT1: -scale,
    CDELT2: scale,
  },
  NCP: { ...TAN, CTYPE1: 'RA---NCP', CTYPE2: 'DEC--NCP', CRVAL2: 45, CDELT1: -0.01, CDELT2: 0.01 },
  'ARC rotated': { ...TAN, CTYPE1: 'RA---ARC', CTYPE2: 'DEC--ARC', CDELT1: -0.1, CDELT2: 0.1, CROTA2: 45 },
  STG: { ...TAN, CTYPE1: 'RA---STG', CTYPE2: 'DEC--STG', CDELT1: -0.1, CDELT2: 0.1 },
  MER: { ...TAN, CTYPE1: 'RA---MER', CTYPE2: 'DEC--MER', CRVAL2: 0, CDELT1: -0.05, CDELT2: 0.05 },
  'CEA with lambda 0.5': {
    ...TAN,
    CTYPE1: 'RA---CEA',
    CTYPE2: 'DEC--CEA',
    CRVAL2: 0,
    PV2_1: 0.5,
    CDELT1: -0.05,
    CDELT2: 0.05,
  },
  PAR: { ...TAN, CTYPE1: 'RA---PAR', CTYPE2: 'DEC--PAR', CRVAL2: 0, CDELT1: -0.1, CDELT2: 0.1 },
  'AIT galactic anticentre': {
    ...TAN,
    CTYPE1: 'GLON-AIT',
    CTYPE2: 'GLAT-AIT',
    CRVAL1: 180,
    CRVAL2: 0,
    CDELT1: -0.1,
    CDELT2: 0.1,
  },
  'GLON/GLAT TAN near the galactic centre': {
    ...TAN,
    CTYPE1: 'GLON-TAN',
    CTYPE2: 'GLAT-TAN',
    CRVAL1: 0.5,
    CRVAL2: -0.3,
    CDELT1: -scale,
    CDELT2: scale,
  },
  'RA across 0h': { ...TAN, CRVAL1: 0.01, CDELT1: -scale, CDELT2: scale },
  'SIP coefficients without the -SIP suffix': {
    ...TAN,
    CD1_1: -scale,
    CD2_2: scale,
    A_ORDER: 2,
    B_ORDER: 2,
    A_2_0: 2e-6,
    A_1_1: -1e-6,
    B_0_2: 3e-6,
    B_1_1: 1e-6,
  },
  'TAN-SIP with stale SCAMP PV cards (ignored)': {
    ...TAN,
    CTYPE1: 'RA---TAN-SIP',
    CTYPE2: 'DEC--TAN-SIP',
    CD1_1: -scale,
    CD2_2: scale,
    A_ORDER: 2,
    B_ORDER: 2,
    A_2_0: 2e-6,
    B_0_2: 3e-6,
    PV1_1: 1.0,
    PV1_2: 0.001,
    PV2_1: 1.0,
    PV2_2: -0.002,
  },
  'TPV with radial terms': {
    ...TAN,
    CTYPE1: 'RA---TPV',
    CTYPE2: 'DEC--TPV',
    CD1_1: -scale,
    CD2_2: scale,
    PV1_0: 1e-5,
    PV1_1: 1.001,
    PV1_2: 0.002,
    PV1_3: 0.001,
    PV1_4: 0.02,
    PV1_7: -0.5,
    PV1_11: 0.3,
    PV2_0: -2e-5,
    PV2_1: 0.999,
    PV2_2: -0.001,
    PV2_6: 0.01,
    PV2_10: 0.2,
  },
  'FK4 from EQUINOX 1950 alone': { ...TAN, EQUINOX: 1950, CDELT1: -scale, CDELT2: scale },
  'FK4-NO-E B1950': { ...TAN, RADESYS: 'FK4-NO-E', EQUINOX: 1950, CDELT1: -scale, CDELT2: scale },
  'FK5 J1975': { ...TAN, RADESYS: 'FK5', EQUINOX: 1975, CDELT1: -scale, CDELT2: scale },
  'EQUINOX as a string, RADECSYS': { ...TAN, RADECSYS: 'FK5', EQUINOX: 'J2000', CDELT1: -scale, CDELT2: scale },
};

function card(key: string, value: CardValue): string {
  let text: string;
  if (typeof value === 'string') text = `'${value.padEnd(8)}'`.padEnd(20);
  else if (typeof value === 'boolean') text = (value ? 'T' : 'F').padStart(20);
  else text = String(value).toUpperCase().padStart(20);
  return `${key.padEnd(8)}= ${text}`.padEnd(80);
}

const dir = mkdtempSync(join(tmpdir(), 'aims-wcs-headers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = Object.entries(CASES).map(([name, cards], i) => {
  const path = join(dir, `case-${i}.hdr`);
  writeFileSync(path, [...Object.entries(cards).map(([k, v]) => card(k, v)), 'END'.padEnd(80)].join(''), 'latin1');
  return { name, path };
});
const oracle = runWcsOracle(paths.map((p) => p.path));

describe('WCS keyword rules against astropy.wcs', () => {
  it('has a reference for every case', () => {
    expect(oracle.skipReason).toBeUndefined();
    expect(oracle.results.map((r) => r.status)).toEqual(paths.map(() => 'ok'));
  });

  for (const { name, path } of paths) {
    it(name, async () => {
      const result = oracle.results.find((r) => r.file === path);
      expect(result?.status, result?.reason).toBe('ok');
      const [header] = await readHeaders(path);
      expect(header).toBeDefined();
      const wcs = header ? wcsFromHeader(header) : null;
      expect(wcs).not.toBeNull();
      if (wcs && result) {
        expectMatchesAstropy(wcs, result);
        expect(wcs.axes).toEqual([result.lng, result.lat]);
      }
    });
  }
});

describe('imageFootprint orientation', () => {
  const orientation = async (cards: Cards) => {
    const path = join(dir, `orientation-${Math.random().toString(36).slice(2)}.hdr`);
    writeFileSync(path, [...Object.entries(cards).map(([k, v]) => card(k, v)), 'END'.padEnd(80)].join(''), 'latin1');
    const [header] = await readHeaders(path);
    const wcs = header ? wcsFromHeader(header) : null;
    if (!wcs) throw new Error('no WCS');
    const footprint = imageFootprint(wcs, 1000, 800);
    if (!footprint) throw new Error('no footprint');
    return footprint;
  };

  it('north up, east left: the sky as seen on a monitor', async () => {
    const f = await orientation({ ...TAN, CDELT1: -scale, CDELT2: scale });
    expect(f.rotationDeg).toBeCloseTo(0, 6);
    expect(f.northUp).toBe(true);
    expect(f.flipped).toBe(false);
    expect(f.pixelScaleArcsec).toBeCloseTo(scale * 3600, 9);
    expect(f.widthDeg).toBeCloseTo(1000 * scale, 9);
    expect(f.heightDeg).toBeCloseTo(800 * scale, 9);
    expect(f.center.ra).toBeCloseTo(150.1, 9);
    expect(f.center.dec).toBeCloseTo(2.2, 9);
  });

  it('east right is flipped', async () => {
    const f = await orientation({ ...TAN, CDELT1: scale, CDELT2: scale });
    expect(f.flipped).toBe(true);
    expect(f.northUp).toBe(true);
  });

  it('CROTA2 = 30 turns +y to position angle -30', async () => {
    const f = await orientation({ ...TAN, CDELT1: -scale, CDELT2: scale, CROTA2: 30 });
    expect(f.rotationDeg).toBeCloseTo(-30, 4);
    expect(f.northUp).toBe(true);
    expect(f.flipped).toBe(false);
  });

  it('south up', async () => {
    const f = await orientation({ ...TAN, CDELT1: scale, CDELT2: -scale });
    expect(Math.abs(f.rotationDeg)).toBeCloseTo(180, 4);
    expect(f.northUp).toBe(false);
    expect(f.flipped).toBe(false);
  });

  it('gives null for an image whose corners are off the sky', async () => {
    const path = join(dir, 'allsky.hdr');
    const cards: Cards = {
      ...TAN,
      CTYPE1: 'RA---AIT',
      CTYPE2: 'DEC--AIT',
      CRVAL1: 0,
      CRVAL2: 0,
      CDELT1: -0.4,
      CDELT2: 0.4,
    };
    writeFileSync(path, [...Object.entries(cards).map(([k, v]) => card(k, v)), 'END'.padEnd(80)].join(''), 'latin1');
    const [header] = await readHeaders(path);
    const wcs = header ? wcsFromHeader(header) : null;
    expect(wcs?.pixelToSky(500.5, 400.5)).not.toBeNull();
    expect(wcs?.pixelToSky(1, 1)).toBeNull();
    expect(wcs && imageFootprint(wcs, 1000, 800)).toBeNull();
  });
});
