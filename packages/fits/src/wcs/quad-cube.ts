/**
 * Cube projections (Paper II §5.6): the sphere mapped onto the six faces of a cube, laid out as a
 * cross of 90°-wide faces with face 1 at the centre (faces 1–4 along x at 0°, 90°, 180°, 270°;
 * face 0 above, face 5 below). TSC and QSC; the COBE cube CSC is not implemented.
 */
import { DEG, type Projection } from './projection.js';

type Vector = [number, number, number];

/** For each face: its (ζ, ξ, η) from (l, m, n), and the face centre (x0, y0) in units of 90°. */
const FACES: ReadonlyArray<{ frame: (v: Vector) => Vector; back: (f: Vector) => Vector; x0: number; y0: number }> = [
  { frame: ([l, m, n]) => [n, m, -l], back: ([z, x, e]) => [-e, x, z], x0: 0, y0: 2 },
  { frame: ([l, m, n]) => [l, m, n], back: ([z, x, e]) => [z, x, e], x0: 0, y0: 0 },
  { frame: ([l, m, n]) => [m, -l, n], back: ([z, x, e]) => [-x, z, e], x0: 2, y0: 0 },
  { frame: ([l, m, n]) => [-l, -m, n], back: ([z, x, e]) => [-z, -x, e], x0: 4, y0: 0 },
  { frame: ([l, m, n]) => [-m, l, n], back: ([z, x, e]) => [x, -z, e], x0: 6, y0: 0 },
  { frame: ([l, m, n]) => [-n, m, l], back: ([z, x, e]) => [e, x, -z], x0: 0, y0: -2 },
];

/** A cube projection from its face mapping (ζ, ξ, η) → (χ, ψ) ∈ [−1, 1]² and back. */
function cube(
  code: string,
  toFace: (zeta: number, xi: number, eta: number) => [number, number],
  fromFace: (chi: number, psi: number) => Vector,
): Projection {
  return {
    code,
    phi0: 0,
    theta0: 0,
    project(phi, theta) {
      const c = Math.cos(theta * DEG);
      const v: Vector = [c * Math.cos(phi * DEG), c * Math.sin(phi * DEG), Math.sin(theta * DEG)];
      const [l, m, n] = v;
      // The face whose axis is nearest: the largest of n, l, m, −l, −m, −n.
      const scores = [n, l, m, -l, -m, -n];
      const face = FACES[scores.indexOf(Math.max(...scores))];
      if (!face) return null;
      const [chi, psi] = toFace(...face.frame(v));
      return { x: 45 * (face.x0 + chi), y: 45 * (face.y0 + psi) };
    },
    deproject(x, y) {
      let xf = x / 45;
      let yf = y / 45;
      let index = 1;
      if (xf > 7 || xf < -1 || yf > 3 || yf < -3) return null;
      if (xf > 5) {
        index = 4;
        xf -= 6;
      } else if (xf > 3) {
        index = 3;
        xf -= 4;
      } else if (xf > 1) {
        index = 2;
        xf -= 2;
      } else if (yf > 1) {
        index = 0;
        yf -= 2;
      } else if (yf < -1) {
        index = 5;
        yf += 2;
      }
      // Off the cross: only faces 0 and 5 lie above and below face 1.
      if (Math.abs(xf) > 1 + 1e-12 || Math.abs(yf) > 1 + 1e-12) return null;
      const face = FACES[index];
      if (!face) return null;
      const [l, m, n] = face.back(fromFace(xf, yf));
      return { phi: Math.atan2(m, l) / DEG, theta: Math.atan2(n, Math.hypot(l, m)) / DEG };
    },
  };
}

/** TSC: each face is the gnomonic projection from the centre of the sphere. */
export const tangentialCube = cube(
  'TSC',
  (zeta, xi, eta) => [xi / zeta, eta / zeta],
  (chi, psi) => {
    const zeta = 1 / Math.sqrt(1 + chi * chi + psi * psi);
    return [zeta, chi * zeta, psi * zeta];
  },
);

/**
 * QSC, O'Neill & Laubscher's equal-area quadrilateralized cube (Paper II §5.6.5). On a face, the
 * larger of |ξ|, |η| sets the distance from the face centre by area; their ratio ω sets the
 * position along it.
 */
const SQRT1_2 = Math.SQRT1_2;
function qscToFace(zeta: number, xi: number, eta: number): [number, number] {
  if (xi === 0 && eta === 0) return [0, 0];
  const swap = Math.abs(eta) > Math.abs(xi);
  const major = swap ? eta : xi;
  const omega = (swap ? xi : eta) / major;
  const radial = Math.sign(major) * Math.sqrt(Math.max(0, (1 - zeta) / (1 - 1 / Math.sqrt(2 + omega * omega))));
  const along = (radial / (15 * DEG)) * (Math.atan(omega) - Math.asin(omega / Math.sqrt(2 * (1 + omega * omega))));
  return swap ? [along, radial] : [radial, along];
}
function qscFromFace(chi: number, psi: number): Vector {
  if (chi === 0 && psi === 0) return [1, 0, 0];
  const swap = Math.abs(psi) > Math.abs(chi);
  const major = swap ? psi : chi;
  const ratio = (swap ? chi : psi) / major;
  const omega = Math.sin(15 * DEG * ratio) / (Math.cos(15 * DEG * ratio) - SQRT1_2);
  const zeta = 1 - major * major * (1 - 1 / Math.sqrt(2 + omega * omega));
  const planar = Math.sign(major) * Math.sqrt(Math.max(0, (1 - zeta * zeta) / (1 + omega * omega)));
  return swap ? [zeta, omega * planar, planar] : [zeta, planar, omega * planar];
}
export const quadrilateralizedCube = cube('QSC', qscToFace, qscFromFace);
