import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSums, encodeChecksum, fileChecksumStatus, onesComplementSum, verifyChecksums } from '../src/checksum.js';
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
