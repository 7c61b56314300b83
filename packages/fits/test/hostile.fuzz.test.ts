import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { FitsError, FitsErrorCode, ProblemCode } from '../src/errors.js';
import { readStructure } from '../src/hdu.js';
import { openFits } from '../src/node.js';
import { bufferSource } from '../src/source.js';
import { describeWithFixtures, fixture, HAVE_FIXTURES } from './support/fixtures.js';

/**
 * Hostile input: real fixtures truncated, with bytes flipped, or with their sizes replaced by huge
 * ones. Reading must end in a FitsError with a code, or in HDUs plus a list of problems — never
 * another exception, a hang (the test timeout), or a large allocation.
 */

const FILES = [
  'nom-tam-fits/m13.fits',
  'nom-tam-fits/m13_rice.fits',
  'nom-tam-fits/issue49test.fits',
  'cds-astro-fitsrs/HST_FOS.fits',
  'cds-astro-fitsrs/IUE_LWP.fits',
  'esheldon-fitsio-cfitsio/testprog.std',
  'feder-observatory-stellarphot/cutout_for_fwhm_test.fits',
].map((f) => ({ name: f, bytes: HAVE_FIXTURES ? new Uint8Array(readFileSync(fixture(f))) : new Uint8Array() }));

const CODES = new Set<string>(Object.values(FitsErrorCode));
const PROBLEM_CODES = new Set<string>(Object.values(ProblemCode));
const MAX_GROWTH_BYTES = 64 * 1024 * 1024;

type Outcome = { kind: 'error'; code: string } | { kind: 'read'; hdus: number; problems: string[] };

/** Reads `bytes` and classifies the outcome; anything but a FitsError escapes and fails the test. */
async function outcome(bytes: Uint8Array): Promise<Outcome> {
  const before = process.memoryUsage().arrayBuffers;
  try {
    const structure = await readStructure(bufferSource(bytes));
    for (const p of structure.problems) expect(PROBLEM_CODES.has(p.code), p.code).toBe(true);
    return { kind: 'read', hdus: structure.hdus.length, problems: structure.problems.map((p) => p.code) };
  } catch (error) {
    if (!(error instanceof FitsError)) throw error;
    expect(CODES.has(error.code)).toBe(true);
    return { kind: 'error', code: error.code };
  } finally {
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(MAX_GROWTH_BYTES);
  }
}

/** Replaces the value of the first `KEY =` card (from byte `from`) with `value`, right-justified. */
function setCard(bytes: Uint8Array, key: string, value: string, from = 0): Uint8Array {
  const out = bytes.slice();
  const text = Buffer.from(out.buffer).toString('latin1');
  let at = from;
  for (;;) {
    at = text.indexOf(key.padEnd(8, ' ') + '= ', at);
    if (at < 0 || at % 80 === 0) break;
    at++;
  }
  if (at < 0) throw new Error(`no ${key} card`);
  const field = value.padStart(20, ' ');
  for (let i = 0; i < field.length; i++) out[at + 10 + i] = field.charCodeAt(i);
  return out;
}

/** The byte just after the primary header's END keyword (its eight bytes mark the end; the blanks after them may be cut). */
function firstEndKeywordEnd(bytes: Uint8Array): number {
  for (let at = 0; at + 8 <= bytes.length; at += 80) {
    if (String.fromCharCode(...bytes.subarray(at, at + 8)) === 'END     ') return at + 8;
  }
  throw new Error('no END card');
}

const fileArb = fc.constantFrom(...FILES);

describeWithFixtures('hostile FITS bytes', () => {
  it('truncated at any point', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.double({ min: 0, max: 1, noNaN: true }), async (file, at) => {
        const cut = Math.floor(at * file.bytes.length);
        const result = await outcome(file.bytes.subarray(0, cut));
        // Without the first END keyword there is no header to read; with it, the rest is a problem.
        if (cut < firstEndKeywordEnd(file.bytes)) expect(result.kind).toBe('error');
        else expect(result.kind).toBe('read');
        if (result.kind === 'read' && cut < file.bytes.length) expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('with bytes flipped anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 255 })),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        async (file, flips) => {
          const bytes = file.bytes.slice();
          for (const [where, value] of flips) bytes[Math.floor(where * bytes.length)] = value;
          await outcome(bytes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with bytes flipped inside the headers only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5759 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 10,
        }),
        async (file, flips) => {
          const bytes = file.bytes.slice();
          for (const [where, value] of flips) if (where < bytes.length) bytes[where] = value;
          await outcome(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cut after the END keyword, inside its card or the padding: the header reads, the cut is reported', async () => {
    const m13 = FILES[0]!.bytes;
    const endKeywordEnd = firstEndKeywordEnd(m13);
    expect(endKeywordEnd).toBeLessThan(2880);
    for (let cut = endKeywordEnd - 1; cut < 2880; cut++) {
      const result = await outcome(m13.subarray(0, cut));
      if (cut < endKeywordEnd) expect(result.kind).toBe('error');
      else expect(result).toEqual({ kind: 'read', hdus: 1, problems: [ProblemCode.HEADER_TRUNCATED] });
    }
    const structure = await readStructure(bufferSource(m13.subarray(0, 2100)));
    expect(structure.problems[0]).toMatchObject({ byteOffset: 2100, hduIndex: 0 });
    expect(structure.problems[0]!.message).toContain('byte 2100');
  });

  it('NAXIS1 = 99999999999: the data unit is reported cut short, nothing allocated', async () => {
    const m13 = FILES[0]!.bytes;
    expect(await outcome(setCard(m13, 'NAXIS1', '99999999999'))).toEqual({
      kind: 'read',
      hdus: 1,
      problems: [ProblemCode.DATA_TRUNCATED],
    });
    expect(await outcome(setCard(setCard(m13, 'NAXIS1', '99999999999'), 'NAXIS2', '99999999999'))).toEqual({
      kind: 'error',
      code: FitsErrorCode.TOO_LARGE,
    });
  });

  it('NAXIS = 1000 is over the limit', async () => {
    expect(await outcome(setCard(FILES[0]!.bytes, 'NAXIS', '1000'))).toEqual({
      kind: 'error',
      code: FitsErrorCode.TOO_LARGE,
    });
  });

  it('a huge PCOUNT in an extension ends the walk with a problem', async () => {
    const rice = FILES[1]!.bytes;
    const pcountAt = Buffer.from(rice.buffer).toString('latin1').indexOf('PCOUNT  = ', 2880);
    const result = await outcome(setCard(rice, 'PCOUNT', '999999999999999', pcountAt));
    expect(result).toEqual({ kind: 'read', hdus: 2, problems: [ProblemCode.DATA_TRUNCATED] });
    const beyond = await outcome(setCard(rice, 'PCOUNT', '99999999999999999999', pcountAt));
    expect(beyond).toEqual({ kind: 'read', hdus: 1, problems: [ProblemCode.BAD_HDU] });
  });

  it('negative and non-numeric sizes are refused with their code', async () => {
    const m13 = FILES[0]!.bytes;
    expect(await outcome(setCard(m13, 'NAXIS1', '-300'))).toEqual({ kind: 'error', code: FitsErrorCode.BAD_MANDATORY });
    expect(await outcome(setCard(m13, 'NAXIS2', "'300'"))).toEqual({
      kind: 'error',
      code: FitsErrorCode.BAD_MANDATORY,
    });
    expect(await outcome(setCard(m13, 'BITPIX', '7'))).toEqual({ kind: 'error', code: FitsErrorCode.BAD_MANDATORY });
  });

  it('a header that never ends stops at maxHeaderBytes', async () => {
    const cards = 'COMMENT '.padEnd(80, 'x').repeat(36 * 20);
    const bytes = Uint8Array.from(`SIMPLE  = T${' '.repeat(69)}${cards}`, (c) => c.charCodeAt(0));
    const error = await readStructure(bufferSource(bytes), { limits: { maxHeaderBytes: 28800 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: FitsErrorCode.TOO_LARGE });
  });
});

describeWithFixtures('hostile gzip files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aims-fits-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gz = gzipSync(FILES[3]!.bytes);

  it('truncated or corrupted anywhere', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (at, flip) => {
        const bytes = gz.slice();
        const where = Math.floor(at * bytes.length);
        if (flip) bytes.fill(0x55, where, Math.min(where + 8, bytes.length));
        const mutated = flip ? bytes : bytes.subarray(0, where);
        const path = join(dir, `f${n++}.gz`);
        writeFileSync(path, mutated);
        try {
          const fits = await openFits(path);
          await fits.close();
          for (const p of fits.structure.problems) expect(PROBLEM_CODES.has(p.code)).toBe(true);
        } catch (error) {
          if (!(error instanceof FitsError)) throw error;
          expect(CODES.has(error.code)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
