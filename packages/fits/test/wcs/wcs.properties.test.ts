/**
 * Properties of the WCS that hold for any header: hostile values never throw, answers are finite
 * or null, and skyToPixel undoes pixelToSky wherever both are defined.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { angularSeparationDeg } from '../../src/angles.js';
import type { CardValue, HeaderLike } from '../../src/types.js';
import { imageFootprint, wcsFromHeader } from '../../src/wcs/index.js';

const header = (cards: Record<string, CardValue>): HeaderLike => ({ get: (key) => cards[key] });

const PROJECTIONS =
  'TAN SIN ARC STG ZEA ZPN AZP SZP AIR CAR MER CYP CEA SFL PAR MOL AIT HPX NCP COP COE COD COO BON PCO TSC QSC'.split(
    ' ',
  );

const hostileValue: fc.Arbitrary<CardValue> = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, 90, -90, 180, 360, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY),
  fc.bigInt(),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.tuple(fc.double(), fc.double()),
);

const KEYS = [
  'CRVAL1',
  'CRVAL2',
  'CRPIX1',
  'CRPIX2',
  'CDELT1',
  'CDELT2',
  'CD1_1',
  'CD1_2',
  'CD2_1',
  'CD2_2',
  'PC1_1',
  'PC2_2',
  'CROTA2',
  'LONPOLE',
  'LATPOLE',
  'PV1_1',
  'PV1_2',
  'PV2_1',
  'PV2_2',
  'PV2_3',
  'A_ORDER',
  'B_ORDER',
  'A_2_0',
  'B_0_2',
  'AP_ORDER',
  'BP_ORDER',
  'EQUINOX',
  'RADESYS',
  'CUNIT1',
  'WCSAXES',
  'NAXIS',
  'PLTRAH',
];

describe('wcsFromHeader on hostile headers', () => {
  it('never throws and answers finite numbers or null', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROJECTIONS),
        fc.constantFrom('RA', 'GLON'),
        fc.dictionary(fc.constantFrom(...KEYS), hostileValue),
        fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6 })), { maxLength: 4 }),
        (code, system, cards, pixels) => {
          const lat = system === 'RA' ? 'DEC' : 'GLAT';
          const wcs = wcsFromHeader(
            header({ CTYPE1: `${system.padEnd(4, '-')}-${code}`, CTYPE2: `${lat.padEnd(4, '-')}-${code}`, ...cards }),
          );
          if (wcs === null) return;
          for (const [x, y] of [...pixels, [1, 1] as [number, number]]) {
            const sky = wcs.pixelToSky(x, y);
            if (sky !== null) {
              expect(Number.isFinite(sky.ra) && Number.isFinite(sky.dec)).toBe(true);
              const back = wcs.skyToPixel(sky.ra, sky.dec);
              if (back !== null) expect(Number.isFinite(back.x) && Number.isFinite(back.y)).toBe(true);
            }
          }
          imageFootprint(wcs, 100, 100);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('returns null for headers without a celestial pair', () => {
    expect(wcsFromHeader(header({}))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'LINEAR', CTYPE2: 'LINEAR' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN', CTYPE2: 'GLAT-TAN' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--SIN' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'ELON-TAN', CTYPE2: 'ELAT-TAN' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---CSC', CTYPE2: 'DEC--CSC' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---COP', CTYPE2: 'DEC--COP' }))).toBeNull(); // no θa
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CD1_1: 1, CD2_2: 0 }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CUNIT1: 'm' }))).toBeNull();
    expect(wcsFromHeader(header({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', RADESYS: 'GAPPT' }))).toBeNull();
    const tan = { CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CDELT1: -1e-4, CDELT2: 1e-4 };
    expect(wcsFromHeader(header(tan))).not.toBeNull();
    expect(wcsFromHeader(header({ ...tan, CRVAL1: '150.1' }))).toBeNull();
    expect(wcsFromHeader(header({ ...tan, CDELT2: true }))).toBeNull();
    expect(wcsFromHeader(header({ ...tan, CD1_1: [1, 0] }))).toBeNull();
    expect(wcsFromHeader(header({ ...tan, CRPIX1: Number.NaN }))).toBeNull();
    // An undefined value (KEY =   / comment) counts as absent, as in astropy.
    expect(wcsFromHeader(header({ ...tan, CROTA2: null }))).not.toBeNull();
    // WCSLIB refuses this too: no rotation takes the fiducial point (0, 0) to the pole with LONPOLE 45.
    const unreachable = { CTYPE1: 'RA---AIT', CTYPE2: 'DEC--AIT', CRVAL2: -90, LONPOLE: 45, CDELT1: -1, CDELT2: 1 };
    expect(wcsFromHeader(header(unreachable))).toBeNull();
  });
});

describe('round trip on random well-formed headers', () => {
  const zenithal = ['TAN', 'SIN', 'ARC', 'STG', 'ZEA'];
  it('skyToPixel(pixelToSky(p)) = p within 1e-6 pixel for zenithal projections with SIP', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zenithal),
        fc.double({ min: 0, max: 360, maxExcluded: true, noNaN: true }),
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
        fc.boolean(),
        fc.tuple(fc.double({ min: -1e-5, max: 1e-5, noNaN: true }), fc.double({ min: -1e-5, max: 1e-5, noNaN: true })),
        fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2000 })),
        (code, ra, dec, rotation, scale, flip, [a20, b02], [x, y]) => {
          const wcs = wcsFromHeader(
            header({
              CTYPE1: `RA---${code}`,
              CTYPE2: `DEC--${code}`,
              CRVAL1: ra,
              CRVAL2: dec,
              CRPIX1: 1000,
              CRPIX2: 1000,
              CDELT1: flip ? scale : -scale,
              CDELT2: scale,
              CROTA2: rotation,
              A_ORDER: 2,
              B_ORDER: 2,
              A_2_0: a20,
              B_0_2: b02,
            }),
          );
          expect(wcs).not.toBeNull();
          const sky = wcs?.pixelToSky(x, y);
          if (!wcs || !sky) return;
          const back = wcs.skyToPixel(sky.ra, sky.dec);
          expect(back).not.toBeNull();
          if (back) expect(Math.hypot(back.x - x, back.y - y)).toBeLessThan(1e-6);
          // The reference pixel is the reference point.
          const reference = wcs.pixelToSky(1000, 1000);
          expect(reference && angularSeparationDeg(reference, { ra, dec })).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
