/**
 * What an image covers on the sky: centre, corners, scale, size and orientation, as the catalog
 * stores them and a cone search needs them.
 */
import { angularSeparationDeg } from '../angles.js';
import type { SkyPosition } from './sky-position.js';
import type { Wcs } from './wcs.js';

const DEG = Math.PI / 180;

export interface ImageFootprint {
  /** The sky at the image centre, pixel ((NAXIS1 + 1) / 2, (NAXIS2 + 1) / 2). */
  center: SkyPosition;
  /** The centres of the corner pixels, in the order (1,1), (n1,1), (n1,n2), (1,n2). */
  corners: SkyPosition[];
  /**
   * Geometric mean of the pixel scales along x and y, in arcsec: astropy's
   * proj_plane_pixel_scales at the reference point when the WCS reports them (distortion aside),
   * else measured one pixel from the centre.
   */
  pixelScaleArcsec: number;
  /** NAXIS1 × the x pixel scale and NAXIS2 × the y pixel scale, in degrees. */
  widthDeg: number;
  heightDeg: number;
  /** Position angle of the image's +y axis at the centre, east of north, in (-180, 180]. */
  rotationDeg: number;
  /** True when +y points within 45° of north. */
  northUp: boolean;
  /**
   * True when the image is mirrored with respect to the sky as seen from inside the sphere: with
   * north up, east is on the right (+x) instead of the left.
   */
  flipped: boolean;
}

/** Position angle of b seen from a, east of north, in degrees (-180, 180]. */
function positionAngle(a: SkyPosition, b: SkyPosition): number {
  const dRa = (b.ra - a.ra) * DEG;
  const y = Math.sin(dRa) * Math.cos(b.dec * DEG);
  const x =
    Math.cos(a.dec * DEG) * Math.sin(b.dec * DEG) - Math.sin(a.dec * DEG) * Math.cos(b.dec * DEG) * Math.cos(dRa);
  const angle = Math.atan2(y, x) / DEG;
  return angle === -180 ? 180 : angle;
}

/**
 * The footprint of an NAXIS1 × NAXIS2 image, or null when its centre or a corner is off the sky
 * (an all-sky map whose corners lie outside the projection's outline, say).
 */
export function imageFootprint(wcs: Wcs, naxis1: number, naxis2: number): ImageFootprint | null {
  if (!(naxis1 >= 1 && naxis2 >= 1)) return null;
  const cx = (naxis1 + 1) / 2;
  const cy = (naxis2 + 1) / 2;
  const center = wcs.pixelToSky(cx, cy);
  if (center === null) return null;
  const corners: SkyPosition[] = [];
  for (const [x, y] of [
    [1, 1],
    [naxis1, 1],
    [naxis1, naxis2],
    [1, naxis2],
  ] as const) {
    const corner = wcs.pixelToSky(x, y);
    if (corner === null) return null;
    corners.push(corner);
  }
  const alongX = wcs.pixelToSky(cx + 1, cy);
  const alongY = wcs.pixelToSky(cx, cy + 1);
  if (alongX === null || alongY === null) return null;
  const [scaleX, scaleY] = wcs.pixelScalesDeg ?? [
    angularSeparationDeg(center, alongX),
    angularSeparationDeg(center, alongY),
  ];
  const rotationDeg = positionAngle(center, alongY);
  const xAngle = positionAngle(center, alongX);
  return {
    center,
    corners,
    pixelScaleArcsec: Math.sqrt(scaleX * scaleY) * 3600,
    widthDeg: naxis1 * scaleX,
    heightDeg: naxis2 * scaleY,
    rotationDeg,
    northUp: Math.abs(rotationDeg) <= 45,
    flipped: Math.sin((xAngle - rotationDeg) * DEG) > 0,
  };
}
