/**
 * Spherical projections of Calabretta & Greisen 2002 (Paper II, A&A 395, 1077): native spherical
 * coordinates (φ, θ) ↔ projection-plane coordinates (x, y), all in degrees, with R0 = 180/π so
 * that x and y come out in degrees as the linear transformation expects.
 *
 * Supported: zenithal TAN, SIN (with the slant parameters PV2_1, PV2_2, and NCP as SIN), ARC, STG,
 * ZEA, ZPN; cylindrical CAR, MER, CEA; pseudo-cylindrical SFL (GLS), PAR, MOL, AIT; and HEALPix HPX.
 * Anything else (AZP, SZP, AIR, CYP, conics, polyconics, quad-cubes…) is refused by
 * `makeProjection`, so a header using it gets no WCS rather than wrong positions.
 */

const DEG = Math.PI / 180;
const R0 = 180 / Math.PI;
/** Slack for points that round to just outside a projection's boundary. */
const TOLERANCE = 1e-12;

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

const sind = (a: number) => Math.sin(a * DEG);
const cosd = (a: number) => Math.cos(a * DEG);
const clampUnit = (v: number) => (v > 1 && v < 1 + TOLERANCE ? 1 : v < -1 && v > -1 - TOLERANCE ? -1 : v);

/** A zenithal projection from its radius function R(θ) and inverse θ(R) (Paper II §5.1). */
function zenithal(
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

/** SIN with slant parameters ξ, η (Paper II eqs 38–47); NCP is SIN with ξ = 0, η = cot δ0. */
function slantOrthographic(code: string, xi: number, eta: number): Projection {
  if (xi === 0 && eta === 0) {
    return zenithal(
      code,
      (theta) => (theta < -TOLERANCE ? null : R0 * cosd(theta)),
      (r) => {
        const s = clampUnit(r / R0);
        return s > 1 ? null : Math.atan2(Math.sqrt((1 - s) * (1 + s)), s) / DEG;
      },
    );
  }
  return {
    code,
    phi0: 0,
    theta0: 90,
    project(phi, theta) {
      const t = 1 - sind(theta);
      return { x: R0 * (cosd(theta) * sind(phi) + xi * t), y: -R0 * (cosd(theta) * cosd(phi) - eta * t) };
    },
    deproject(x, y) {
      const X = x / R0;
      const Y = y / R0;
      const a = xi * xi + eta * eta + 1;
      const b = xi * (X - xi) + eta * (Y - eta);
      const c = (X - xi) ** 2 + (Y - eta) ** 2 - 1;
      const discriminant = b * b - a * c;
      if (discriminant < 0) return null;
      // Of the two solutions for sin θ, the one nearer the native pole (θ = 90°) is on the sky.
      const roots = [(-b + Math.sqrt(discriminant)) / a, (-b - Math.sqrt(discriminant)) / a]
        .map(clampUnit)
        .filter((s) => s >= -1 && s <= 1);
      const s = roots.length === 0 ? undefined : Math.max(...roots);
      if (s === undefined) return null;
      const t = 1 - s;
      // cos θ from the plane coordinates themselves: asin(s) loses half the digits near the pole.
      const east = X - xi * t;
      const south = Y - eta * t;
      const theta = Math.atan2(s, Math.hypot(east, south)) / DEG;
      return { phi: Math.atan2(east, -south) / DEG, theta };
    },
  };
}

/** A (pseudo-)cylindrical or other all-sky projection whose fiducial point is (0, 0). */
function global(code: string, project: Projection['project'], deproject: Projection['deproject']): Projection {
  return { code, phi0: 0, theta0: 0, project, deproject };
}

/** φ outside ±180° means the point lies beyond the projection's outline. */
const onSky = (phi: number, theta: number): NativePoint | null =>
  Math.abs(phi) > 180 + 1e-10 || Math.abs(theta) > 90 + 1e-10 ? null : { phi, theta };

function healpix(h: number, k: number): Projection | null {
  // Only odd K (the HEALPix standard K = 3) has the simple polar layout implemented here.
  if (!Number.isInteger(h) || !Number.isInteger(k) || h < 1 || k < 1 || k % 2 === 0) return null;
  const equatorLimit = (90 * (k - 1)) / h; // |y| of the boundary between equatorial and polar zones
  const sinLimit = (k - 1) / k;
  const facetWidth = 360 / h;
  const facetCentre = (v: number) => -180 + (Math.floor((v + 180) / facetWidth) + 0.5) * facetWidth;
  return global(
    'HPX',
    (phi, theta) => {
      const s = sind(theta);
      if (Math.abs(s) <= sinLimit) return { x: phi, y: ((90 * k) / h) * s };
      const sigma = Math.sqrt(k * (1 - Math.abs(s)));
      const centre = facetCentre(Math.min(phi, 180 - 1e-12));
      const y = Math.sign(theta) * ((180 / h) * ((k + 1) / 2 - sigma));
      return { x: centre + (phi - centre) * sigma, y };
    },
    (x, y) => {
      if (Math.abs(y) <= equatorLimit) {
        const s = (y * h) / (90 * k);
        return Math.abs(s) > 1 ? null : onSky(x, Math.asin(s) / DEG);
      }
      const sigma = (k + 1) / 2 - (Math.abs(y) * h) / 180;
      if (sigma < 0) return null;
      const centre = facetCentre(x);
      const offset = x - centre;
      // Polar facets are triangles: outside them the plane holds no sky.
      if (Math.abs(offset) > sigma * (facetWidth / 2) + 1e-10) return null;
      const phi = sigma === 0 ? centre : centre + offset / sigma;
      const theta = Math.sign(y) * (Math.asin(clampUnit(1 - (sigma * sigma) / k)) / DEG);
      return onSky(phi, theta);
    },
  );
}

/**
 * ZPN, the zenithal polynomial (Paper II §5.1.7): R = R0 Σ P_m z^m with z = 90° − θ in radians
 * and P_m = PV2_m (m = 0…20). Its inverse is taken on the branch where R grows with z, from the
 * native pole to the first turning point (WCSLIB's choice); radii outside it are off the sky.
 */
function zenithalPolynomial(pv: ProjectionParameter): Projection | null {
  const p: number[] = [];
  for (let m = 0; m <= 20; m++) p.push(pv(m) ?? 0);
  const poly = (z: number) => p.reduceRight((sum, c) => sum * z + c, 0);
  const slope = (z: number) => p.reduceRight((sum, c, m) => (m === 0 ? sum : sum * z + m * c), 0);
  // The first turning point in (0, π], found on a grid fine enough for 20th-degree polynomials.
  let zMax = Math.PI;
  const steps = 2000;
  for (let i = 1; i <= steps; i++) {
    const z = (Math.PI * i) / steps;
    if (slope(z) <= 0) {
      let lo = (Math.PI * (i - 1)) / steps;
      let hi = z;
      for (let k = 0; k < 64; k++) {
        const mid = (lo + hi) / 2;
        if (slope(mid) > 0) lo = mid;
        else hi = mid;
      }
      zMax = lo;
      break;
    }
  }
  if (slope(0) <= 0 && zMax === 0) return null;
  const rMin = poly(0);
  const rMax = poly(zMax);
  const tolerance = 1e-13;
  return zenithal(
    'ZPN',
    (theta) => {
      const z = (90 - theta) * DEG;
      return z > zMax + tolerance ? null : R0 * poly(z);
    },
    (radius) => {
      const r = radius / R0;
      if (r < rMin - tolerance || r > rMax + tolerance) return null;
      if (r <= rMin) return 90;
      if (r >= rMax) return 90 - zMax / DEG;
      let lo = 0;
      let hi = zMax;
      for (let k = 0; k < 80; k++) {
        const mid = (lo + hi) / 2;
        if (poly(mid) < r) lo = mid;
        else hi = mid;
      }
      return 90 - (lo + hi) / 2 / DEG;
    },
  );
}

/**
 * The projection named by a CTYPE's code, with its parameters, or null when it is not supported.
 * `referenceLatitude` is CRVAL of the latitude axis, which NCP needs.
 */
export function makeProjection(code: string, pv: ProjectionParameter, referenceLatitude: number): Projection | null {
  switch (code) {
    case 'TAN':
      return zenithal(
        code,
        (theta) => (theta <= 0 ? null : R0 / Math.tan(theta * DEG)),
        (r) => Math.atan2(R0, r) / DEG,
      );
    case 'SIN':
      return slantOrthographic(code, pv(1) ?? 0, pv(2) ?? 0);
    case 'NCP': {
      // Paper II §6.1.2: NCP is SIN with ξ = 0, η = cot δ0; undefined on the equator.
      const tanDelta0 = Math.tan(referenceLatitude * DEG);
      return tanDelta0 === 0 ? null : slantOrthographic(code, 0, 1 / tanDelta0);
    }
    case 'ARC':
      return zenithal(
        code,
        (theta) => 90 - theta,
        (r) => (r > 180 + 1e-10 ? null : 90 - r),
      );
    case 'STG':
      return zenithal(
        code,
        (theta) => (theta <= -90 ? null : 2 * R0 * Math.tan(((90 - theta) / 2) * DEG)),
        (r) => 90 - 2 * (Math.atan(r / (2 * R0)) / DEG),
      );
    case 'ZEA':
      return zenithal(
        code,
        (theta) => 2 * R0 * sind((90 - theta) / 2),
        (r) => {
          const s = clampUnit(r / (2 * R0));
          return s > 1 ? null : 90 - 2 * (Math.asin(s) / DEG);
        },
      );
    case 'CAR':
      return global(
        code,
        (phi, theta) => ({ x: phi, y: theta }),
        (x, y) => (Math.abs(y) > 90 + 1e-10 ? null : { phi: x, theta: y }),
      );
    case 'MER':
      return global(
        code,
        (phi, theta) =>
          Math.abs(theta) >= 90 ? null : { x: phi, y: R0 * Math.log(Math.tan(((90 + theta) / 2) * DEG)) },
        (x, y) => ({ phi: x, theta: 2 * (Math.atan(Math.exp(y / R0)) / DEG) - 90 }),
      );
    case 'CEA': {
      const lambda = pv(1) ?? 1;
      if (!(lambda > 0 && lambda <= 1)) return null;
      return global(
        code,
        (phi, theta) => ({ x: phi, y: (R0 * sind(theta)) / lambda }),
        (x, y) => {
          const s = clampUnit((lambda * y) / R0);
          return Math.abs(s) > 1 ? null : { phi: x, theta: Math.asin(s) / DEG };
        },
      );
    }
    case 'SFL':
    case 'GLS':
      return global(
        'SFL',
        (phi, theta) => ({ x: phi * cosd(theta), y: theta }),
        (x, y) => {
          if (Math.abs(y) > 90 + 1e-10) return null;
          const c = cosd(y);
          if (c === 0) return x === 0 ? { phi: 0, theta: y } : null;
          return onSky(x / c, y);
        },
      );
    case 'PAR':
      return global(
        code,
        (phi, theta) => ({ x: phi * (2 * cosd((2 * theta) / 3) - 1), y: 180 * sind(theta / 3) }),
        (x, y) => {
          const s = y / 180;
          if (Math.abs(s) > 1 + TOLERANCE) return null;
          const denominator = 1 - 4 * s * s;
          const theta = 3 * (Math.asin(clampUnit(s)) / DEG);
          if (denominator === 0) return x === 0 ? { phi: 0, theta } : null;
          return onSky(x / denominator, theta);
        },
      );
    case 'MOL':
      return global(
        code,
        (phi, theta) => {
          // Solve 2ψ + sin 2ψ = π sin θ for ψ by Newton's method (converges in a few steps).
          const target = Math.PI * sind(theta);
          let psi = theta * DEG;
          for (let i = 0; i < 50; i++) {
            const f = 2 * psi + Math.sin(2 * psi) - target;
            const d = 2 + 2 * Math.cos(2 * psi);
            if (d === 0) break;
            const step = f / d;
            psi -= step;
            if (Math.abs(step) < 1e-15) break;
          }
          return {
            x: ((2 * Math.SQRT2) / Math.PI) * R0 * phi * DEG * Math.cos(psi),
            y: Math.SQRT2 * R0 * Math.sin(psi),
          };
        },
        (x, y) => {
          const s = clampUnit(y / (Math.SQRT2 * R0));
          if (Math.abs(s) > 1) return null;
          const psi = Math.asin(s);
          const theta = Math.asin(clampUnit((2 * psi + Math.sin(2 * psi)) / Math.PI)) / DEG;
          const c = Math.cos(psi);
          if (c === 0) return x === 0 ? { phi: 0, theta } : null;
          return onSky((Math.PI * x) / (2 * Math.SQRT2 * c), theta);
        },
      );
    case 'AIT':
      return global(
        code,
        (phi, theta) => {
          const gamma = R0 * Math.sqrt(2 / (1 + cosd(theta) * cosd(phi / 2)));
          return { x: 2 * gamma * cosd(theta) * sind(phi / 2), y: gamma * sind(theta) };
        },
        (x, y) => {
          const u = x / (4 * R0);
          const v = y / (2 * R0);
          const zz = 1 - u * u - v * v;
          // The outline of the Aitoff ellipse is Z² = 1/2.
          if (zz < 0.5 - 1e-12) return null;
          const z = Math.sqrt(zz);
          const phi = (2 * Math.atan2((z * x) / (2 * R0), 2 * zz - 1)) / DEG;
          return { phi, theta: Math.asin(clampUnit((y * z) / R0)) / DEG };
        },
      );
    case 'HPX':
      return healpix(pv(1) ?? 4, pv(2) ?? 3);
    case 'ZPN':
      return zenithalPolynomial(pv);
    default:
      return null;
  }
}
