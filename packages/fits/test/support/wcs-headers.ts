import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BLOCK_SIZE, CARD_LENGTH } from '../../src/constants.js';
import { readStructure } from '../../src/hdu.js';
import { type Header, parseHeader } from '../../src/header.js';
import { bufferSource } from '../../src/source.js';
import { ASTROPY_PACKAGE_DIR, HAVE_ASTROPY_DATA } from './astropy-data.js';

/** FITS files and bare headers (.hdr) in astropy's io.fits and wcs test data. */
export function astropyWcsTestFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      // io/fits/tests/data/invalid holds deliberately broken files for the reader's own tests.
      if (statSync(path).isDirectory()) {
        if (name !== 'invalid') walk(path);
      } else if (/\.(fits|fit|fz|hdr)(\.gz)?$/i.test(name)) out.push(path);
    }
  };
  if (!HAVE_ASTROPY_DATA) return out;
  walk(join(ASTROPY_PACKAGE_DIR, 'io/fits/tests/data'));
  walk(join(ASTROPY_PACKAGE_DIR, 'wcs/tests/data'));
  return out;
}

/**
 * Every HDU's header of a FITS file, as `readStructure` gives them (a tile-compressed image shows
 * the header of the image it holds), or the one header of a .hdr file (card images with or without
 * newlines, with or without END).
 */
export async function readHeaders(path: string): Promise<Header[]> {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (path.endsWith('.hdr')) {
    const text = Buffer.from(bytes).toString('latin1');
    const cards = text.includes('\n')
      ? text.split('\n').map((line) => line.replace(/\r$/, '').padEnd(CARD_LENGTH).slice(0, CARD_LENGTH))
      : (text.match(/[\s\S]{1,80}/g) ?? []).map((card) => card.padEnd(CARD_LENGTH));
    if (!cards.some((card) => card.startsWith('END     '))) cards.push('END'.padEnd(CARD_LENGTH));
    let joined = cards.join('');
    joined = joined.padEnd(Math.ceil(joined.length / BLOCK_SIZE) * BLOCK_SIZE);
    return [parseHeader(Buffer.from(joined, 'latin1'), 0).header];
  }
  const structure = await readStructure(bufferSource(bytes));
  return structure.hdus.map((hdu) => hdu.header);
}
