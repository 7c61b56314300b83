/** A small FITS frame with a rotated TAN WCS, written for the DataLink/SODA and VO client tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFits } from '@aims/fits';

export const WIDTH = 200;
export const HEIGHT = 150;
export const SCALE_DEG = 2.7e-4; // ~1"/px
const ROTATION = (25 * Math.PI) / 180;

/** A 200×150 unsigned 16-bit frame near RA 150, Dec 2 with a rotated TAN WCS; pixel (x, y) holds x + 300·y. */
export function writeFrame(dir: string): { path: string; size: number } {
  const data = new Float64Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = x + 300 * y;
  const c = Math.cos(ROTATION) * SCALE_DEG;
  const s = Math.sin(ROTATION) * SCALE_DEG;
  const bytes = writeFits([
    {
      bitpix: 16,
      bzero: 32768,
      axes: [WIDTH, HEIGHT],
      data,
      cards: [
        { key: 'CTYPE1', value: 'RA---TAN' },
        { key: 'CTYPE2', value: 'DEC--TAN' },
        { key: 'CRVAL1', value: 150 },
        { key: 'CRVAL2', value: 2 },
        { key: 'CRPIX1', value: 100.5 },
        { key: 'CRPIX2', value: 75.5 },
        { key: 'CD1_1', value: -c },
        { key: 'CD1_2', value: s },
        { key: 'CD2_1', value: s },
        { key: 'CD2_2', value: c },
        { key: 'RADESYS', value: 'ICRS' },
        { key: 'OBJECT', value: 'test field' },
      ],
    },
  ]);
  const path = join(dir, 'field.fits');
  writeFileSync(path, bytes);
  return { path, size: bytes.length };
}
