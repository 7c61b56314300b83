/**
 * Conic projections (Paper II §5.5: COP, COE, COD, COO), Bonne's (BON, §5.6.1) and the polyconic
 * (PCO, §5.6.2). A conic needs
 * θa = PV2_1 (there is no default) and takes η = PV2_2 (default 0); its fiducial point is
 * (0, θa). Planes are x = Rθ sin Cφ, y = Y0 − Rθ cos Cφ.
 */
import { cosd, DEG, type NativePoint, type Projection, type ProjectionParameter, R0, sind } from './projection.js';

const tand = (a: number) => Math.tan(a * DEG);

/**
 * A conic from its constant C, the radius function R(θ) with its inverse θ(R), and Y0 = R(θa).
 * R carries the sign of θa, so that a cone opening to the south works the same way.
 */
function conic(
  code: string,
  thetaA: number,
  c: number,
  radius: (theta: number) => number | null,
  colatitude: (r: number) => number | null,
): Projection | null {
  const y0 = radius(thetaA);
  if (y0 === null || !Number.isFinite(y0) || c === 0 || !Number.isFinite(c)) return null;
  return {
    code,
    phi0: 0,
    theta0: thetaA,
    project(phi, theta) {
      const r = radius(theta);
      if (r === null || !Number.isFinite(r)) return null;
      const a = c * phi * DEG;
      return { x: r * Math.sin(a), y: y0 - r * Math.cos(a) };
    },
    deproject(x, y): NativePoint | null {
      const dy = y0 - y;
      const r = Math.sign(thetaA || 1) * Math.hypot(x, dy);
      const phi = r === 0 ? 0 : Math.atan2(x / r, dy / r) / DEG / c;
      if (Math.abs(phi) > 180 + 1e-10) return null;
      const theta = colatitude(r);
      if (theta === null || Number.isNaN(theta) || Math.abs(theta) > 90 + 1e-10) return null;
      return { phi, theta: Math.max(-90, Math.min(90, theta)) };
    },
  };
}

function bonne(theta1: number): Projection | null {
  const y0 = R0 / tand(theta1) + theta1;
  const sign = Math.sign(theta1);
  return {
    code: 'BON',
    phi0: 0,
    theta0: 0,
    project(phi, theta) {
      const r = y0 - theta;
      const a = r === 0 ? 0 : (phi * cosd(theta)) / r; // radians: arc length over radius
      return { x: r * Math.sin(a), y: y0 - r * Math.cos(a) };
    },
    deproject(x, y) {
      const dy = y0 - y;
      const r = sign * Math.hypot(x, dy);
      const theta = y0 - r;
      if (Math.abs(theta) > 90 + 1e-10) return null;
      const c = cosd(theta);
      const a = r === 0 ? 0 : Math.atan2(x / r, dy / r);
      const phi = c === 0 ? 0 : (a * r) / c;
      return Math.abs(phi) > 180 + 1e-10 ? null : { phi, theta: Math.max(-90, Math.min(90, theta)) };
    },
  };
}

/**
 * PCO, the American polyconic (Paper II §5.6.2). Its inverse has no closed form: θ is the root
 * of x² + (y − θ)² − 2 (y − θ) R0 cot θ = 0 between 0 and y, found by bisection.
 */
const polyconic: Projection = {
  code: 'PCO',
  phi0: 0,
  theta0: 0,
  project(phi, theta) {
    if (theta === 0) return { x: phi, y: 0 };
    const cotTheta = 1 / tand(theta);
    const e = phi * sind(theta) * DEG;
    return { x: R0 * cotTheta * Math.sin(e), y: theta + R0 * cotTheta * (1 - Math.cos(e)) };
  },
  deproject(x, y) {
    if (Math.abs(y) < 1e-12) return Math.abs(x) > 180 + 1e-10 ? null : { phi: x, theta: 0 };
    const sign = Math.sign(y);
    const ay = Math.abs(y);
    const residual = (theta: number) => x * x + (ay - theta) ** 2 - (2 * (ay - theta) * R0) / tand(theta);
    let lo = 0;
    let hi = Math.min(ay, 90);
    if (residual(hi) < 0) return null;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      if (residual(mid) < 0) lo = mid;
      else hi = mid;
    }
    const theta = (lo + hi) / 2;
    const c = R0 / tand(theta);
    const e = Math.atan2(x, c - (ay - theta)) / DEG;
    const s = sind(theta);
    const phi = s === 0 ? x : e / s;
    return Math.abs(phi) > 180 + 1e-10 ? null : { phi, theta: sign * theta };
  },
};

/** The conic named by `code`, null when its parameters are unusable, undefined when not a conic. */
export function conicProjection(code: string, pv: ProjectionParameter): Projection | null | undefined {
  if (code === 'PCO') return polyconic;
  if (code === 'BON') {
    const theta1 = pv(1);
    if (theta1 === undefined || Math.abs(theta1) > 90) return null;
    // With θ1 = 0 Bonne's projection is Sanson-Flamsteed, which WCSLIB substitutes as well.
    return theta1 === 0 ? undefined : bonne(theta1);
  }
  if (!['COP', 'COE', 'COD', 'COO'].includes(code)) return undefined;
  const thetaA = pv(1);
  const eta = pv(2) ?? 0;
  if (thetaA === undefined || thetaA === 0 || Math.abs(thetaA) >= 90) return null;
  const theta1 = thetaA - eta;
  const theta2 = thetaA + eta;
  switch (code) {
    case 'COP': {
      const k = R0 * cosd(eta);
      return conic(
        code,
        thetaA,
        sind(thetaA),
        (theta) => k * (1 / tand(thetaA) - tand(theta - thetaA)),
        (r) => thetaA + Math.atan(1 / tand(thetaA) - r / k) / DEG,
      );
    }
    case 'COE': {
      const gamma = sind(theta1) + sind(theta2);
      if (gamma === 0) return null;
      const s1s2 = 1 + sind(theta1) * sind(theta2);
      return conic(
        code,
        thetaA,
        gamma / 2,
        (theta) => ((2 * R0) / gamma) * Math.sqrt(Math.max(0, s1s2 - gamma * sind(theta))),
        (r) => {
          const w = (r * gamma) / (2 * R0);
          const s = (s1s2 - w * w) / gamma;
          return Math.abs(s) > 1 + 1e-12 ? null : Math.asin(Math.max(-1, Math.min(1, s))) / DEG;
        },
      );
    }
    case 'COD': {
      // η cot η in degrees; its limit as η → 0 is one radian.
      const etaCotEta = eta === 0 ? R0 : eta / tand(eta);
      const c = eta === 0 ? sind(thetaA) : (sind(thetaA) * Math.sin(eta * DEG)) / (eta * DEG);
      const offset = etaCotEta / tand(thetaA);
      return conic(
        code,
        thetaA,
        c,
        (theta) => thetaA - theta + offset,
        (r) => thetaA + offset - r,
      );
    }
    default: {
      // COO
      const t = (theta: number) => tand((90 - theta) / 2);
      const c =
        theta1 === theta2 ? sind(theta1) : Math.log(cosd(theta2) / cosd(theta1)) / Math.log(t(theta2) / t(theta1));
      if (!Number.isFinite(c) || c === 0) return null;
      const psi = (R0 * cosd(theta1)) / (c * t(theta1) ** c);
      return conic(
        code,
        thetaA,
        c,
        (theta) => (theta === -90 * Math.sign(c) ? null : psi * t(theta) ** c),
        (r) => 90 - (2 * Math.atan((r / psi) ** (1 / c))) / DEG,
      );
    }
  }
}
