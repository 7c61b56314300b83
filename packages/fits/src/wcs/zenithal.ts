/**
 * Zenithal projections (Paper II §5.1): TAN, SIN (with the slant parameters ξ = PV2_1, η = PV2_2),
 * NCP (as SIN), ARC, STG, ZEA, ZPN, AZP, SZP and AIR.
 */
import {
  clampUnit,
  cosd,
  DEG,
  type Projection,
  type ProjectionParameter,
  R0,
  sind,
  solveIncreasing,
  TOLERANCE,
  zenithal,
} from './projection.js';

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
 * AZP, the zenithal perspective from a point μ sphere radii away, tilted by γ (Paper II §5.1.1,
 * μ = PV2_1, γ = PV2_2 in degrees, both 0 by default).
 */
function perspective(mu: number, gamma: number): Projection | null {
  if (mu === -1) return null;
  const cosGamma = cosd(gamma);
  const tanGamma = Math.tan(gamma * DEG);
  if (cosGamma === 0) return null;
  return {
    code: 'AZP',
    phi0: 0,
    theta0: 90,
    project(phi, theta) {
      const d = mu + sind(theta) + cosd(theta) * cosd(phi) * tanGamma;
      if (d === 0) return null;
      const r = (R0 * (mu + 1) * cosd(theta)) / d;
      // Points past the horizon seen from the point of projection are not on the plane.
      if (mu * d < 0 || (Math.abs(mu) > 1 && sind(theta) < -1 / mu - 1e-12) || r < 0) return null;
      return { x: r * sind(phi), y: (-r * cosd(phi)) / cosGamma };
    },
    deproject(x, y) {
      const yc = y * cosGamma;
      const r = Math.hypot(x, yc);
      if (r === 0) return { phi: 0, theta: 90 };
      const phi = Math.atan2(x, -yc) / DEG;
      const rho = r / (R0 * (mu + 1) + y * sind(gamma));
      if (rho === 0 || !Number.isFinite(rho)) return null;
      const s = clampUnit((rho * mu) / Math.sqrt(rho * rho + 1));
      if (Math.abs(s) > 1) return null;
      const t = Math.atan2(1, rho) / DEG;
      const a = Math.asin(s) / DEG;
      // Two solutions; the one nearer the native pole is on the visible side.
      const candidates = [t - a, t + a - 180]
        .map((v) => (v < -180 ? v + 360 : v))
        .filter((v) => Math.abs(v) <= 90 + 1e-10);
      if (candidates.length === 0) return null;
      return { phi, theta: Math.min(90, Math.max(...candidates)) };
    },
  };
}

/**
 * SZP, the slant zenithal perspective (Paper II §5.1.2): the point of projection at distance
 * μ = PV2_1 in the direction (φc, θc) = (PV2_2, PV2_3), defaults 0, 0, 90.
 */
function slantPerspective(mu: number, phiC: number, thetaC: number): Projection | null {
  const xp = -mu * cosd(thetaC) * sind(phiC);
  const yp = mu * cosd(thetaC) * cosd(phiC);
  const zp = mu * sind(thetaC) + 1;
  if (zp === 0) return null;
  return {
    code: 'SZP',
    phi0: 0,
    theta0: 90,
    project(phi, theta) {
      const t = 1 - sind(theta);
      const d = zp - t;
      if (d === 0) return null;
      const x = (R0 * (zp * cosd(theta) * sind(phi) - xp * t)) / d;
      const y = (-R0 * (zp * cosd(theta) * cosd(phi) + yp * t)) / d;
      return { x, y };
    },
    deproject(x, y) {
      const X = x / R0;
      const Y = y / R0;
      const x1 = (X - xp) / zp;
      const y1 = (Y - yp) / zp;
      const r2 = X * X + Y * Y;
      const t2 = x1 * x1 + y1 * y1;
      const xy = X * x1 + Y * y1;
      // With s = sin θ and t = 1 − s: (t2 + 1) s² + 2(xy − t2) s + (r2 − 2 xy + t2 − 1) = 0.
      const a = t2 + 1;
      const b = xy - t2;
      const c = r2 - 2 * xy + t2 - 1;
      const discriminant = b * b - a * c;
      if (discriminant < 0) return null;
      const roots = [(-b + Math.sqrt(discriminant)) / a, (-b - Math.sqrt(discriminant)) / a]
        .map(clampUnit)
        .filter((s) => s >= -1 && s <= 1);
      if (roots.length === 0) return null;
      const s = Math.max(...roots);
      const t = 1 - s;
      const east = X - x1 * t;
      const south = Y - y1 * t;
      return { phi: Math.atan2(east, -south) / DEG, theta: Math.atan2(s, Math.hypot(east, south)) / DEG };
    },
  };
}

/** AIR, Airy's minimum-error zenithal projection (Paper II §5.1.8), θb = PV2_1 (default 90). */
function airy(thetaB: number): Projection | null {
  if (thetaB <= -90 || thetaB > 90) return null;
  const xiB = ((90 - thetaB) / 2) * DEG;
  // ln(cos ξb)/tan² ξb, whose limit as ξb → 0 is −1/2.
  const k = xiB === 0 ? -0.5 : Math.log(Math.cos(xiB)) / Math.tan(xiB) ** 2;
  const radius = (xi: number) => (xi === 0 ? 0 : -2 * R0 * (Math.log(Math.cos(xi)) / Math.tan(xi) + k * Math.tan(xi)));
  const xiMax = 89.9999999 * DEG;
  const rMax = radius(xiMax);
  return zenithal(
    'AIR',
    (theta) => (theta <= -90 ? null : radius(((90 - theta) / 2) * DEG)),
    (r) => (r > rMax ? null : 90 - (2 * solveIncreasing(radius, r, 0, xiMax)) / DEG),
  );
}

/** The zenithal projection named by `code`, null when its parameters are unusable, undefined when not zenithal. */
export function zenithalProjection(
  code: string,
  pv: ProjectionParameter,
  referenceLatitude: number,
): Projection | null | undefined {
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
    case 'ZPN':
      return zenithalPolynomial(pv);
    case 'AZP':
      return perspective(pv(1) ?? 0, pv(2) ?? 0);
    case 'SZP':
      return slantPerspective(pv(1) ?? 0, pv(2) ?? 0, pv(3) ?? 90);
    case 'AIR':
      return airy(pv(1) ?? 90);
    default:
      return undefined;
  }
}
