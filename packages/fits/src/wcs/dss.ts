/**
 * Digitized Sky Survey plate solutions (the GSSS astrometric model: PLTRAH…PLTDECS plate centre,
 * PPO3/PPO6 plate offsets, XPIXELSZ/YPIXELSZ in µm, CNPIX1/2 scan offsets, AMDX1–13/AMDY1–13
 * polynomial coefficients in arcsec per mm). DSS cut-outs also carry a CD matrix, but it is only a
 * linear approximation of the plate solution (0.1–1 arcsec off); WCSLIB, and so astropy, use the
 * polynomial whenever the plate keywords are present, and so does this module.
 * The magnitude and colour terms (AMDX14–20) are ignored, as every reader does.
 */
import type { HeaderLike } from '../types.js';
import { type FrameConversion, headerFrameConversion } from './frames.js';
import { numberCard } from './linear.js';
import type { SkyPosition } from './sky-position.js';
import type { Wcs } from './wcs.js';

const DEG = Math.PI / 180;
const ARCSEC_PER_RADIAN = (180 * 3600) / Math.PI;
const TERMS = 13;

interface Plate {
  ra0: number; // radians
  dec0: number;
  ppo3: number; // µm
  ppo6: number;
  xPixelSize: number; // µm
  yPixelSize: number;
  cnpix1: number;
  cnpix2: number;
  amdx: number[]; // arcsec; index 0 = AMDX1
  amdy: number[];
}

/**
 * ξ and η in arcsec from plate coordinates in mm (the GSSS polynomial): the plate solution's AMDX
 * and AMDY polynomials are one polynomial term by term, x and y exchanged, as the DSS headers
 * define them.
 */
function standardCoordinates(plate: Plate, x: number, y: number): [number, number] {
  return [platePolynomial(plate.amdx, x, y), platePolynomial(plate.amdy, y, x)];
}

/** One plate polynomial: ξ = platePolynomial(AMDX, x, y), η = platePolynomial(AMDY, y, x). */
function platePolynomial(terms: number[], u: number, v: number): number {
  const c = (i: number) => terms[i] ?? 0;
  const u2 = u * u;
  const v2 = v * v;
  const r2 = u2 + v2;
  return (
    c(0) * u +
    c(1) * v +
    c(2) +
    c(3) * u2 +
    c(4) * u * v +
    c(5) * v2 +
    c(6) * r2 +
    c(7) * u2 * u +
    c(8) * u2 * v +
    c(9) * u * v2 +
    c(10) * v2 * v +
    c(11) * u * r2 +
    c(12) * u * r2 * r2
  );
}

class DssWcs implements Wcs {
  readonly projection = 'TAN';
  readonly distortion = 'DSS';
  readonly axes = [1, 2] as const;
  readonly frame: string;
  readonly pixelScalesDeg: readonly [number, number];

  constructor(
    private readonly plate: Plate,
    private readonly conversion: FrameConversion,
  ) {
    this.frame = conversion.frame;
    // The linear terms of the polynomial, per pixel: what WCSLIB reports as the CD matrix.
    const [a1 = 0, a2 = 0] = plate.amdx;
    const [b1 = 0, b2 = 0] = plate.amdy;
    this.pixelScalesDeg = [
      (Math.hypot(a1, b2) * plate.xPixelSize) / 1000 / 3600,
      (Math.hypot(a2, b1) * plate.yPixelSize) / 1000 / 3600,
    ];
  }

  /** FITS pixel → plate millimetres (x grows to the east, against the scan direction). */
  private toPlate(px: number, py: number): [number, number] {
    const { plate } = this;
    const x = px + plate.cnpix1 - 0.5;
    const y = py + plate.cnpix2 - 0.5;
    return [(plate.ppo3 - x * plate.xPixelSize) / 1000, (y * plate.yPixelSize - plate.ppo6) / 1000];
  }

  pixelToSky(px: number, py: number): SkyPosition | null {
    if (!Number.isFinite(px) || !Number.isFinite(py)) return null;
    const [x, y] = this.toPlate(px, py);
    const [xiArcsec, etaArcsec] = standardCoordinates(this.plate, x, y);
    const xi = xiArcsec / ARCSEC_PER_RADIAN;
    const eta = etaArcsec / ARCSEC_PER_RADIAN;
    const { ra0, dec0 } = this.plate;
    const denominator = Math.cos(dec0) - eta * Math.sin(dec0);
    const ra = (ra0 + Math.atan2(xi, denominator)) / DEG;
    const dec = Math.atan2(Math.sin(dec0) + eta * Math.cos(dec0), Math.hypot(xi, denominator)) / DEG;
    return this.conversion.toEquatorial(((ra % 360) + 360) % 360, dec);
  }

  skyToPixel(ra: number, dec: number): { x: number; y: number } | null {
    if (!Number.isFinite(ra) || !Number.isFinite(dec) || Math.abs(dec) > 90) return null;
    const { lon, lat } = this.conversion.fromEquatorial(ra, dec);
    const { ra0, dec0, xPixelSize, yPixelSize, ppo3, ppo6, cnpix1, cnpix2 } = this.plate;
    const dRa = lon * DEG - ra0;
    const d = Math.sin(lat * DEG) * Math.sin(dec0) + Math.cos(lat * DEG) * Math.cos(dec0) * Math.cos(dRa);
    if (d <= 0) return null; // more than 90° from the plate centre
    const xi = ((Math.cos(lat * DEG) * Math.sin(dRa)) / d) * ARCSEC_PER_RADIAN;
    const eta =
      ((Math.sin(lat * DEG) * Math.cos(dec0) - Math.cos(lat * DEG) * Math.sin(dec0) * Math.cos(dRa)) / d) *
      ARCSEC_PER_RADIAN;
    // Newton's method on the polynomial, from the inverse of its linear terms.
    const [a1 = 0, a2 = 0] = this.plate.amdx;
    const [b1 = 0, b2 = 0] = this.plate.amdy;
    const det = a1 * b1 - a2 * b2;
    if (det === 0) return null;
    let x = (b1 * xi - a2 * eta) / det;
    let y = (a1 * eta - b2 * xi) / det;
    const h = 1e-6; // mm; plate coordinates are tens of mm
    for (let iteration = 0; iteration < 50; iteration++) {
      const [f, g] = standardCoordinates(this.plate, x, y);
      const rf = f - xi;
      const rg = g - eta;
      if (Math.abs(rf) < 1e-9 && Math.abs(rg) < 1e-9) break;
      const [fx, gx] = standardCoordinates(this.plate, x + h, y);
      const [fy, gy] = standardCoordinates(this.plate, x, y + h);
      const j11 = (fx - f) / h;
      const j12 = (fy - f) / h;
      const j21 = (gx - g) / h;
      const j22 = (gy - g) / h;
      const jd = j11 * j22 - j12 * j21;
      if (!Number.isFinite(jd) || jd === 0) return null;
      x -= (j22 * rf - j12 * rg) / jd;
      y -= (-j21 * rf + j11 * rg) / jd;
    }
    const [f, g] = standardCoordinates(this.plate, x, y);
    if (!(Math.abs(f - xi) < 1e-7 && Math.abs(g - eta) < 1e-7)) return null;
    return {
      x: (ppo3 - 1000 * x) / xPixelSize - cnpix1 + 0.5,
      y: (1000 * y + ppo6) / yPixelSize - cnpix2 + 0.5,
    };
  }
}

/** The DSS plate solution of a header, or undefined when it has none. */
export function dssWcsFromHeader(header: HeaderLike): Wcs | null | undefined {
  const n = (key: string) => numberCard(header, key);
  const required = ['PLTRAH', 'PLTRAM', 'PLTRAS', 'PLTDECD', 'PLTDECM', 'PLTDECS', 'PPO3', 'PPO6'];
  const more = ['XPIXELSZ', 'YPIXELSZ', 'CNPIX1', 'CNPIX2', 'AMDX1', 'AMDY1'];
  if ([...required, ...more].some((key) => n(key) === undefined)) return undefined;
  const sign = String(header.get('PLTDECSN') ?? '+').trim() === '-' ? -1 : 1;
  const amd = (prefix: string) => Array.from({ length: TERMS }, (_, i) => n(`${prefix}${i + 1}`) ?? 0);
  const plate: Plate = {
    ra0: ((n('PLTRAH') ?? 0) + (n('PLTRAM') ?? 0) / 60 + (n('PLTRAS') ?? 0) / 3600) * 15 * DEG,
    dec0: sign * ((n('PLTDECD') ?? 0) + (n('PLTDECM') ?? 0) / 60 + (n('PLTDECS') ?? 0) / 3600) * DEG,
    ppo3: n('PPO3') ?? 0,
    ppo6: n('PPO6') ?? 0,
    xPixelSize: n('XPIXELSZ') ?? 0,
    yPixelSize: n('YPIXELSZ') ?? 0,
    cnpix1: n('CNPIX1') ?? 0,
    cnpix2: n('CNPIX2') ?? 0,
    amdx: amd('AMDX'),
    amdy: amd('AMDY'),
  };
  if (plate.xPixelSize <= 0 || plate.yPixelSize <= 0) return null;
  const conversion = headerFrameConversion(header, 'equatorial');
  return conversion === null ? null : new DssWcs(plate, conversion);
}
