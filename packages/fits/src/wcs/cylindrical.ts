/**
 * Cylindrical, pseudo-cylindrical and other all-sky projections (Paper II §5.2–5.3; Calabretta &
 * Roukema 2007 for HEALPix): CAR, MER, CYP, CEA, SFL (GLS), PAR, MOL, AIT and HPX.
 */
import {
  clampUnit,
  cosd,
  DEG,
  global,
  onSky,
  type Projection,
  type ProjectionParameter,
  R0,
  sind,
  TOLERANCE,
} from './projection.js';

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

/** The projection named by `code`, null when its parameters are unusable, undefined when not one of these. */
export function cylindricalProjection(code: string, pv: ProjectionParameter): Projection | null | undefined {
  switch (code) {
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
    case 'CYP': {
      // Paper II §5.2.1: μ = PV2_1, λ = PV2_2, both 1 by default.
      const mu = pv(1) ?? 1;
      const lambda = pv(2) ?? 1;
      if (lambda === 0 || mu + lambda === 0) return null;
      return global(
        code,
        (phi, theta) => {
          const d = mu + cosd(theta);
          return d === 0 ? null : { x: lambda * phi, y: (R0 * (mu + lambda) * sind(theta)) / d };
        },
        (x, y) => {
          const eta = y / (R0 * (mu + lambda));
          const s = clampUnit((eta * mu) / Math.sqrt(eta * eta + 1));
          if (Math.abs(s) > 1) return null;
          const theta = (Math.atan2(eta, 1) + Math.asin(s)) / DEG;
          return Math.abs(theta) > 90 + 1e-10 ? null : { phi: x / lambda, theta };
        },
      );
    }
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
    default:
      return undefined;
  }
}
