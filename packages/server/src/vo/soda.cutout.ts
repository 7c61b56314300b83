/**
 * A SODA cutout as a FITS file: the pixels of a box of the frame's image HDU, with its header and
 * the world coordinates kept. Only the rows of the box are read (plane by plane for a cube).
 *
 *   cutoutFits(path, hduIndex, request, options): Promise<{ bytes, box }>
 *
 * The header is the original's with the reference pixel moved by the box's offset: CRPIX1/2 (and
 * with them SIP and TPV, which are relative to CRPIX), IRAF's LTV1/2, and DSS plate solutions'
 * CNPIX1/2, so that every pixel keeps its sky position (checked against astropy in the tests).
 */
import {
  type Card,
  readImage,
  type WriteBitpix,
  type WriteCard,
  type WriteCardValue,
  wcsFromHeader,
  writeFits,
} from '@aims/fits';
import { nodeInflate, openFits } from '@aims/fits/node';
import { DaliParameterError } from './dali-params.js';
import { pixelBox, type SodaRequest } from './soda.js';

/** Pixels a cutout may hold (all planes): 64 MB of float32 values, 128 MB as they are read. */
export const MAX_CUTOUT_PIXELS = 16_000_000;

const IMAGE_HDU_TYPES = new Set(['PRIMARY', 'IMAGE', 'COMPRESSED_IMAGE']);
const WRITABLE_BITPIX = new Set([8, 16, 32, -32, -64]);
/** Cards the writer makes, and checksums that the cutout would falsify. */
const DROPPED =
  /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|BZERO|BSCALE|END|CHECKSUM|DATASUM|ZHECKSUM|ZDATASUM)$/;

function writable(value: Card['value']): value is WriteCardValue {
  return value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number';
}

function shiftedCards(cards: readonly Card[], dx: number, dy: number): WriteCard[] {
  const out: WriteCard[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    if (DROPPED.test(card.key) || !writable(card.value)) continue;
    let value = card.value;
    if (typeof value === 'number') {
      // IRAF: logical = physical + LTV, so LTV moves with the origin as CRPIX does.
      if (card.key === 'CRPIX1' || card.key === 'LTV1') value -= dx;
      if (card.key === 'CRPIX2' || card.key === 'LTV2') value -= dy;
      if (card.key === 'CNPIX1') value += dx;
      if (card.key === 'CNPIX2') value += dy;
    }
    seen.add(card.key);
    out.push(
      card.commentary
        ? { key: card.key, comment: String(card.value ?? '') }
        : { key: card.key, value, comment: card.comment },
    );
  }
  // IRAF's physical coordinates: a cutout's pixel 1 is the original's pixel dx + 1.
  if (!seen.has('LTV1')) out.push({ key: 'LTV1', value: -dx, comment: 'cutout offset along axis 1 (IRAF)' });
  if (!seen.has('LTV2')) out.push({ key: 'LTV2', value: -dy, comment: 'cutout offset along axis 2 (IRAF)' });
  return out;
}

export interface CutoutResult {
  bytes: Uint8Array;
  /** 1-based inclusive [x1, x2, y1, y2] of the original image. */
  box: [number, number, number, number];
}

export async function cutoutFits(
  path: string,
  hduIndex: number,
  request: SodaRequest,
  options: { maxInflateRatio?: number; label: string },
): Promise<CutoutResult> {
  const fits = await openFits(
    path,
    options.maxInflateRatio === undefined ? {} : { gzip: { maxInflateRatio: options.maxInflateRatio } },
  );
  try {
    const hdus = fits.structure.hdus;
    const candidate = hdus[hduIndex];
    const isImage = (h: (typeof hdus)[number] | undefined) =>
      h !== undefined &&
      h.axes.length >= 2 &&
      (h.axes[0] ?? 0) > 0 &&
      (h.axes[1] ?? 0) > 0 &&
      IMAGE_HDU_TYPES.has(h.type);
    const hdu = isImage(candidate) ? candidate : hdus.find(isImage);
    if (!hdu) throw new DaliParameterError('this file holds no image');
    const [width = 0, height = 0, ...rest] = hdu.axes;
    const planes = rest.reduce((n, a) => n * a, 1);
    const box = pixelBox(request, wcsFromHeader(hdu.header) ?? null, width, height);
    if (!box) throw new DaliParameterError('the region does not overlap the image');
    const [x1, x2, y1, y2] = box;
    const w = x2 - x1 + 1;
    const h = y2 - y1 + 1;
    if (w * h * planes > MAX_CUTOUT_PIXELS)
      throw new DaliParameterError(
        `the cutout would hold ${w * h * planes} pixels, more than ${MAX_CUTOUT_PIXELS}: ask for a smaller region`,
      );
    const data = new Float64Array(w * h * planes);
    for (let plane = 0; plane < planes; plane++) {
      const read = await readImage(fits.source, hdu, {
        plane,
        rows: { start: y1 - 1, end: y2 },
        inflate: nodeInflate,
      });
      for (let row = 0; row < h; row++)
        data.set(read.data.subarray(row * width + x1 - 1, row * width + x2), (plane * h + row) * w);
    }
    const header = hdu.header;
    const bitpix = (WRITABLE_BITPIX.has(hdu.bitpix) ? hdu.bitpix : -64) as WriteBitpix;
    const integer = bitpix > 0;
    const bzero = integer ? (header.number('BZERO') ?? 0) : 0;
    const bscale = integer ? (header.number('BSCALE') ?? 1) : 1;
    // Undefined pixels read as NaN; integer data stores them as BLANK again.
    const blank = integer ? header.number('BLANK') : undefined;
    if (blank !== undefined) {
      const physical = blank * bscale + bzero;
      for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = physical;
    }
    const cards = shiftedCards(header.cards, x1 - 1, y1 - 1);
    cards.push({ key: 'HISTORY', comment: `AIMS SODA cutout of ${options.label}: x ${x1}-${x2}, y ${y1}-${y2}` });
    const bytes = writeFits([{ cards, bitpix, axes: [w, h, ...rest], data, bzero, bscale }]);
    return { bytes, box };
  } finally {
    await fits.close();
  }
}
