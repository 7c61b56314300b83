/**
 * Celestial reference frames a header's WCS may be in, and their conversion to the RA/Dec AIMS
 * stores. ICRS and FK5 J2000 positions are passed through unchanged (they differ by at most
 * ~25 mas, well below any image's resolution, and every WCS reader reports them as written).
 * Galactic, FK4 B1950 and FK5 at another equinox are converted to ICRS the way astropy does:
 * galactic → FK5 J2000 (IAU 1958 pole, in its J2000 form) → ICRS (Hipparcos frame rotation);
 * FK4 → remove the E-terms of aberration → FK5 J2000 (Standish 1982 matrix, epoch B1950) → ICRS.
 */
import type { HeaderLike } from '../types.js';
import type { SkyPosition } from './sky-position.js';

const DEG = Math.PI / 180;
const MAS = DEG / 3.6e6;

type Vector = [number, number, number];
type Matrix = [Vector, Vector, Vector];

function toVector(lon: number, lat: number): Vector {
  const c = Math.cos(lat * DEG);
  return [c * Math.cos(lon * DEG), c * Math.sin(lon * DEG), Math.sin(lat * DEG)];
}

function fromVector([x, y, z]: Vector): { lon: number; lat: number } {
  let lon = Math.atan2(y, x) / DEG;
  if (lon < 0) lon += 360;
  if (lon >= 360) lon -= 360;
  return { lon, lat: Math.atan2(z, Math.hypot(x, y)) / DEG };
}

function apply(m: Matrix, v: Vector): Vector {
  return [
    m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
    m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
    m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
  ];
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const row = (i: 0 | 1 | 2): Vector => [
    a[i][0] * b[0][0] + a[i][1] * b[1][0] + a[i][2] * b[2][0],
    a[i][0] * b[0][1] + a[i][1] * b[1][1] + a[i][2] * b[2][1],
    a[i][0] * b[0][2] + a[i][1] * b[1][2] + a[i][2] * b[2][2],
  ];
  return [row(0), row(1), row(2)];
}

function transpose(m: Matrix): Matrix {
  return [
    [m[0][0], m[1][0], m[2][0]],
    [m[0][1], m[1][1], m[2][1]],
    [m[0][2], m[1][2], m[2][2]],
  ];
}

/** Rotations of the coordinate frame (passive) about the y and z axes, angle in degrees. */
function rotateY(angle: number): Matrix {
  const c = Math.cos(angle * DEG);
  const s = Math.sin(angle * DEG);
  return [
    [c, 0, -s],
    [0, 1, 0],
    [s, 0, c],
  ];
}
function rotateZ(angle: number): Matrix {
  const c = Math.cos(angle * DEG);
  const s = Math.sin(angle * DEG);
  return [
    [c, s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ];
}

/** The passive rotation for a rotation vector (radians), by Rodrigues' formula. */
function rotationFromVector(w: Vector): Matrix {
  const angle = Math.hypot(...w);
  const [x, y, z]: Vector = angle === 0 ? [0, 0, 0] : [w[0] / angle, w[1] / angle, w[2] / angle];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const f = 1 - c;
  return [
    [x * x * f + c, x * y * f + z * s, x * z * f - y * s],
    [y * x * f - z * s, y * y * f + c, y * z * f + x * s],
    [z * x * f + y * s, z * y * f - x * s, z * z * f + c],
  ];
}

/**
 * FK5 J2000 → ICRS: the orientation of the FK5 with respect to the Hipparcos frame (Mignard &
 * Froeschlé 2000, as in SOFA's iauFk5hip), in mas about x, y, z. Astropy uses the same.
 */
const FK5_TO_ICRS = rotationFromVector([-19.9 * MAS, -9.1 * MAS, 22.9 * MAS]);

/**
 * Equatorial FK5 J2000 → galactic. The IAU 1958 galactic system is defined in FK4 B1950; these are
 * its north pole and the galactic longitude of the celestial pole expressed in FK5 J2000.
 */
const GALACTIC_POLE_RA = 192.8594812065348;
const GALACTIC_POLE_DEC = 27.12825118085622;
const GALACTIC_LON_OF_CELESTIAL_POLE = 122.9319185680026;
const FK5_TO_GALACTIC = multiply(
  multiply(rotateZ(180 - GALACTIC_LON_OF_CELESTIAL_POLE), rotateY(90 - GALACTIC_POLE_DEC)),
  rotateZ(GALACTIC_POLE_RA),
);
const GALACTIC_TO_ICRS = multiply(FK5_TO_ICRS, transpose(FK5_TO_GALACTIC));
const ICRS_TO_GALACTIC = transpose(GALACTIC_TO_ICRS);

/**
 * FK4 B1950 without E-terms → FK5 J2000 for positions at epoch B1950 (Standish 1982, A&A 115, 20;
 * the matrix SOFA and astropy use). The tiny correction astropy adds for the FK4 equinox drift is
 * zero at epoch B1950, which is what a header's coordinates mean.
 */
const FK4_TO_FK5: Matrix = [
  [0.9999256794956877, -0.0111814832204662, -0.0048590038153592],
  [0.0111814832391717, 0.9999374848933135, -0.0000271625947142],
  [0.0048590037723143, -0.000027170293744, 0.9999881946023742],
];
const FK4_TO_ICRS = multiply(FK5_TO_ICRS, FK4_TO_FK5);
const ICRS_TO_FK4 = transpose(FK4_TO_ICRS);
/** The E-terms of aberration at B1950 (radians), Explanatory Supplement 1992 §3.53. */
const E_TERMS: Vector = [-1.62557e-6, -0.31919e-6, -0.13843e-6];

function normalize(v: Vector): Vector {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
}
function dot(a: Vector, b: Vector): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function removeETerms(r: Vector): Vector {
  const d = dot(r, E_TERMS);
  return normalize([r[0] - E_TERMS[0] + d * r[0], r[1] - E_TERMS[1] + d * r[1], r[2] - E_TERMS[2] + d * r[2]]);
}
function addETerms(target: Vector): Vector {
  // Fixed-point inversion of removeETerms; the terms are 1e-6, so two steps reach 1e-18.
  let r = target;
  for (let i = 0; i < 3; i++) {
    const back = removeETerms(r);
    r = normalize([r[0] + target[0] - back[0], r[1] + target[1] - back[1], r[2] + target[2] - back[2]]);
  }
  return r;
}

/**
 * Precession from the mean equator and equinox of a Julian epoch to J2000, by the IAU 2006 (P03)
 * angles of Capitaine et al. 2003 (A&A 412, 567), as astropy precesses FK5.
 */
function precessionToJ2000(equinox: number): Matrix {
  const t = (equinox - 2000) / 100;
  const arcsec = 1 / 3600;
  const zeta =
    (2.650545 + t * (2306.083227 + t * (0.2988499 + t * (0.01801828 + t * (-0.000005971 + t * -0.0000003173))))) *
    arcsec;
  const z =
    (-2.650545 + t * (2306.077181 + t * (1.0927348 + t * (0.01826837 + t * (-0.000028596 + t * -0.0000002904))))) *
    arcsec;
  const theta =
    t * (2004.191903 + t * (-0.4294934 + t * (-0.04182264 + t * (-0.000007089 + t * -0.0000001274)))) * arcsec;
  // J2000 → date is R3(−z) R2(θ) R3(−ζ); its transpose goes back. The constant ±2.65″ of ζ and z
  // cancel at t = 0, so J2000 → J2000 is the identity.
  return transpose(multiply(multiply(rotateZ(-z), rotateY(theta)), rotateZ(-zeta)));
}

/** Converts the WCS's native celestial coordinates to RA/Dec and back. */
export interface FrameConversion {
  /** A name for reports: 'ICRS', 'FK5', 'FK4', 'FK4-NO-E', 'GALACTIC'. */
  readonly frame: string;
  toEquatorial(lon: number, lat: number): SkyPosition;
  fromEquatorial(ra: number, dec: number): { lon: number; lat: number };
}

function matrixConversion(frame: string, forward: Matrix): FrameConversion {
  const backward = transpose(forward);
  return {
    frame,
    toEquatorial(lon, lat) {
      const { lon: ra, lat: dec } = fromVector(apply(forward, toVector(lon, lat)));
      return { ra, dec };
    },
    fromEquatorial: (ra, dec) => fromVector(apply(backward, toVector(ra, dec))),
  };
}

const IDENTITY = (frame: string): FrameConversion => ({
  frame,
  toEquatorial: (lon, lat) => ({ ra: lon, dec: lat }),
  fromEquatorial: (ra, dec) => ({ lon: ra, lat: dec }),
});

/**
 * The conversion for a celestial axis pair. `system` is 'equatorial' for RA/DEC and 'galactic'
 * for GLON/GLAT; `radesys` and `equinox` are the header's (RADESYS/RADECSYS, EQUINOX/EPOCH),
 * with the defaults of Paper II §3.1. Null for frames not supported (FK4 at an equinox other
 * than B1950, GAPPT and unknown names).
 */
export function frameConversion(
  system: 'equatorial' | 'galactic',
  radesys: string | undefined,
  equinox: number | undefined,
): FrameConversion | null {
  if (system === 'galactic') {
    return {
      frame: 'GALACTIC',
      toEquatorial(lon, lat) {
        const { lon: ra, lat: dec } = fromVector(apply(GALACTIC_TO_ICRS, toVector(lon, lat)));
        return { ra, dec };
      },
      fromEquatorial: (ra, dec) => fromVector(apply(ICRS_TO_GALACTIC, toVector(ra, dec))),
    };
  }
  const name = radesys?.trim().toUpperCase() || (equinox === undefined ? 'ICRS' : equinox < 1984 ? 'FK4' : 'FK5');
  switch (name) {
    case 'ICRS':
      return IDENTITY('ICRS');
    case 'FK5': {
      const julianEquinox = equinox ?? 2000;
      if (julianEquinox === 2000) return IDENTITY('FK5');
      return matrixConversion('FK5', precessionToJ2000(julianEquinox));
    }
    case 'FK4':
    case 'FK4-NO-E': {
      if ((equinox ?? 1950) !== 1950) return null;
      const withETerms = name === 'FK4';
      return {
        frame: name,
        toEquatorial(lon, lat) {
          const r = toVector(lon, lat);
          const { lon: ra, lat: dec } = fromVector(apply(FK4_TO_ICRS, withETerms ? removeETerms(r) : r));
          return { ra, dec };
        },
        fromEquatorial(ra, dec) {
          const r = apply(ICRS_TO_FK4, toVector(ra, dec));
          return fromVector(withETerms ? addETerms(r) : r);
        },
      };
    }
    default:
      return null;
  }
}

/** EQUINOX (or the older EPOCH) as a year; 'J2000' / 'B1950' strings are accepted. */
export function readEquinox(header: HeaderLike): number | undefined {
  for (const key of ['EQUINOX', 'EPOCH']) {
    const value = header.get(key);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string') {
      const match = /^\s*[JB]?(\d+(?:\.\d*)?)\s*$/i.exec(value);
      if (match?.[1]) return Number(match[1]);
    }
  }
  return undefined;
}

/** The conversion for a header's RADESYS (or RADECSYS) and EQUINOX (or EPOCH). */
export function headerFrameConversion(header: HeaderLike, system: 'equatorial' | 'galactic'): FrameConversion | null {
  const radesys = header.get('RADESYS') ?? header.get('RADECSYS');
  return frameConversion(system, typeof radesys === 'string' ? radesys : undefined, readEquinox(header));
}
