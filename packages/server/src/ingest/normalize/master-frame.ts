import type { Card, HeaderLike } from '@aims/fits';
import type { Resolved } from './field-rule.js';
import { integerValue } from './value-parsers.js';

/**
 * Master calibration frames: many exposures combined into one. Stacking tools say so in different
 * ways, and calibration matching (catalog/calibration.ts) prefers a master over a single frame:
 *   - a count: NCOMBINE (IRAF imcombine, CCDPROC, AstroImageJ, N.I.N.A.'s integration plug-ins),
 *     STACKCNT (Siril), NFRAMES/NUMFRAMES (some drivers after on-camera stacking);
 *   - a HISTORY line: PixInsight's ImageIntegration ("ImageIntegration.numberOfImages: 20"), Siril
 *     ("Stacking …"), DeepSkyStacker, Astro Pixel Processor ("integration"), IRAF imcombine;
 *   - the frame type: IMAGETYP 'Master Dark', 'MASTERFLAT', 'Master Bias' (PixInsight's WBPP,
 *     APP, N.I.N.A.).
 */
export const COMBINED_COUNT_KEYWORDS = ['NCOMBINE', 'STACKCNT', 'NFRAMES', 'NUMFRAMES'] as const;

/** `ImageIntegration.numberOfImages: 20` (PixInsight) or `imcombine … 20 images` and the like. */
const HISTORY_COUNT = /(?:numberofimages|images combined|frames combined|stacked frames)\D{0,4}(\d{1,6})/i;
const HISTORY_STACKING = /imageintegration|imcombine|deepskystacker|\bstack(?:ing|ed)\b|integration of \d+/i;

/** A header whose commentary cards can be read (the FITS package's Header; HeaderView passes it on). */
export interface CommentaryHeader extends HeaderLike {
  getAll(key: string): Card[];
}

function hasCommentary(header: HeaderLike): header is CommentaryHeader {
  return typeof (header as Partial<CommentaryHeader>).getAll === 'function';
}

export interface MasterFrame {
  combined: Resolved<number>;
  master: boolean;
  source?: string;
}

/** Whether a frame is a master, and how many exposures it combines when the header says. */
export function resolveMasterFrame(
  header: HeaderLike,
  history: readonly string[],
  imageTypeRaw: string | null,
): MasterFrame {
  let combined: Resolved<number> = { value: null, reason: `no ${COMBINED_COUNT_KEYWORDS.join('/')} card` };
  for (const key of COMBINED_COUNT_KEYWORDS) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    const parsed = integerValue(raw, key);
    if (parsed.ok && parsed.value >= 1 && parsed.value <= 1_000_000) {
      combined = { value: parsed.value, source: key };
      break;
    }
    combined = { value: null, reason: parsed.ok ? `${key} ${parsed.value} is outside 1…1000000` : parsed.reason };
  }
  let historySays = false;
  for (const line of history) {
    const count = HISTORY_COUNT.exec(line);
    if (count?.[1] && combined.value === null) combined = { value: Number(count[1]), source: 'HISTORY' };
    if (count || HISTORY_STACKING.test(line)) historySays = true;
  }
  if (combined.value !== null && combined.value > 1) return { combined, master: true, source: combined.source };
  if (imageTypeRaw !== null && /master/i.test(imageTypeRaw)) return { combined, master: true, source: 'IMAGETYP' };
  if (historySays) return { combined, master: true, source: 'HISTORY' };
  return { combined, master: false };
}

/** The HISTORY lines of every header that has commentary cards, in order. */
export function historyLines(headers: readonly HeaderLike[]): string[] {
  const lines: string[] = [];
  for (const header of headers)
    if (hasCommentary(header))
      for (const card of header.getAll('HISTORY')) if (typeof card.value === 'string') lines.push(card.value);
  return lines;
}
