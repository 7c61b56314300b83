import {
  AngleBetween,
  Body,
  Equator,
  GeoVector,
  Horizon,
  HorizonFromVector,
  Illumination,
  MakeTime,
  Observer,
  RotateVector,
  Rotation_EQJ_HOR,
  Spherical,
  VectorFromSphere,
} from 'astronomy-engine';

/**
 * Sun, Moon and target at one instant (mid-exposure), with astronomy-engine. Altitudes are
 * geometric (no refraction), the same as astropy's AltAz frame without a pressure, so a catalog
 * value can be checked against astropy directly.
 */

export interface SiteLocation {
  latDeg: number;
  lonDeg: number;
  elevationM: number;
}

/** Airmass of a true (unrefracted) altitude: Kasten & Young (1989), Applied Optics 28, 4735. */
export function kastenYoungAirmass(altitudeDeg: number): number {
  const h = altitudeDeg;
  return 1 / (Math.sin((h * Math.PI) / 180) + 0.50572 * (h + 6.07995) ** -1.6364);
}

const observerAt = (site: SiteLocation) => new Observer(site.latDeg, site.lonDeg, site.elevationM);

/** Geometric altitude of the Sun, degrees. */
export function sunAltitudeDeg(ms: number, site: SiteLocation): number {
  const time = MakeTime(new Date(ms));
  const observer = observerAt(site);
  const sun = Equator(Body.Sun, time, observer, true, true);
  return Horizon(time, observer, sun.ra, sun.dec).altitude;
}

/** Geometric altitude of the Moon (topocentric), degrees. */
export function moonAltitudeDeg(ms: number, site: SiteLocation): number {
  const time = MakeTime(new Date(ms));
  const observer = observerAt(site);
  const moon = Equator(Body.Moon, time, observer, true, true);
  return Horizon(time, observer, moon.ra, moon.dec).altitude;
}

/** Illuminated fraction of the Moon's disc, 0–1. */
export function moonIllumination(ms: number): number {
  return Illumination(Body.Moon, MakeTime(new Date(ms))).phase_fraction;
}

/**
 * Angle between the Moon and a J2000 position, degrees: topocentric when the site is known,
 * geocentric otherwise (the Moon's parallax makes that up to about 1° different).
 */
export function moonSeparationDeg(ms: number, raDeg: number, decDeg: number, site: SiteLocation | null): number {
  const time = MakeTime(new Date(ms));
  const target = VectorFromSphere(new Spherical(decDeg, raDeg, 1), time);
  if (site) {
    const moon = Equator(Body.Moon, time, observerAt(site), false, true);
    return AngleBetween(target, moon.vec);
  }
  return AngleBetween(target, GeoVector(Body.Moon, time, true));
}

/** Geometric altitude and azimuth (from north through east) of a J2000 position. */
export function targetHorizontal(
  ms: number,
  raDeg: number,
  decDeg: number,
  site: SiteLocation,
): { altitudeDeg: number; azimuthDeg: number } {
  const time = MakeTime(new Date(ms));
  const target = VectorFromSphere(new Spherical(decDeg, raDeg, 1), time);
  const horizontal = HorizonFromVector(RotateVector(Rotation_EQJ_HOR(time, observerAt(site)), target), '');
  return { altitudeDeg: horizontal.lat, azimuthDeg: horizontal.lon };
}
