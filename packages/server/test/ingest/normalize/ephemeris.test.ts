import { describe, expect, it } from 'vitest';
import {
  kastenYoungAirmass,
  moonAltitudeDeg,
  moonIllumination,
  moonSeparationDeg,
  sunAltitudeDeg,
  targetHorizontal,
} from '../../../src/ingest/normalize/ephemeris.js';
import { astropyAvailable, astropyEphemeris, type OracleCase } from './astropy-oracle.js';

const CASES: Array<OracleCase & { name: string }> = [
  {
    name: 'Feder Obs., MaxIm ey-uma frame',
    iso: '2013-03-11T03:36:05',
    lat: 46.866667,
    lon: -96.453333,
    elev: 311,
    ra: 135.591667,
    dec: 49.819167,
  },
  {
    name: 'Seestar in South Carolina, M 94',
    iso: '2025-03-27T05:45:05.735',
    lat: 32.8965,
    lon: -79.7625,
    elev: 0,
    ra: 193.070835,
    dec: 40.979722,
  },
  {
    name: 'La Silla by day',
    iso: '1992-10-26T15:14:08',
    lat: -29.2584,
    lon: -70.7345,
    elev: 2400,
    ra: 5.64817,
    dec: -30.18297,
  },
  {
    name: 'Siding Spring, east longitude',
    iso: '1990-12-22T13:49:32',
    lat: -31.277,
    lon: 149.066,
    elev: 1165,
    ra: 85.27497,
    dec: -2.458265,
  },
  {
    name: 'full Moon near the target',
    iso: '2024-01-25T17:54:00',
    lat: 49.396,
    lon: 8.724,
    elev: 560,
    ra: 120.0,
    dec: 20.0,
  },
  {
    name: 'new Moon, low target',
    iso: '2024-02-09T23:00:00',
    lat: 19.8207,
    lon: -155.4681,
    elev: 4205,
    ra: 250.0,
    dec: -40.0,
  },
];

const skip = astropyAvailable();

describe.skipIf(skip !== null)(`sun, moon and airmass against astropy${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const reference = skip === null ? astropyEphemeris(CASES) : [];

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i] as OracleCase;
    const ref = reference[i];
    if (!ref) throw new Error('no astropy result');
    const ms = Date.parse(`${c.iso}Z`);
    const site = { latDeg: c.lat, lonDeg: c.lon, elevationM: c.elev };
    // Tolerances of the brief: 0.1° for angles, 0.01 for fractions and airmass.
    expect(Math.abs(sunAltitudeDeg(ms, site) - ref.sun_alt)).toBeLessThan(0.1);
    expect(Math.abs(moonAltitudeDeg(ms, site) - ref.moon_alt)).toBeLessThan(0.1);
    expect(Math.abs(moonIllumination(ms) - ref.moon_illumination)).toBeLessThan(0.01);
    expect(Math.abs(moonSeparationDeg(ms, c.ra, c.dec, site) - ref.moon_separation)).toBeLessThan(0.1);
    const horizontal = targetHorizontal(ms, c.ra, c.dec, site);
    expect(Math.abs(horizontal.altitudeDeg - ref.target_alt)).toBeLessThan(0.1);
    expect(Math.abs(horizontal.azimuthDeg - ref.target_az)).toBeLessThan(0.1);
    if (ref.airmass !== null)
      expect(Math.abs(kastenYoungAirmass(horizontal.altitudeDeg) - ref.airmass)).toBeLessThan(0.01);
  });
});

describe('Kasten & Young airmass', () => {
  it('is 1 at the zenith, sec z at mid altitudes, and about 38 at the horizon', () => {
    expect(kastenYoungAirmass(90)).toBeCloseTo(1.0, 3);
    expect(kastenYoungAirmass(30)).toBeCloseTo(1.9942, 3);
    expect(kastenYoungAirmass(0)).toBeCloseTo(37.92, 1);
  });
});
