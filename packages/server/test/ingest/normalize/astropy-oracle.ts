import { spawnSync } from 'node:child_process';
import { SYSTEM_PYTHON } from '../../support/fixtures.js';

/**
 * Sun, Moon and target positions computed by astropy, the reference the catalog's values are checked
 * against: geometric AltAz (no pressure, so no refraction), get_body for the Moon with the site,
 * illumination from the Sun–Moon elongation (as astroplan computes it), Kasten & Young airmass.
 */
export interface OracleCase {
  iso: string;
  lat: number;
  lon: number;
  elev: number;
  ra: number;
  dec: number;
}
export interface OracleResult {
  sun_alt: number;
  moon_alt: number;
  moon_illumination: number;
  moon_separation: number;
  target_alt: number;
  target_az: number;
  /** Null below the horizon. */
  airmass: number | null;
}

const SCRIPT = `
import json, sys, warnings
import numpy as np
warnings.filterwarnings('ignore')
from astropy.utils import iers
iers.conf.auto_download = False
from astropy.time import Time
from astropy.coordinates import EarthLocation, AltAz, SkyCoord, get_body, get_sun
import astropy.units as u
out = []
for c in json.load(sys.stdin):
    t = Time(c['iso'], scale='utc')
    loc = EarthLocation(lat=c['lat']*u.deg, lon=c['lon']*u.deg, height=c['elev']*u.m)
    frame = AltAz(obstime=t, location=loc)
    sun = get_sun(t)
    moon = get_body('moon', t, loc)
    target = SkyCoord(ra=c['ra']*u.deg, dec=c['dec']*u.deg, frame='icrs')
    elong = sun.separation(moon)
    phase = np.arctan2(sun.distance*np.sin(elong), moon.distance - sun.distance*np.cos(elong))
    t_altaz = target.transform_to(frame)
    h = t_altaz.alt.deg
    out.append(dict(
        sun_alt=float(sun.transform_to(frame).alt.deg),
        moon_alt=float(moon.transform_to(frame).alt.deg),
        moon_illumination=float((1 + np.cos(phase)) / 2),
        moon_separation=float(moon.separation(target).deg),
        target_alt=float(h),
        target_az=float(t_altaz.az.deg),
        airmass=float(1/(np.sin(np.radians(h)) + 0.50572*(h + 6.07995)**-1.6364)) if h > 0 else None,
    ))
print(json.dumps(out))
`;

/** Null (with the reason) when astropy is not installed. */
export function astropyAvailable(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import astropy'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `astropy is not importable by ${SYSTEM_PYTHON}`;
}

export function astropyEphemeris(cases: OracleCase[]): OracleResult[] {
  const run = spawnSync(SYSTEM_PYTHON, ['-c', SCRIPT], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`astropy oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleResult[];
}
