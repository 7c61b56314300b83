import type { HeaderLike } from '@aims/fits';
import { type FieldRule, type Resolved, resolveField } from './field-rule.js';
import { degreesValue, fail, show, type ValueParser } from './value-parsers.js';

/**
 * A latitude or longitude; a hemisphere letter ('96 27 12 W', 'S 31 16 37') fixes the sign, which
 * is then unambiguous whatever the writer's convention.
 */
export const geographicDegrees: ValueParser<number> = (value, keyword) => {
  if (typeof value !== 'string') return degreesValue(value, keyword);
  const match = /^\s*([NSEW])?\s*(.*?)\s*([NSEW])?\s*$/i.exec(value);
  const hemisphere = (match?.[1] ?? match?.[3])?.toUpperCase();
  if (!match || hemisphere === undefined || (match[1] && match[3])) return degreesValue(value, keyword);
  const magnitude = degreesValue(match[2] ?? '', keyword);
  if (!magnitude.ok || magnitude.value < 0) return fail(`${keyword} ${show(value)} is not an angle`);
  return { ok: true, value: hemisphere === 'W' || hemisphere === 'S' ? -magnitude.value : magnitude.value };
};

/**
 * Where the telescope stands. Longitudes are east-positive (the FITS WCS convention of OBSGEO-L).
 * Checked against the fixtures: MaxIm DL/ACP write SITELONG '-96 27 12' for the Feder Observatory
 * in Minnesota, Seestar -79.76 in South Carolina, KStars/Ekos -75.547 in Delaware, and the DSS scan of
 * a Palomar plate '-116:51:48': all east-positive (west negative). Two writers differ and are
 * handled by keyword or noted: old ESO's TEL LON (70.7345 at La Silla, 70.73° W) is west-positive
 * and is negated; the DSS SERC-ER header of HorseHead.fits writes SITELONG 210.934 for Siding Spring
 * (149.07° E), a west-positive value that cannot be told apart from an east-positive one and is
 * read east-positive (-149.066) like every other SITELONG.
 */
export const SITE_LATITUDE_RULE: FieldRule<number> = {
  field: 'site_lat_deg',
  keywords: ['SITELAT', 'LAT-OBS', 'OBSGEO-B', 'LATITUDE', 'OBSLAT', 'OBS-LAT', 'ESO TEL GEOLAT', 'ESO TEL LAT'],
  parse: geographicDegrees,
  range: [-90, 90],
};

export const SITE_LONGITUDE_RULE: FieldRule<number> = {
  field: 'site_lon_deg',
  // NOAO's OBS-LONG is left out: Kitt Peak and CTIO headers write it west-positive.
  keywords: [
    'SITELONG',
    'LONG-OBS',
    'OBSGEO-L',
    'LONGITUD',
    'OBSLONG',
    'ESO TEL GEOLON',
    { key: 'ESO TEL LON', scale: -1 },
  ],
  parse: geographicDegrees,
  range: [-360, 360],
};

/** (-180, 180]. */
export function wrapLongitude(degrees: number): number {
  if (degrees > -180 && degrees <= 180) return degrees;
  const wrapped = ((((degrees + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 ? 180 : wrapped;
}

// WGS84, for OBSGEO-X/Y/Z (geocentric metres, FITS WCS Paper III).
const WGS84_A = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);

/** Geodetic latitude, longitude (degrees) and height (m) of a geocentric position (Bowring's method). */
export function geodeticFromGeocentric(x: number, y: number, z: number): { lat: number; lon: number; height: number } {
  const b = WGS84_A * (1 - WGS84_F);
  const ep2 = (WGS84_A * WGS84_A - b * b) / (b * b);
  const p = Math.hypot(x, y);
  const theta = Math.atan2(z * WGS84_A, p * b);
  const lat = Math.atan2(z + ep2 * b * Math.sin(theta) ** 3, p - WGS84_E2 * WGS84_A * Math.cos(theta) ** 3);
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * Math.sin(lat) ** 2);
  const height = p / Math.cos(lat) - n;
  return { lat: (lat * 180) / Math.PI, lon: (Math.atan2(y, x) * 180) / Math.PI, height };
}

export interface Site {
  lat: Resolved<number>;
  lon: Resolved<number>;
  /** Height from OBSGEO-X/Y/Z, when that is where the position came from. */
  geocentricHeight?: number;
}

export function resolveSite(header: HeaderLike): Site {
  const lat = resolveField(header, SITE_LATITUDE_RULE);
  const lon = resolveField(header, SITE_LONGITUDE_RULE);
  if (lon.value !== null) lon.value = wrapLongitude(lon.value);
  if (lat.value !== null || lon.value !== null) return { lat, lon };

  const [x, y, z] = ['OBSGEO-X', 'OBSGEO-Y', 'OBSGEO-Z'].map((key) => header.get(key));
  if (typeof x === 'number' && typeof y === 'number' && typeof z === 'number') {
    const radius = Math.hypot(x, y, z);
    // Within 10 km of the ellipsoid: a position on the Earth, not a satellite's or a zero placeholder.
    if (radius > 6_350_000 && radius < 6_390_000) {
      const g = geodeticFromGeocentric(x, y, z);
      const source = 'OBSGEO-X/Y/Z';
      return { lat: { value: g.lat, source }, lon: { value: g.lon, source }, geocentricHeight: g.height };
    }
    const reason = `OBSGEO-X/Y/Z is ${Math.round(radius)} m from the Earth's centre, not on its surface`;
    return { lat: { value: null, reason }, lon: { value: null, reason } };
  }
  return { lat, lon };
}
