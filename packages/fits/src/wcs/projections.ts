/**
 * Spherical projections of Calabretta & Greisen 2002 (Paper II, A&A 395, 1077): native spherical
 * coordinates (φ, θ) ↔ projection-plane coordinates (x, y), all in degrees, with R0 = 180/π so
 * that x and y come out in degrees as the linear transformation expects.
 *
 * Supported: zenithal TAN, SIN (slant PV2_1, PV2_2; NCP as SIN), ARC, STG, ZEA, ZPN, AZP, SZP,
 * AIR (zenithal.ts); cylindrical and all-sky CAR, MER, CYP, CEA, SFL (GLS), PAR, MOL, AIT, HPX
 * (cylindrical.ts); conics COP, COE, COD, COO, Bonne's BON and the polyconic PCO (conic.ts); the
 * tangential and quadrilateralized spherical cubes TSC, QSC (quad-cube.ts). The COBE cube CSC is
 * refused by `makeProjection`, so a header using it gets no WCS rather than wrong positions.
 */

import { conicProjection } from './conic.js';
import { cylindricalProjection } from './cylindrical.js';
import type { Projection, ProjectionParameter } from './projection.js';
import { quadrilateralizedCube, tangentialCube } from './quad-cube.js';
import { zenithalProjection } from './zenithal.js';

export type { NativePoint, PlanePoint, Projection, ProjectionParameter } from './projection.js';

/**
 * The projection named by a CTYPE's code, with its parameters, or null when it is not supported.
 * `referenceLatitude` is CRVAL of the latitude axis, which NCP needs.
 */
export function makeProjection(code: string, pv: ProjectionParameter, referenceLatitude: number): Projection | null {
  return (
    zenithalProjection(code, pv, referenceLatitude) ??
    cylindricalProjection(code, pv) ??
    conicProjection(code, pv) ??
    (code === 'TSC' ? tangentialCube : code === 'QSC' ? quadrilateralizedCube : null)
  );
}
