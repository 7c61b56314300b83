import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsErrorCode, ProblemCode } from '../src/errors.js';
import { readStructure } from '../src/hdu.js';
import { fileSource, gzipSource, nodeInflate, openFits } from '../src/node.js';
import type { ByteSource } from '../src/types.js';
import { headerBytes } from './support/fits-bytes.js';
import { describeWithFixtures, fixture, itWithFixtures } from './support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-fits-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts the bytes a source hands out, to prove that data units are skipped, not read. */
function counting(source: ByteSource): ByteSource & { bytesRead: number } {
  const counted = {
    bytesRead: 0,
    get size() {
      return source.size;
    },
    async read(offset: number, length: number) {
      const bytes = await source.read(offset, length);
      counted.bytesRead += bytes.length;
      return bytes;
    },
  };
  return counted;
}

describe('fileSource', () => {
  itWithFixtures('reads the byte ranges asked for and short reads at the end', async () => {
    const path = fixture('nom-tam-fits/m13.fits');
    const whole = readFileSync(path);
    const source = await fileSource(path);
    try {
      expect(source.size).toBe(whole.length);
      expect(Buffer.from(await source.read(2880, 100))).toEqual(whole.subarray(2880, 2980));
      expect((await source.read(whole.length - 10, 100)).length).toBe(10);
      expect((await source.read(whole.length + 10, 100)).length).toBe(0);
    } finally {
      await source.close?.();
    }
  });

  it('walks the headers of a 14 GB file without reading its data', async () => {
    const path = join(dir, 'huge.fits');
    const naxis1 = 100_000;
    const naxis2 = 70_000;
    const primary = headerBytes([
      'SIMPLE  = T',
      'BITPIX  = 16',
      'NAXIS   = 2',
      `NAXIS1  = ${naxis1}`,
      `NAXIS2  = ${naxis2}`,
      'EXTEND  = T',
    ]);
    const dataLength = naxis1 * naxis2 * 2;
    const ext = headerBytes([
      "XTENSION= 'IMAGE   '",
      'BITPIX  = 8',
      'NAXIS   = 1',
      'NAXIS1  = 10',
      'PCOUNT  = 0',
      'GCOUNT  = 1',
    ]);
    const extOffset = primary.length + Math.ceil(dataLength / 2880) * 2880;
    writeFileSync(path, primary);
    truncateSync(path, extOffset + ext.length + 2880); // sparse: takes no disk space
    const { open } = await import('node:fs/promises');
    const handle = await open(path, 'r+');
    await handle.write(ext, 0, ext.length, extOffset);
    await handle.close();

    const file = await fileSource(path);
    const source = counting(file);
    const { hdus, problems } = await readStructure(source);
    await file.close?.();
    expect(hdus.map((h) => h.dataLength)).toEqual([dataLength, 10]);
    expect(hdus[1]!.headerOffset).toBe(extOffset);
    expect(problems).toEqual([]);
    expect(source.bytesRead).toBeLessThan(100_000);
  });
});

describeWithFixtures('openFits', () => {
  it('detects whole-file gzip by its magic bytes whatever the name (.totsky.gz)', async () => {
    const fits = await openFits(fixture('nom-tam-fits/ad43021000gis25670_lo.totsky.gz'));
    try {
      expect(fits.gzip).toBe(true);
      expect(fits.structure.hdus[0]).toMatchObject({ type: 'PRIMARY', bitpix: 32, axes: [256, 256] });
      expect(fits.structure.hdus[0]!.header.get('TELESCOP')).toBe('ASCA');
      // Data reads come from the decompressed stream.
      const hdu = fits.structure.hdus[0]!;
      const data = await fits.source.read(hdu.dataOffset, hdu.dataLength);
      expect(data.length).toBe(hdu.dataLength);
    } finally {
      await fits.close();
    }
  });

  it('reads a plain file and gives the same structure as the gzip of it', async () => {
    const plain = readFileSync(fixture('cds-astro-fitsrs/HST_NICMOS.fits'));
    const gzPath = join(dir, 'nicmos.fz');
    writeFileSync(gzPath, gzipSync(plain));
    const a = await openFits(fixture('cds-astro-fitsrs/HST_NICMOS.fits'));
    const b = await openFits(gzPath);
    try {
      expect(a.gzip).toBe(false);
      expect(b.gzip).toBe(true);
      expect(b.structure.hdus.map((h) => [h.type, h.headerOffset, h.dataLength])).toEqual(
        a.structure.hdus.map((h) => [h.type, h.headerOffset, h.dataLength]),
      );
      expect(b.structure.size).toBe(plain.length);
      // A read behind what was kept restarts the stream and still gives the right bytes.
      expect(Buffer.from(await b.source.read(0, 80))).toEqual(plain.subarray(0, 80));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reports a gzip cut short as a truncated data unit', async () => {
    const plain = readFileSync(fixture('nom-tam-fits/m13.fits'));
    const path = join(dir, 'cut.fits.gz');
    const gz = gzipSync(plain);
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const fits = await openFits(path);
    try {
      expect(fits.structure.hdus).toHaveLength(1);
      expect(fits.structure.problems.map((p) => p.code)).toEqual([ProblemCode.DATA_TRUNCATED]);
    } finally {
      await fits.close();
    }
  });

  it('serves concurrent reads, forwards and backwards, with the right bytes', async () => {
    const plain = readFileSync(fixture('cds-astro-fitsrs/HST_FOS.fits'));
    const path = join(dir, 'fos.fits.gz');
    writeFileSync(path, gzipSync(plain));
    const source = gzipSource(path, { keepBytes: 0 });
    const ranges = [
      [30000, 5000],
      [0, 2880],
      [40000, 10000],
      [100, 50],
      [plain.length - 10, 100],
    ] as const;
    const reads = await Promise.all(ranges.map(([offset, length]) => source.read(offset, length)));
    await source.close();
    reads.forEach((bytes, i) => {
      const [offset, length] = ranges[i]!;
      expect(Buffer.from(bytes)).toEqual(plain.subarray(offset, offset + length));
    });
  });

  it('bounds decompression and single reads', async () => {
    const source = gzipSource(fixture('ericmandel-js9/i800400.fits.gz'), { maxDecompressedBytes: 100_000 });
    await expect(source.read(0, 200_000)).rejects.toMatchObject({ code: FitsErrorCode.TOO_LARGE });
    await source.close();
    const small = gzipSource(fixture('ericmandel-js9/i800400.fits.gz'), { maxReadBytes: 1000 });
    await expect(small.read(0, 5000)).rejects.toMatchObject({ code: FitsErrorCode.TOO_LARGE });
    await small.close();
  });

  it('rejects a corrupt gzip with FITS_BAD_COMPRESSION', async () => {
    const path = join(dir, 'corrupt.gz');
    const gz = gzipSync(readFileSync(fixture('nom-tam-fits/m13.fits')));
    for (let i = 20; i < 200; i++) gz[i] = 0xff - (gz[i] ?? 0);
    writeFileSync(path, gz);
    await expect(openFits(path)).rejects.toMatchObject({ code: FitsErrorCode.BAD_COMPRESSION });
  });
});

describe('nodeInflate', () => {
  it('inflates gzip and zlib streams and bounds the output', async () => {
    const data = new TextEncoder().encode('FITS '.repeat(1000));
    // The output is zlib's Buffer itself (a Uint8Array, whose native byte swaps the reader uses).
    expect(new Uint8Array(await nodeInflate(gzipSync(data)))).toEqual(data);
    expect(new Uint8Array(await nodeInflate(deflateSync(data)))).toEqual(data);
    // A small stream may be inflated synchronously, so its failure may be a throw: await both ways.
    const inflated = async (bytes: Uint8Array, max?: number) => nodeInflate(bytes, max);
    await expect(inflated(gzipSync(data), 100)).rejects.toMatchObject({ code: FitsErrorCode.BAD_COMPRESSION });
    await expect(inflated(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({
      code: FitsErrorCode.BAD_COMPRESSION,
    });
  });

  it('answers a tile-sized stream synchronously and a large one through the thread pool', async () => {
    const small = new TextEncoder().encode('FITS '.repeat(1000));
    const tile = nodeInflate(gzipSync(small), small.length);
    expect(tile).toBeInstanceOf(Uint8Array);
    expect(new Uint8Array(tile as Uint8Array)).toEqual(small);
    // Random bytes do not compress: 2 MB in is over the synchronous limit.
    const large = new Uint8Array(randomBytes(2 * 1024 * 1024));
    const pending = nodeInflate(deflateSync(large), large.length);
    expect(pending).toBeInstanceOf(Promise);
    expect(new Uint8Array(await pending)).toEqual(large);
    await expect((async () => nodeInflate(deflateSync(large), large.length - 1))()).rejects.toMatchObject({
      code: FitsErrorCode.BAD_COMPRESSION,
    });
  });

  describe("concatenated, into the caller's output", () => {
    const members = [1000, 1, 40_000, 7].map((n, k) => new TextEncoder().encode(`tile ${k} `.repeat(n)));
    const total = members.reduce((n, m) => n + m.length, 0);
    /** Bytes one after the other in a new array. */
    const joined = (parts: Uint8Array[]) => {
      const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    };
    const run = () => joined(members.map((m) => gzipSync(m)));
    const expected = joined(members);
    const concatenated = (data: Uint8Array, max: number, output?: Uint8Array) =>
      nodeInflate.concatenated!(data, max, output) as Uint8Array;
    const failure = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return error;
      }
      return undefined;
    };

    it('inflates every member into it, call after call', () => {
      const output = new Uint8Array(total + 100).fill(0xee);
      for (let call = 0; call < 3; call++) {
        const bytes = concatenated(run(), total, output);
        expect(bytes.buffer).toBe(output.buffer);
        expect(new Uint8Array(bytes)).toEqual(expected);
      }
      // Without an output (or one too small for a byte of room), zlib allocates one.
      expect(concatenated(run(), total).buffer).not.toBe(output.buffer);
      expect(new Uint8Array(concatenated(run(), total, new Uint8Array(total)))).toEqual(expected);
    });

    it('refuses corrupt, cut, oversized and trailing data, and works again after', () => {
      const output = new Uint8Array(total + 1);
      const corrupt = run();
      // In the third member's deflate data (the members take 565 bytes in all).
      for (let i = 200; i < 240; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
      const cut = run().subarray(0, run().length - 5);
      const trailing = new Uint8Array([...run(), 0x1f, 0x8b, 0x08, 0, 0, 0]);
      for (const [data, max] of [
        [corrupt, total],
        [cut, total],
        [run(), total - 1],
        [trailing, total],
      ] as const) {
        expect(failure(() => concatenated(data, max, output))).toMatchObject({ code: FitsErrorCode.BAD_COMPRESSION });
        expect(new Uint8Array(concatenated(run(), total, output))).toEqual(expected);
      }
    });
  });
});
