import type { HeaderLike } from '@aims/fits';

/** What the image covers on the sky, from its celestial WCS. */
export interface SkyGeometry {
  center: { ra: number; dec: number };
  corners: Array<[number, number]>;
  pixelScaleArcsec: number;
  widthDeg: number;
  heightDeg: number;
}

/** The WCS geometry of an image of naxis1 × naxis2 pixels, or why there is none. */
export function skyGeometry(
  _header: HeaderLike,
  _naxis1: number,
  _naxis2: number,
): { geometry: SkyGeometry | null; note?: string } {
  return { geometry: null };
}
