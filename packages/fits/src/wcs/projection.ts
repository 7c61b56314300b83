/**
 * What every projection shares (Calabretta & Greisen 2002, Paper II): native spherical (φ, θ) ↔
 * projection-plane (x, y), all in degrees, with R0 = 180/π so that x and y come out in degrees as
 * the linear transformation expects.
 */

export const DEG = Math.PI / 180;
export const R0 = 180 / Math.PI;
/** Slack for points that round to just outside a projection's boundary. */
export const TOLERANCE = 1e-12;

export interface PlanePoint {
  x: number;
  y: number;
}
export interface NativePoint {
  phi: number;
  theta: number;
}

export interface Projection {
  /** The three-letter code from CTYPE (NCP is reported as 'NCP' though computed as SIN). */
  readonly code: string;
  /** Native coordinates of the fiducial point (Paper II Table 13 defaults). */
  readonly phi0: number;
  readonly theta0: number;
  /** (φ, θ) → (x, y); null where the projection is undefined (behind a zenithal plane, a pole…). */
  project(phi: number, theta: number): PlanePoint | null;
  /** (x, y) → (φ, θ); null outside the projection's boundary. */
  deproject(x: number, y: number): NativePoint | null;
}

/** Projection parameters PVi_m of the latitude axis, by m. */
export type ProjectionParameter = (m: number) => number | undefined;

export const sind = (a: number) => Math.sin(a * DEG);
export const cosd = (a: number) => Math.cos(a * DEG);
export const clampUnit = (v: number) => (v > 1 && v < 1 + TOLERANCE ? 1 : v < -1 && v > -1 - TOLERANCE ? -1 : v);

/** A zenithal projection from its radius function R(θ) and inverse θ(R) (Paper II §5.1). */
export function zenithal(
  code: string,
  radius: (theta: number) => number | null,
  colatitude: (r: number) => number | null,
): Projection {
  return {
    code,
    phi0: 0,
    theta0: 90,
    project(phi, theta) {
      const r = radius(theta);
      if (r === null || !Number.isFinite(r)) return null;
      return { x: r * sind(phi), y: -r * cosd(phi) };
    },
    deproject(x, y) {
      const r = Math.hypot(x, y);
      const theta = colatitude(r);
      if (theta === null || Number.isNaN(theta)) return null;
      return { phi: r === 0 ? 0 : Math.atan2(x, -y) / DEG, theta };
    },
  };
}

/** A (pseudo-)cylindrical or other all-sky projection whose fiducial point is (0, 0). */
export function global(code: string, project: Projection['project'], deproject: Projection['deproject']): Projection {
  return { code, phi0: 0, theta0: 0, project, deproject };
}

/** φ outside ±180° means the point lies beyond the projection's outline. */
export const onSky = (phi: number, theta: number): NativePoint | null =>
  Math.abs(phi) > 180 + 1e-10 || Math.abs(theta) > 90 + 1e-10 ? null : { phi, theta };

/**
 * The x in [lo, hi] where an increasing function reaches `target`, by bisection to the last bit:
 * for inverses that have no closed form (ZPN, AIR).
 */
export function solveIncreasing(f: (x: number) => number, target: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let k = 0; k < 100 && b - a > 0; k++) {
    const mid = (a + b) / 2;
    if (mid === a || mid === b) break;
    if (f(mid) < target) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}
