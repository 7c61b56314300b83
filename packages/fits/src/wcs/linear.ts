/**
 * The linear part of a celestial WCS (Greisen & Calabretta 2002, Paper I §2.1): pixel offsets
 * from CRPIX → intermediate world coordinates in degrees, for the two celestial axes.
 *
 * Which keywords win follows WCSLIB as astropy runs it (checked against astropy 5.2 on headers
 * carrying several): PCi_j (with CDELTi) when any PCi_j is present, else CDi_j, else CDELTi with
 * CROTA of the latitude axis (AIPS convention), else CDELTi alone. A CD matrix row that is entirely
 * absent gets 1 on the diagonal (WCSLIB's cdfix, which astropy applies).
 */
import type { HeaderLike } from '../types.js';

export type Matrix2 = [[number, number], [number, number]];

export interface LinearTransform {
  /** CRPIX of the longitude and latitude pixel axes. */
  crpix: [number, number];
  /** Rows: longitude, latitude world axes; columns: their pixel axes. Degrees per pixel. */
  matrix: Matrix2;
  inverse: Matrix2;
}

/** Reads a numeric card; bigints become numbers, anything else is undefined. */
export function numberCard(header: HeaderLike, key: string): number | undefined {
  const value = header.get(key);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Degrees per unit of CUNITi for the celestial axes; undefined for a unit that is not an angle. */
export function angleUnitInDegrees(unit: string | undefined): number | undefined {
  switch ((unit ?? '').trim().toLowerCase()) {
    case '':
    case 'deg':
    case 'degree':
    case 'degrees':
      return 1;
    case 'arcmin':
      return 1 / 60;
    case 'arcsec':
      return 1 / 3600;
    case 'mas':
      return 1 / 3.6e6;
    case 'rad':
      return 180 / Math.PI;
    default:
      return undefined;
  }
}

/**
 * The 2×2 transformation for world axes `lng` and `lat` (1-based), whose pixel axes carry the same
 * numbers. `axisCount` is the number of WCS axes to scan for PC/CD keywords. Null when singular.
 */
export function readLinearTransform(
  header: HeaderLike,
  lng: number,
  lat: number,
  axisCount: number,
  unitScale: [number, number],
): LinearTransform | null {
  const axes = [lng, lat] as const;
  const pad = (n: number) => String(n).padStart(3, '0');
  // PCi_j, or the 1990s draft form PCiiijjj (DSS and Pan-STARRS headers) that WCSLIB still reads.
  const card = (prefix: string, i: number, j: number) =>
    numberCard(header, `${prefix}${i}_${j}`) ??
    (prefix === 'PC' && i < 1000 && j < 1000 ? numberCard(header, `PC${pad(i)}${pad(j)}`) : undefined);
  let hasPc = false;
  let hasCd = false;
  for (let i = 1; i <= axisCount && !(hasPc && hasCd); i++) {
    for (let j = 1; j <= axisCount; j++) {
      if (!hasPc && card('PC', i, j) !== undefined) hasPc = true;
      if (!hasCd && card('CD', i, j) !== undefined) hasCd = true;
    }
  }
  const cdelt = axes.map((i) => numberCard(header, `CDELT${i}`) ?? 1);
  const element = (row: 0 | 1, column: 0 | 1): number => {
    const i = axes[row];
    const j = axes[column];
    if (hasPc) return (cdelt[row] ?? 1) * (card('PC', i, j) ?? (i === j ? 1 : 0));
    if (hasCd) {
      const value = card('CD', i, j);
      if (value !== undefined) return value;
      if (i !== j) return 0;
      // cdfix: a world axis with no CD element in its row gets a unit diagonal.
      for (let k = 1; k <= axisCount; k++) if (card('CD', i, k) !== undefined) return 0;
      return 1;
    }
    // Only the latitude axis's CROTA counts (WCSLIB ignores a CROTA on the longitude axis).
    const rho = ((numberCard(header, `CROTA${lat}`) ?? 0) * Math.PI) / 180;
    const [cdeltLng = 1, cdeltLat = 1] = cdelt;
    if (row === 0) return column === 0 ? cdeltLng * Math.cos(rho) : -cdeltLat * Math.sin(rho);
    return column === 0 ? cdeltLng * Math.sin(rho) : cdeltLat * Math.cos(rho);
  };
  const matrix: Matrix2 = [
    [element(0, 0) * unitScale[0], element(0, 1) * unitScale[0]],
    [element(1, 0) * unitScale[1], element(1, 1) * unitScale[1]],
  ];
  const inverse = invert2(matrix);
  if (inverse === null) return null;
  const crpix: [number, number] = [numberCard(header, `CRPIX${lng}`) ?? 0, numberCard(header, `CRPIX${lat}`) ?? 0];
  return { crpix, matrix, inverse };
}

export function invert2([[a, b], [c, d]]: Matrix2): Matrix2 | null {
  const det = a * d - b * c;
  if (!Number.isFinite(det) || det === 0) return null;
  return [
    [d / det, -b / det],
    [-c / det, a / det],
  ];
}
