import type { HeaderLike } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { fixture } from '../../support/fixtures.js';

/**
 * The headers normalization gets for a fixture, as ingest passes them: the primary, then the first
 * image extension when the primary holds no pixels (HST NICMOS, tile-compressed files).
 */
export async function fixtureHeaders(relative: string): Promise<HeaderLike[]> {
  const file = await openFits(fixture(relative));
  try {
    const [primary, ...rest] = file.structure.hdus;
    if (!primary) throw new Error(`${relative}: no HDU`);
    const primaryHasPixels = primary.axes.length > 0 && primary.axes.every((n) => n > 0);
    const image = primaryHasPixels
      ? undefined
      : rest.find((hdu) => hdu.type === 'IMAGE' || hdu.type === 'COMPRESSED_IMAGE');
    return image ? [primary.header, image.header] : [primary.header];
  } finally {
    await file.close();
  }
}
