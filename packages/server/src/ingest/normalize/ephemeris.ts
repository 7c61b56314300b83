import {
  AngleBetween,
  type AstroTime,
  Body,
  CombineRotation,
  Equator,
  EquatorFromVector,
  GeoVector,
  Horizon,
  HorizonFromVector,
  Illumination,
  MakeTime,
  Observer,
  ObserverVector,
  RotateVector,
  Rotation_EQD_HOR,
  Rotation_EQJ_EQD,
  Rotation_EQJ_HOR,
  type RotationMatrix,
  Spherical,
  Vector,
  VectorFromSphere,
} from 'astronomy-engine';

/**
 * Sun, Moon and target at one instant (mid-exposure), with astronomy-engine. Altitudes are
 * geometric (no refraction), the same as astropy's AltAz frame without a pressure, so a catalog
 * value can be checked against astropy directly.
 *
 * The exported functions cache what changes slowly and recompute what changes fast. A night's
 * frames are minutes apart, and computing each from scratch cost more than reading, hashing and
 * parsing the file (docs/performance.md, "Catalog writes"):
 *   - the geocentric J2000 vectors of the Sun and the Moon (with light time and aberration) and
 *     the Moon's illuminated fraction are computed at nodes every NODE_MS and interpolated
 *     linearly. The Moon's path bends by ω²h²/8 ≈ 1e-5 rad (2″) over an hour's step;
 *   - precession and nutation (J2000 → true equator of date) are taken at the middle of each
 *     PRECESSION_MS bucket: both move by less than 0.01″ an hour;
 *   - the Earth's rotation (sidereal time, the observer's position, the horizon) is computed at
 *     the exact instant for every frame.
 * Cached and exact results agree to better than 0.001° and 1e-5 in illumination (ephemeris.test.ts);
 * `exact` holds the uncached computations that the test compares with.
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

/* The uncached computations, each from scratch with astronomy-engine. */

/** Geometric altitude of the Sun, degrees. */
function sunAltitudeDegExact(ms: number, site: SiteLocation): number {
  const time = MakeTime(new Date(ms));
  const observer = observerAt(site);
  const sun = Equator(Body.Sun, time, observer, true, true);
  return Horizon(time, observer, sun.ra, sun.dec).altitude;
}

/** Geometric altitude of the Moon (topocentric), degrees. */
function moonAltitudeDegExact(ms: number, site: SiteLocation): number {
  const time = MakeTime(new Date(ms));
  const observer = observerAt(site);
  const moon = Equator(Body.Moon, time, observer, true, true);
  return Horizon(time, observer, moon.ra, moon.dec).altitude;
}

/** Illuminated fraction of the Moon's disc, 0–1. */
function moonIlluminationExact(ms: number): number {
  return Illumination(Body.Moon, MakeTime(new Date(ms))).phase_fraction;
}

/**
 * Angle between the Moon and a J2000 position, degrees: topocentric when the site is known,
 * geocentric otherwise (the Moon's parallax makes that up to about 1° different).
 */
function moonSeparationDegExact(ms: number, raDeg: number, decDeg: number, site: SiteLocation | null): number {
  const time = MakeTime(new Date(ms));
  const target = VectorFromSphere(new Spherical(decDeg, raDeg, 1), time);
  if (site) {
    const moon = Equator(Body.Moon, time, observerAt(site), false, true);
    return AngleBetween(target, moon.vec);
  }
  return AngleBetween(target, GeoVector(Body.Moon, time, true));
}

/** Geometric altitude and azimuth (from north through east) of a J2000 position. */
function targetHorizontalExact(
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

export const exact = {
  sunAltitudeDeg: sunAltitudeDegExact,
  moonAltitudeDeg: moonAltitudeDegExact,
  moonIllumination: moonIlluminationExact,
  moonSeparationDeg: moonSeparationDegExact,
  targetHorizontal: targetHorizontalExact,
};

/* The cached computations. */

const NODE_MS = 60 * 60_000;
const PRECESSION_MS = 60 * 60_000;
/** Nodes kept: half a year of hourly nodes; the cache starts again when full. */
const MAX_NODES = 4096;

interface Node {
  sun: [number, number, number];
  moon: [number, number, number];
  moonIllumination: number;
}

const nodes = new Map<number, Node>();

/**
 * The last instant asked for. astronomy-engine keeps the nutation it computes on the time object,
 * and the four quantities of one frame are computed at the same instant.
 */
let lastTime: { ms: number; time: AstroTime } | undefined;

function timeAt(ms: number): AstroTime {
  if (lastTime?.ms !== ms) lastTime = { ms, time: MakeTime(new Date(ms)) };
  return lastTime.time;
}
const precession = new Map<number, RotationMatrix>();

function node(index: number): Node {
  let n = nodes.get(index);
  if (!n) {
    const time = MakeTime(new Date(index * NODE_MS));
    const sun = GeoVector(Body.Sun, time, true);
    const moon = GeoVector(Body.Moon, time, true);
    n = {
      sun: [sun.x, sun.y, sun.z],
      moon: [moon.x, moon.y, moon.z],
      moonIllumination: Illumination(Body.Moon, time).phase_fraction,
    };
    if (nodes.size >= MAX_NODES) nodes.clear();
    nodes.set(index, n);
  }
  return n;
}

/** J2000 → true equator and equinox of date, for the bucket ms falls in. */
function eqjToEqd(ms: number): RotationMatrix {
  const index = Math.floor(ms / PRECESSION_MS);
  let rotation = precession.get(index);
  if (!rotation) {
    rotation = Rotation_EQJ_EQD(MakeTime(new Date((index + 0.5) * PRECESSION_MS)));
    if (precession.size >= MAX_NODES) precession.clear();
    precession.set(index, rotation);
  }
  return rotation;
}

/** Linear interpolation between the two nodes around ms. */
function interpolated(ms: number): Node {
  const at = ms / NODE_MS;
  const index = Math.floor(at);
  const f = at - index;
  const a = node(index);
  const b = node(index + 1);
  const mix = (p: [number, number, number], q: [number, number, number]): [number, number, number] => [
    p[0] + (q[0] - p[0]) * f,
    p[1] + (q[1] - p[1]) * f,
    p[2] + (q[2] - p[2]) * f,
  ];
  return {
    sun: mix(a.sun, b.sun),
    moon: mix(a.moon, b.moon),
    moonIllumination: a.moonIllumination + (b.moonIllumination - a.moonIllumination) * f,
  };
}

/** A topocentric position, true equator of date: the body's geocentric vector less the observer's. */
function topocentricOfDate(geocentric: [number, number, number], time: AstroTime, observer: Observer, ms: number) {
  const ofDate = RotateVector(eqjToEqd(ms), new Vector(geocentric[0], geocentric[1], geocentric[2], time));
  const site = ObserverVector(time, observer, true);
  return EquatorFromVector(new Vector(ofDate.x - site.x, ofDate.y - site.y, ofDate.z - site.z, time));
}

function altitudeOf(body: 'sun' | 'moon', ms: number, site: SiteLocation): number {
  const time = timeAt(ms);
  const observer = observerAt(site);
  const position = topocentricOfDate(interpolated(ms)[body], time, observer, ms);
  return Horizon(time, observer, position.ra, position.dec).altitude;
}

/** Geometric altitude of the Sun, degrees. */
export function sunAltitudeDeg(ms: number, site: SiteLocation): number {
  return altitudeOf('sun', ms, site);
}

/** Geometric altitude of the Moon (topocentric), degrees. */
export function moonAltitudeDeg(ms: number, site: SiteLocation): number {
  return altitudeOf('moon', ms, site);
}

/** Illuminated fraction of the Moon's disc, 0–1. */
export function moonIllumination(ms: number): number {
  return interpolated(ms).moonIllumination;
}

/**
 * Angle between the Moon and a J2000 position, degrees: topocentric when the site is known,
 * geocentric otherwise (the Moon's parallax makes that up to about 1° different).
 */
export function moonSeparationDeg(ms: number, raDeg: number, decDeg: number, site: SiteLocation | null): number {
  const time = timeAt(ms);
  const target = VectorFromSphere(new Spherical(decDeg, raDeg, 1), time);
  const [x, y, z] = interpolated(ms).moon;
  let moon = new Vector(x, y, z, time);
  if (site) {
    // The observer's J2000 position: its position of date turned back (a rotation's inverse is its transpose).
    const ofDate = ObserverVector(time, observerAt(site), true);
    const r = eqjToEqd(ms).rot;
    const back = (i: number) => r[i]![0]! * ofDate.x + r[i]![1]! * ofDate.y + r[i]![2]! * ofDate.z;
    moon = new Vector(x - back(0), y - back(1), z - back(2), time);
  }
  return AngleBetween(target, moon);
}

/** Geometric altitude and azimuth (from north through east) of a J2000 position. */
export function targetHorizontal(
  ms: number,
  raDeg: number,
  decDeg: number,
  site: SiteLocation,
): { altitudeDeg: number; azimuthDeg: number } {
  const time = timeAt(ms);
  const target = VectorFromSphere(new Spherical(decDeg, raDeg, 1), time);
  const rotation = CombineRotation(eqjToEqd(ms), Rotation_EQD_HOR(time, observerAt(site)));
  const horizontal = HorizonFromVector(RotateVector(rotation, target), '');
  return { altitudeDeg: horizontal.lat, azimuthDeg: horizontal.lon };
}
