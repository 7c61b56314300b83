import { describe, expect, it } from 'vitest';
import {
  exact,
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

describe('cached ephemeris', () => {
  // Instants spread over decades and over every part of the caches' buckets (node boundaries,
  // seconds apart, hours apart), at sites in both hemispheres and at both sides of the date line.
  const sites = CASES.map((c) => ({ latDeg: c.lat, lonDeg: c.lon, elevationM: c.elev }));
  const instants: number[] = [];
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < 300; i++) instants.push(Date.UTC(1990, 0, 1) + random() * 40 * 365.25 * 86_400_000);
  // A night of frames 65 s apart, and instants on a 10-minute node and an hour's boundary.
  for (let i = 0; i < 200; i++) instants.push(Date.UTC(2024, 4, 1, 21) + i * 65_000);
  instants.push(Date.UTC(2024, 4, 2, 3, 0, 0), Date.UTC(2024, 4, 2, 3, 10, 0) - 1, Date.UTC(2024, 4, 2, 3, 10, 0));

  it('agrees with the uncached computation to 0.001° and 1e-5 of illumination', () => {
    let worstAngle = 0;
    let worstIllumination = 0;
    for (const [i, ms] of instants.entries()) {
      const site = sites[i % sites.length] as (typeof sites)[number];
      const ra = (i * 37.3) % 360;
      const dec = ((i * 13.7) % 170) - 85;
      const angles = [
        [sunAltitudeDeg(ms, site), exact.sunAltitudeDeg(ms, site)],
        [moonAltitudeDeg(ms, site), exact.moonAltitudeDeg(ms, site)],
        [moonSeparationDeg(ms, ra, dec, site), exact.moonSeparationDeg(ms, ra, dec, site)],
        [moonSeparationDeg(ms, ra, dec, null), exact.moonSeparationDeg(ms, ra, dec, null)],
        [targetHorizontal(ms, ra, dec, site).altitudeDeg, exact.targetHorizontal(ms, ra, dec, site).altitudeDeg],
      ];
      for (const [cached, uncached] of angles) worstAngle = Math.max(worstAngle, Math.abs(cached! - uncached!));
      const azimuths = [
        targetHorizontal(ms, ra, dec, site).azimuthDeg,
        exact.targetHorizontal(ms, ra, dec, site).azimuthDeg,
      ];
      const dAz = Math.abs(azimuths[0]! - azimuths[1]!) % 360;
      // Azimuth is ill-defined at the zenith: weight it by the cosine of the altitude.
      const altitude = exact.targetHorizontal(ms, ra, dec, site).altitudeDeg;
      worstAngle = Math.max(worstAngle, Math.min(dAz, 360 - dAz) * Math.cos((altitude * Math.PI) / 180));
      worstIllumination = Math.max(worstIllumination, Math.abs(moonIllumination(ms) - exact.moonIllumination(ms)));
    }
    expect(worstAngle).toBeLessThan(0.001);
    expect(worstIllumination).toBeLessThan(1e-5);
    // Not trivially equal: the cached path interpolates, so it differs somewhere in the last digits.
    expect(worstAngle).toBeGreaterThan(0);
  });
});
