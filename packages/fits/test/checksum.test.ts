import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSums,
  encodeChecksum,
  fileChecksumStatus,
  onesComplementSum,
  verifyChecksums,
  verifyParsedChecksums,
} from '../src/checksum.js';
import { readStructure } from '../src/hdu.js';
import { bufferSource } from '../src/source.js';
import { concatBytes, headerBytes } from './support/fits-bytes.js';

/** The convention's C code (Appendix J): 16-bit halves, carries folded back in at the end. */
function referenceSum(bytes: Uint8Array): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    hi += (bytes[i]! << 8) | bytes[i + 1]!;
    lo += (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  let hicarry = Math.floor(hi / 65536);
  let locarry = Math.floor(lo / 65536);
  while (hicarry || locarry) {
    hi = (hi % 65536) + locarry;
    lo = (lo % 65536) + hicarry;
    hicarry = Math.floor(hi / 65536);
    locarry = Math.floor(lo / 65536);
  }
  return hi * 65536 + lo;
}

/** A one-HDU file of 16-bit pixels with CHECKSUM and DATASUM filled in as a writer would. */
function checksummedFile(pixels: Uint8Array): Uint8Array {
  const data = new Uint8Array(Math.ceil(pixels.length / 2880) * 2880);
  data.set(pixels);
  const datasum = onesComplementSum(data);
  const cards = (checksum: string) => [
    'SIMPLE  =                    T',
    'BITPIX  =                   16',
    'NAXIS   =                    1',
    `NAXIS1  = ${String(pixels.length / 2).padStart(20)}`,
    `CHECKSUM= '${checksum}'   / HDU checksum`,
    `DATASUM = '${datasum}'`.padEnd(30),
  ];
  const sum = addSums(onesComplementSum(headerBytes(cards('0000000000000000'))), datasum);
  return concatBytes(headerBytes(cards(encodeChecksum(~sum >>> 0))), data);
}

describe('ones-complement sums', () => {
  it('match the convention C code for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (raw) => {
        const bytes = raw.subarray(0, raw.length - (raw.length % 4));
        expect(onesComplementSum(bytes)).toBe(referenceSum(bytes));
      }),
    );
  });

  it('tell +0 (nothing but zeros) from -0 (a non-zero multiple of 2^32 - 1)', () => {
    expect(onesComplementSum(new Uint8Array(2880))).toBe(0);
    expect(onesComplementSum(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBe(0xffffffff);
    expect(onesComplementSum(Uint8Array.of(0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff))).toBe(0xffffffff);
    expect(onesComplementSum(Uint8Array.of(0x80, 0, 0, 0, 0x80, 0, 0, 0))).toBe(1);
  });
});

describe('CHECKSUM and DATASUM', () => {
  it('encode to printable characters without punctuation, so the HDU sums to -0', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 6000 }), (raw) => {
        const file = checksummedFile(raw.subarray(0, raw.length & ~1));
        const text = new TextDecoder().decode(file.subarray(4 * 80 + 11, 4 * 80 + 27));
        expect(text).toMatch(/^[0-9A-Za-z]{16}$/);
        expect(onesComplementSum(file)).toBe(0xffffffff);
        expect(verifyChecksums(file)).toEqual([
          { index: 0, checksum: 'ok', datasum: 'ok', computedDatasum: expect.any(String) },
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it('find any changed byte of the HDU', () => {
    const file = checksummedFile(Uint8Array.from({ length: 5000 }, (_, i) => (i * 37) & 0xff));
    for (const at of [380, 2879, 2880, 4000, file.length - 1]) {
      const changed = file.slice();
      changed[at]! ^= 0x04;
      const [hdu] = verifyChecksums(changed);
      expect(hdu?.checksum, `byte ${at}`).toBe('bad');
      expect(hdu?.datasum, `byte ${at}`).toBe(at < 2880 ? 'ok' : 'bad');
    }
  });

  it('sum up HDUs into one status per file', () => {
    const ok = { checksum: 'ok', datasum: 'ok' } as const;
    const none = { checksum: 'absent', datasum: 'absent' } as const;
    const bad = { checksum: 'ok', datasum: 'bad' } as const;
    expect(fileChecksumStatus([ok, ok])).toBe('ok');
    expect(fileChecksumStatus([ok, none])).toBe('partial');
    expect(fileChecksumStatus([none, none])).toBe('absent');
    expect(fileChecksumStatus([])).toBe('absent');
    expect(fileChecksumStatus([ok, bad, none])).toBe('bad');
  });

  it('are not looked for in bytes that are not FITS', () => {
    expect(verifyChecksums(new TextEncoder().encode('hello'.repeat(1000)))).toEqual([]);
  });
});

describe('checksums of headers already parsed', () => {
  const parsed = async (bytes: Uint8Array) =>
    verifyParsedChecksums(bytes, (await readStructure(bufferSource(bytes))).hdus);
  const extension = (cards: string[], data: Uint8Array) =>
    concatBytes(headerBytes(["XTENSION= 'IMAGE   '", 'BITPIX  =                    8', ...cards]), data);

  it('agree with the walk of the verifier, byte for byte', async () => {
    const first = checksummedFile(Uint8Array.from({ length: 5000 }, (_, i) => (i * 37) & 0xff));
    const plain = extension(
      [
        'NAXIS   =                    1',
        'NAXIS1  =                  100',
        'PCOUNT  =                    0',
        'GCOUNT  =                    1',
      ],
      new Uint8Array(2880).fill(7),
    );
    const withDatasum = extension(
      [
        'NAXIS   =                    1',
        'NAXIS1  =                 3000',
        'PCOUNT  =                    0',
        'GCOUNT  =                    1',
        "DATASUM = '12345'",
      ],
      new Uint8Array(5760).fill(9),
    );
    const file = concatBytes(first, plain, withDatasum);
    const files = [first, file, concatBytes(first, plain)];
    for (const at of [380, 3000, first.length + 10, file.length - 1]) {
      const changed = file.slice();
      changed[at]! ^= 0x04;
      files.push(changed);
    }
    for (const bytes of files) {
      const ours = await parsed(bytes);
      expect(ours).toBeDefined();
      expect(ours).toEqual(verifyChecksums(bytes));
    }
    expect((await parsed(file))?.map((h) => [h.checksum, h.datasum])).toEqual([
      ['ok', 'ok'],
      ['absent', 'absent'],
      ['absent', 'bad'],
    ]);
  });

  it('judge a data unit cut short as the verifier does', async () => {
    const file = checksummedFile(Uint8Array.from({ length: 9000 }, (_, i) => i & 0xff));
    for (const cut of [100, 2880, 5000]) {
      const bytes = file.subarray(0, file.length - cut);
      const ours = await parsed(bytes);
      expect(ours).toEqual(verifyChecksums(bytes));
      expect(ours?.[0]).toMatchObject({ checksum: 'bad', datasum: 'bad', reason: expect.stringMatching(/short/) });
    }
  });

  it('leave files with bytes after the last HDU to the verifier', async () => {
    const file = checksummedFile(new Uint8Array(400).fill(3));
    expect(await parsed(concatBytes(file, new Uint8Array(2880).fill(0x20)))).toBeUndefined();
  });
});
