import type { HeaderLike } from '@aims/fits';
import type { ImageType } from '../../domain/image.js';
import { missingReason } from './field-rule.js';
import { show } from './value-parsers.js';

/**
 * Frame type keywords, in priority order: IMAGETYP (MaxIm, N.I.N.A., SGP, SharpCap, APT, Seestar,
 * IRAF), FRAMETYP, FRAME (INDI/KStars-Ekos), OBSTYPE (NOAO, Gemini), IMGTYPE, ESO's DPR TYPE, and
 * old ESO's GEN EXPO TYPE ('SCI').
 */
export const IMAGE_TYPE_KEYWORDS = [
  'IMAGETYP',
  'FRAMETYP',
  'FRAME',
  'OBSTYPE',
  'IMGTYPE',
  'IMAGETYPE',
  'EXPTYPE',
  'ESO DPR TYPE',
  'ESO GEN EXPO TYPE',
] as const;

/**
 * The words of each type, tried in this order: bias before dark ('Bias Frame'), dark before flat
 * (N.I.N.A.'s 'DARKFLAT' is a dark taken for flats), flat before light. A word matches at a word
 * boundary or as the start of a compound ('SKYFLAT', 'DOMEFLAT', 'FLATFIELD', 'LIGHTFRAME').
 */
const PATTERNS: ReadonlyArray<readonly [ImageType, RegExp]> = [
  ['bias', /bias|\bzero\b|^zero/],
  ['dark', /dark/],
  ['flat', /flat|^(sky|dome|twilight|lamp)\s*field/],
  // 'object' (IRAF/NOAO), 'EXPOSE' (Lowell, some SBIG drivers), 'SCI'/'science' (ESO, Gemini), 'STD'
  // (ESO standard star) and ESO's DPR 'SKY' are all exposures of the sky.
  ['light', /light|^(object|obj|expose|exposure|science|sci|std|standard|sky|target|normal)$/],
];

export function classifyImageType(text: string): ImageType {
  const words = text
    .trim()
    .toLowerCase()
    .replace(/[_\-,]+/g, ' ');
  for (const [type, pattern] of PATTERNS) if (pattern.test(words)) return type;
  return 'other';
}

/** The normalized type and the header's own words for it. */
export function resolveImageType(header: HeaderLike): {
  type: ImageType | null;
  raw: string | null;
  source?: string;
  reason?: string;
} {
  const refused: string[] = [];
  for (const key of IMAGE_TYPE_KEYWORDS) {
    const value = header.get(key);
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      refused.push(typeof value === 'string' ? `${key} is empty` : `${key} ${show(value)} is not a frame type`);
      continue;
    }
    const raw = value.trim();
    // Some writers use FRAME for the celestial reference frame, not the frame type.
    if (key === 'FRAME' && /^(fk4|fk5|icrs|gappt|galactic|ecliptic)$/i.test(raw)) {
      refused.push(`FRAME ${show(value)} names a reference frame`);
      continue;
    }
    const type = classifyImageType(raw);
    const notes = [...refused];
    if (type === 'other') notes.push(`${key} ${show(value)} is not light, dark, flat or bias`);
    return { type, raw, source: key, ...(notes.length > 0 ? { reason: notes.join('; ') } : {}) };
  }
  return {
    type: null,
    raw: null,
    reason: refused.length > 0 ? refused.join('; ') : missingReason(IMAGE_TYPE_KEYWORDS),
  };
}
