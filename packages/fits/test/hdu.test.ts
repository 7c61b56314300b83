import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsError, FitsErrorCode, ProblemCode } from '../src/errors.js';
import { readStructure } from '../src/hdu.js';
import { bufferSource } from '../src/source.js';
import { concatBytes, headerBytes } from './support/fits-bytes.js';
import { describeWithFixtures, fixture, fixtureFiles, itWithFixtures } from './support/fixtures.js';

async function structureOf(relative: string) {
  return readStructure(bufferSource(new Uint8Array(readFileSync(fixture(relative)))));
}

describeWithFixtures('readStructure on real files', () => {
  it('walks a primary image: offsets, data length and axes', async () => {
    const { hdus, problems, size } = await structureOf('nom-tam-fits/m13.fits');
    expect(hdus).toHaveLength(1);
    const [primary] = hdus;
    expect(primary).toMatchObject({ index: 0, type: 'PRIMARY', headerOffset: 0, bitpix: 16, axes: [300, 300] });
    expect(primary!.dataLength).toBe(300 * 300 * 2);
    expect(primary!.dataOffset % 2880).toBe(0);
    expect(size).toBe(primary!.dataOffset + Math.ceil(primary!.dataLength / 2880) * 2880);
    expect(problems).toEqual([]);
  });

  it('shows a tile-compressed image as the image it holds', async () => {
    const { hdus } = await structureOf('nom-tam-fits/m13_rice.fits');
    expect(hdus.map((h) => h.type)).toEqual(['PRIMARY', 'COMPRESSED_IMAGE']);
    const image = hdus[1]!;
    expect(image.bitpix).toBe(16);
    expect(image.axes).toEqual([300, 300]);
    expect(image.header.get('BITPIX')).toBe(16);
    expect(image.header.get('NAXIS1')).toBe(300);
    // m13_rice.fits holds a primary image (ZSIMPLE = T): astropy shows SIMPLE, no XTENSION/PCOUNT/GCOUNT.
    expect(image.header.get('SIMPLE')).toBe(true);
    expect(image.header.has('XTENSION')).toBe(false);
    expect(image.header.has('PCOUNT')).toBe(false);
    expect(image.header.cards.at(-1)!.key).toBe('EXTEND');
    expect(image.header.has('ZCMPTYPE')).toBe(false);
    expect(image.header.has('TTYPE1')).toBe(false);
    expect(image.header.cards.slice(0, 3).map((c) => c.key)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS']);
    expect(image.header.cards[1]!.raw.startsWith('BITPIX  =                   16')).toBe(true);
    expect(image.rawHeader.get('XTENSION')).toBe('BINTABLE');
    expect(image.rawHeader.get('ZCMPTYPE')).toBe('RICE_1');
    expect(image.dataLength).toBe(
      image.rawHeader.integer('NAXIS1')! * image.rawHeader.integer('NAXIS2')! + image.rawHeader.integer('PCOUNT')!,
    );
  });

  it('reads random groups with the groups size rule', async () => {
    const { hdus } = await structureOf('cds-astro-fitsrs/Random_Groups.fits');
    const primary = hdus[0]!;
    expect(primary.type).toBe('RANDOM_GROUPS');
    const h = primary.header;
    const groupElements = h.integer('PCOUNT')! + primary.axes.slice(1).reduce((a, b) => a * b, 1);
    expect(primary.dataLength).toBe((Math.abs(primary.bitpix) / 8) * h.integer('GCOUNT')! * groupElements);
    expect(hdus[1]!.type).toBe('BINTABLE');
  });

  it('walks every extension of a multi-extension file', async () => {
    const nicmos = await structureOf('cds-astro-fitsrs/HST_NICMOS.fits');
    expect(nicmos.hdus.map((h) => h.type)).toEqual(['PRIMARY', 'IMAGE', 'IMAGE', 'IMAGE', 'IMAGE', 'IMAGE']);
    const testprog = await structureOf('esheldon-fitsio-cfitsio/testprog.std');
    expect(testprog.hdus).toHaveLength(8);
    expect(testprog.hdus.map((h) => h.type)).toContain('TABLE');
  });

  it('records trailing junk after the last HDU (Astro_UIT.fits)', async () => {
    const { hdus, problems } = await structureOf('cds-astro-fitsrs/Astro_UIT.fits');
    expect(hdus).toHaveLength(1);
    expect(problems.map((p) => p.code)).toContain(ProblemCode.TRAILING_BYTES);
  });

  it('records a missing final padding and a float BLANK (Npix8.fits)', async () => {
    const { hdus, problems } = await structureOf('cds-astro-fitsrs/Npix8.fits');
    expect(hdus).toHaveLength(1);
    const codes = problems.map((p) => p.code);
    expect(codes).toContain(ProblemCode.MISSING_PADDING);
    expect(codes).toContain(ProblemCode.FLOAT_BLANK);
    expect(problems.find((p) => p.code === ProblemCode.FLOAT_BLANK)).toMatchObject({ cardIndex: 5, byteOffset: 400 });
  });

  it('reads every fixture that is not gzip without an exception', async () => {
    let read = 0;
    for (const path of fixtureFiles()) {
      const bytes = new Uint8Array(readFileSync(path));
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) continue;
      const { hdus } = await readStructure(bufferSource(bytes));
      expect(hdus.length, path).toBeGreaterThan(0);
      read++;
    }
    expect(read).toBeGreaterThan(50);
  });
});

describe('readStructure on hostile input', () => {
  const primary = (cards: string[]) => headerBytes(['SIMPLE  =                    T', ...cards]);

  it('rejects an empty file and a file that is not FITS', async () => {
    await expect(readStructure(bufferSource(new Uint8Array(0)))).rejects.toMatchObject({
      code: FitsErrorCode.NOT_FITS,
    });
    const text = new TextEncoder().encode('hello, this is not FITS at all\n'.repeat(200));
    await expect(readStructure(bufferSource(text))).rejects.toMatchObject({
      code: FitsErrorCode.NOT_FITS,
      byteOffset: 0,
    });
  });

  it('checks NAXIS against the limit before reading the axes', async () => {
    const bytes = primary(['BITPIX  =                   16', 'NAXIS   =                 1000']);
    const error = await readStructure(bufferSource(bytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FitsError);
    expect(error).toMatchObject({ code: FitsErrorCode.TOO_LARGE, cardIndex: 2, byteOffset: 160 });
  });

  it('rejects a bad BITPIX and a negative axis with their card', async () => {
    await expect(
      readStructure(bufferSource(primary(['BITPIX  =                   12', 'NAXIS   = 0']))),
    ).rejects.toMatchObject({
      code: FitsErrorCode.BAD_MANDATORY,
      cardIndex: 1,
    });
    await expect(
      readStructure(bufferSource(primary(['BITPIX  = 8', 'NAXIS   = 1', 'NAXIS1  = -5']))),
    ).rejects.toMatchObject({ code: FitsErrorCode.BAD_MANDATORY, cardIndex: 3 });
  });

  it('reports a huge NAXIS1 as a truncated data unit, without allocating it', async () => {
    const bytes = primary(['BITPIX  = 8', 'NAXIS   = 2', 'NAXIS1  = 99999999999', 'NAXIS2  = 10']);
    const { hdus, problems } = await readStructure(bufferSource(bytes));
    expect(hdus[0]!.dataLength).toBe(999999999990);
    expect(problems).toEqual([expect.objectContaining({ code: ProblemCode.DATA_TRUNCATED, byteOffset: 2880 })]);
  });

  it('refuses a data size beyond 2^53', async () => {
    const bytes = primary([
      'BITPIX  = -64',
      'NAXIS   = 3',
      'NAXIS1  = 99999999999',
      'NAXIS2  = 99999999999',
      'NAXIS3  = 9',
    ]);
    await expect(readStructure(bufferSource(bytes))).rejects.toMatchObject({ code: FitsErrorCode.TOO_LARGE });
  });

  it('turns a damaged extension into a problem and keeps the primary', async () => {
    const ext = headerBytes([
      "XTENSION= 'IMAGE   '",
      'BITPIX  = 16',
      'NAXIS   = 1',
      'NAXIS1  = 4',
      'PCOUNT  = -1',
      'GCOUNT  = 1',
    ]);
    const bytes = concatBytes(primary(['BITPIX  = 8', 'NAXIS   = 0', 'EXTEND  = T']), ext, new Uint8Array(2880));
    const { hdus, problems } = await readStructure(bufferSource(bytes));
    expect(hdus).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({ code: ProblemCode.BAD_HDU, hduIndex: 1, byteOffset: 2880 + 4 * 80 }),
    ]);
  });

  itWithFixtures('stops after maxHdus', async () => {
    const { hdus } = await structureOf('cds-astro-fitsrs/HST_NICMOS.fits');
    const bytes = new Uint8Array(readFileSync(fixture('cds-astro-fitsrs/HST_NICMOS.fits')));
    const first = await readStructure(bufferSource(bytes), { maxHdus: 2 });
    expect(first.hdus).toEqual(hdus.slice(0, 2));
  });
});
