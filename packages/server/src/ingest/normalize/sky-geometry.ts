import { type HeaderLike, imageFootprint, wcsFromHeader } from '@aims/fits';
import { show } from './value-parsers.js';

/** What the image covers on the sky, from its celestial WCS (ICRS degrees). */
export interface SkyGeometry {
  center: { ra: number; dec: number };
  /** Corner pixels (1,1), (n1,1), (n1,n2), (1,n2) as [ra, dec]; null when one is off the sky. */
  corners: Array<[number, number]> | null;
  pixelScaleArcsec: number | null;
  widthDeg: number | null;
  heightDeg: number | null;
}

/**
 * The WCS geometry of an image of naxis1 × naxis2 pixels, or a note on why a WCS the header
 * seems to have could not be used. An all-sky map whose corners fall outside its projection
 * keeps its centre and scale without a footprint.
 */
export function skyGeometry(
  header: HeaderLike,
  naxis1: number,
  naxis2: number,
): { geometry: SkyGeometry | null; note?: string } {
  const wcs = wcsFromHeader(header);
  if (!wcs) {
    const ctype = header.get('CTYPE1');
    const claimed = typeof ctype === 'string' && ctype.trim() !== '';
    return claimed ? { geometry: null, note: `CTYPE1 ${show(ctype)}: no usable celestial WCS` } : { geometry: null };
  }
  const footprint = imageFootprint(wcs, naxis1, naxis2);
  if (footprint) {
    return {
      geometry: {
        center: { ra: footprint.center.ra, dec: footprint.center.dec },
        corners: footprint.corners.map((c): [number, number] => [c.ra, c.dec]),
        pixelScaleArcsec: footprint.pixelScaleArcsec,
        widthDeg: footprint.widthDeg,
        heightDeg: footprint.heightDeg,
      },
    };
  }
  const center = wcs.pixelToSky((naxis1 + 1) / 2, (naxis2 + 1) / 2);
  if (!center) return { geometry: null, note: 'the WCS puts the image centre off the sky' };
  const scales = wcs.pixelScalesDeg;
  return {
    geometry: {
      center: { ra: center.ra, dec: center.dec },
      corners: null,
      pixelScaleArcsec: scales ? Math.sqrt(scales[0] * scales[1]) * 3600 : null,
      widthDeg: scales ? scales[0] * naxis1 : null,
      heightDeg: scales ? scales[1] * naxis2 : null,
    },
    note: 'image corners lie off the sky: no footprint',
  };
}
