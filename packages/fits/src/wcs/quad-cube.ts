/**
 * TSC, the tangential spherical cube (Paper II §5.6.3): the sphere projected gnomonically onto the
 * six faces of a cube, laid out as a cross of 90°-wide faces with face 1 at the centre
 * (faces 1–4 along x at 0°, 90°, 180°, 270°; face 0 above, face 5 below).
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

export const tangentialCube: Projection = {
  code: 'TSC',
  phi0: 0,
  theta0: 0,
  project(phi, theta) {
    const c = Math.cos(theta * DEG);
    const v: Vector = [c * Math.cos(phi * DEG), c * Math.sin(phi * DEG), Math.sin(theta * DEG)];
    const [l, m, n] = v;
    // The face whose axis is nearest: the largest of n, l, m, −l, −m, −n.
    const scores = [n, l, m, -l, -m, -n];
    const index = scores.indexOf(Math.max(...scores));
    const face = FACES[index];
    if (!face) return null;
    const [zeta, xi, eta] = face.frame(v);
    return { x: 45 * (face.x0 + xi / zeta), y: 45 * (face.y0 + eta / zeta) };
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
    // Off the cross: the rows above and below face 1 only.
    if (Math.abs(xf) > 1 + 1e-12 || Math.abs(yf) > 1 + 1e-12) return null;
    const face = FACES[index];
    if (!face) return null;
    const zeta = 1 / Math.sqrt(1 + xf * xf + yf * yf);
    const [l, m, n] = face.back([zeta, xf * zeta, yf * zeta]);
    return { phi: Math.atan2(m, l) / DEG, theta: Math.atan2(n, Math.hypot(l, m)) / DEG };
  },
};
