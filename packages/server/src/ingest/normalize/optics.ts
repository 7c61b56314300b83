import type { HeaderLike } from '@aims/fits';
import { type FieldRule, type Resolved, resolveField } from './field-rule.js';
import { integerValue, numberValue, show } from './value-parsers.js';

/** Binning: separate X/Y cards, then a combined card ('2x2', '2 2', or one number for both). */
export const BINNING_PAIRS = [
  ['XBINNING', 'YBINNING'],
  ['CCDXBIN', 'CCDYBIN'],
  ['BINX', 'BINY'],
  ['XBIN', 'YBIN'],
  ['HBIN', 'VBIN'],
  ['ESO DET WIN1 BINX', 'ESO DET WIN1 BINY'],
  ['ESO DET BINX', 'ESO DET BINY'],
] as const;
/** BINNING (SharpCap, some INDI drivers), CCDSUM (NOAO/IRAF, Gemini: 'x y'), CCDBIN. */
export const BINNING_COMBINED = ['BINNING', 'CCDSUM', 'CCDBIN', 'BIN'] as const;
const BINNING_RANGE: readonly [number, number] = [1, 64];

export function parseBinningText(text: string): [number, number] | null {
  const match = /^\s*(\d+)\s*(?:[x×*,\s]\s*(\d+))?\s*$/i.exec(text);
  if (!match) return null;
  const x = Number(match[1]);
  const y = match[2] === undefined ? x : Number(match[2]);
  return [x, y];
}

const inBinningRange = (n: number) => n >= BINNING_RANGE[0] && n <= BINNING_RANGE[1];

export function resolveBinning(header: HeaderLike): { x: Resolved<number>; y: Resolved<number> } {
  const refused: string[] = [];
  for (const [xKey, yKey] of BINNING_PAIRS) {
    const rx = header.get(xKey);
    const ry = header.get(yKey);
    if (rx === undefined && ry === undefined) continue;
    const one = (raw: typeof rx, key: string): Resolved<number> => {
      if (raw === undefined) return { value: null, reason: `${key} missing (${key === xKey ? yKey : xKey} present)` };
      const parsed = integerValue(raw, key);
      if (!parsed.ok) return { value: null, reason: parsed.reason };
      if (!inBinningRange(parsed.value)) return { value: null, reason: `${key} ${show(raw)} is outside 1…64` };
      return { value: parsed.value, source: key };
    };
    const x = one(rx, xKey);
    const y = one(ry, yKey);
    if (x.value !== null || y.value !== null) return { x, y };
    refused.push(...[x.reason, y.reason].filter((r): r is string => r !== undefined));
  }
  for (const key of BINNING_COMBINED) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    const pair =
      typeof raw === 'string'
        ? parseBinningText(raw)
        : typeof raw === 'number' && Number.isInteger(raw)
          ? ([raw, raw] as [number, number])
          : null;
    if (pair && inBinningRange(pair[0]) && inBinningRange(pair[1])) {
      return { x: { value: pair[0], source: key }, y: { value: pair[1], source: key } };
    }
    refused.push(`${key} ${show(raw)} is not a binning`);
  }
  const reason = refused.length > 0 ? refused.join('; ') : 'no XBINNING/YBINNING, BINNING or CCDSUM';
  return { x: { value: null, reason }, y: { value: null, reason } };
}

/**
 * Physical (unbinned) pixel size in µm. PIXSIZE1 (INDI) is unbinned and read first; XPIXSZ includes the binning
 * in MaxIm DL ("physical X dimension … includes binning"), N.I.N.A. and INDI, so it is divided by
 * XBINNING — and refused when the binning is unknown rather than guessed as 1.
 */
export const UNBINNED_PIXEL_SIZE_RULE: FieldRule<number> = {
  field: 'pixel_size_um',
  keywords: [
    'PIXSIZE1',
    'PIXSIZE',
    'PIXELSIZ',
    'XPIXELSZ',
    'ESO DET CHIP1 PSZX',
    { key: 'ESO DET PIXSIZE', scale: 1e6 },
  ],
  parse: numberValue,
  range: [0.1, 500],
};
const BINNED_PIXEL_SIZE_KEYWORD = 'XPIXSZ';

export function resolvePixelSize(header: HeaderLike, xbinning: number | null): Resolved<number> {
  const unbinned = resolveField(header, UNBINNED_PIXEL_SIZE_RULE);
  const binned = header.get(BINNED_PIXEL_SIZE_KEYWORD);
  if (unbinned.value !== null || binned === undefined) return unbinned;
  const parsed = numberValue(binned, BINNED_PIXEL_SIZE_KEYWORD);
  if (!parsed.ok) return { value: null, reason: parsed.reason };
  if (xbinning === null)
    return { value: null, reason: `XPIXSZ ${show(binned)} includes the binning, which is unknown` };
  const value = parsed.value / xbinning;
  const [min, max] = UNBINNED_PIXEL_SIZE_RULE.range ?? [0, Number.POSITIVE_INFINITY];
  if (!(value >= min && value <= max))
    return { value: null, reason: `XPIXSZ ${show(binned)} is outside the plausible range ${min}…${max}` };
  return xbinning === 1
    ? { value, source: BINNED_PIXEL_SIZE_KEYWORD }
    : { value, source: BINNED_PIXEL_SIZE_KEYWORD, reason: `XPIXSZ ${show(binned)} includes ${xbinning}× binning` };
}

/** Plate scale from a keyword (arcsec/pixel): Ekos SCALE, PIXSCALE, SECPIX (IRAF), PIXSCAL1. */
export const PIXEL_SCALE_RULE: FieldRule<number> = {
  field: 'pixel_scale_arcsec',
  keywords: ['SCALE', 'PIXSCALE', 'PIXSCAL1', 'SECPIX1', 'SECPIX', 'PLATESCL', 'ESO INS PIXSCALE'],
  parse: numberValue,
  range: [0.001, 36000],
};

/** 206.265″ per µm per mm of focal length: the small-angle plate scale. */
export const ARCSEC_PER_RADIAN_OVER_1000 = 206.264806;

export function pixelScaleFromOptics(pixelSizeUm: number, binning: number, focalLengthMm: number): number {
  return (ARCSEC_PER_RADIAN_OVER_1000 * pixelSizeUm * binning) / focalLengthMm;
}
