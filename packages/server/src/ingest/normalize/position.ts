import { type CardValue, type HeaderLike, parseDeclination, parseRightAscension } from '@aims/fits';
import type { PositionSource } from '../../domain/image.js';
import { show } from './value-parsers.js';

type RaUnit = 'hours' | 'degrees' | 'auto';

/**
 * Pointing keywords after the WCS centre, best first. The unit of RA follows @aims/fits' rule
 * ('auto': sexagesimal text is hours, a number is degrees — ESO, N.I.N.A., Seestar, Ekos and Spitzer
 * all write RA in degrees) unless the keyword fixes it: OBJCTRA is hours in every writer (MaxIm DL,
 * ACP, SGP, INDI), HST's RA_TARG, Kepler's RA_OBJ and ASCA's RA_NOM are degrees.
 */
export const POSITION_PAIRS: ReadonlyArray<{ ra: string; dec: string; unit: RaUnit; source: PositionSource }> = [
  { ra: 'RA', dec: 'DEC', unit: 'auto', source: 'ra_dec' },
  { ra: 'OBJCTRA', dec: 'OBJCTDEC', unit: 'hours', source: 'objctra' },
  { ra: 'BLKRA', dec: 'BLKDEC', unit: 'auto', source: 'blkra' },
  { ra: 'TELRA', dec: 'TELDEC', unit: 'auto', source: 'telra' },
  // Professional pipelines' target or pointing positions, recorded as 'ra_dec' with their keyword.
  { ra: 'RA_TARG', dec: 'DEC_TARG', unit: 'degrees', source: 'ra_dec' },
  { ra: 'RA_OBJ', dec: 'DEC_OBJ', unit: 'degrees', source: 'ra_dec' },
  { ra: 'OBJRA', dec: 'OBJDEC', unit: 'auto', source: 'ra_dec' },
  { ra: 'CAT-RA', dec: 'CAT-DEC', unit: 'auto', source: 'ra_dec' },
  { ra: 'RA_NOM', dec: 'DEC_NOM', unit: 'degrees', source: 'ra_dec' },
  { ra: 'RA_PNT', dec: 'DEC_PNT', unit: 'degrees', source: 'ra_dec' },
  { ra: 'RA-D', dec: 'DEC-D', unit: 'degrees', source: 'ra_dec' },
];

export interface ResolvedPosition {
  ra: number | null;
  dec: number | null;
  source: PositionSource | null;
  /** Keywords used, e.g. 'OBJCTRA/OBJCTDEC' or 'CRVAL1/CRPIX1…' for the WCS. */
  keys?: string;
  reason?: string;
}

const present = (value: CardValue | undefined): value is CardValue =>
  value !== undefined && !(typeof value === 'string' && value.trim() === '');

/**
 * The pointing: the WCS centre when the caller has one (it is what the pixels show), otherwise the
 * first pair of keywords that both parse. Refused pairs are named in the reason.
 */
export function resolvePosition(
  header: HeaderLike,
  wcsCenter: { ra: number; dec: number } | null,
  wcsNote?: string,
): ResolvedPosition {
  const refused: string[] = wcsNote ? [wcsNote] : [];
  if (wcsCenter)
    return {
      ra: wcsCenter.ra,
      dec: wcsCenter.dec,
      source: 'wcs',
      keys: 'WCS',
      ...(wcsNote ? { reason: wcsNote } : {}),
    };

  for (const pair of POSITION_PAIRS) {
    const rawRa = header.get(pair.ra);
    const rawDec = header.get(pair.dec);
    if (!present(rawRa) && !present(rawDec)) continue;
    if (!present(rawRa) || !present(rawDec)) {
      refused.push(`${present(rawRa) ? pair.ra : pair.dec} without ${present(rawRa) ? pair.dec : pair.ra}`);
      continue;
    }
    const ra = parseRightAscension(rawRa, pair.unit);
    const dec = parseDeclination(rawDec);
    if (ra === null || dec === null) {
      if (ra === null) refused.push(`${pair.ra} ${show(rawRa)} is not a right ascension`);
      if (dec === null) refused.push(`${pair.dec} ${show(rawDec)} is not a declination`);
      continue;
    }
    const keys = `${pair.ra}/${pair.dec}`;
    return {
      ra,
      dec,
      source: pair.source,
      keys,
      ...(refused.length > 0 ? { reason: `${refused.join('; ')}; used ${keys}` } : {}),
    };
  }
  return {
    ra: null,
    dec: null,
    source: null,
    reason: refused.length > 0 ? refused.join('; ') : 'no celestial WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA or TELRA',
  };
}
