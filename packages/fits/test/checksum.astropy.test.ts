import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChecksumVerifier,
  fileChecksumStatus,
  type HduChecksum,
  verifyChecksums,
  verifyParsedChecksums,
} from '../src/checksum.js';
import { readStructure } from '../src/hdu.js';
import { bufferSource } from '../src/source.js';
import { astropyTestFiles, astropyUnavailable, HAVE_ASTROPY_DATA } from './support/astropy-data.js';
import { fixtureFiles, HAVE_FIXTURES, SYSTEM_PYTHON } from './support/fixtures.js';

/**
 * CHECKSUM and DATASUM against two oracles: astropy (HDU.verify_checksum/verify_datasum) on every
 * fixture and astropy test file, and fitsverify on files astropy wrote and we then damaged.
 */

type Verdict = Pick<HduChecksum, 'index' | 'checksum' | 'datasum'>;

function fileBytes(path: string): Uint8Array {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

function astropyVerdicts(files: string[]): (Verdict[] | { error: string })[] {
  const script = new URL('./support/astropy-checksums.py', import.meta.url).pathname;
  const run = spawnSync(SYSTEM_PYTHON, [script, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { files: (Verdict[] | { error: string })[] }).files;
}

/**
 * Files where astropy disagrees and fitsverify (cfitsio, which sums the bytes as written) sides
 * with us; the test checks that fitsverify indeed finds no checksum fault. Each entry must still
 * be needed.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'kplr010666592-2009131110544_slc.fits':
    'astropy sums the header as it would write it again, and rewrites some cards of the Kepler ' +
    'extensions, so their CHECKSUM fails in astropy though the bytes on disk sum to -0',
};

const unavailable = astropyUnavailable();
const tmp = mkdtempSync(join(tmpdir(), 'aims-checksum-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** fitsverify's checksum warnings, by HDU index (0-based). */
function fitsverifyChecksumWarnings(path: string): Map<number, string[]> {
  const run = spawnSync('fitsverify', [path], { encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  const out = new Map<number, string[]>();
  let hdu = -1;
  for (const line of run.stdout.split('\n')) {
    const section = /^=+ HDU (\d+):/.exec(line);
    if (section) hdu = Number(section[1]) - 1;
    else if (/checksum/i.test(line) && /\*\*\*/.test(line)) out.set(hdu, [...(out.get(hdu) ?? []), line.trim()]);
  }
  return out;
}

const haveFitsverify = spawnSync('fitsverify', ['-h'], { encoding: 'utf8' }).error === undefined;

describe.skipIf(unavailable !== undefined)(
  `checksums against astropy${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it.skipIf(!HAVE_FIXTURES || !HAVE_ASTROPY_DATA)(
      'agrees with astropy on every fixture and astropy test file',
      async () => {
        const files = [...fixtureFiles(), ...astropyTestFiles()].filter((f) => !f.endsWith('.md'));
        const theirs = astropyVerdicts(files);
        const differences: string[] = [];
        const used = new Set<string>();
        let carrying = 0;
        for (const [i, file] of files.entries()) {
          const verdict = theirs[i]!;
          if (!Array.isArray(verdict)) continue;
          const bytes = fileBytes(file);
          const full = verifyChecksums(bytes);
          // Ingest verifies from the headers it parsed: the same answer wherever it gives one.
          const structure = await readStructure(bufferSource(bytes)).catch(() => undefined);
          const fromParsed = structure && verifyParsedChecksums(bytes, structure.hdus);
          if (fromParsed) expect(fromParsed, basename(file)).toEqual(full);
          const ours = full.map(({ index, checksum, datasum }) => ({
            index,
            checksum,
            datasum,
          }));
          if (verdict.some((h) => h.checksum !== 'absent' || h.datasum !== 'absent')) carrying++;
          if (JSON.stringify(ours) === JSON.stringify(verdict)) continue;
          if (KNOWN_DIFFERENCES[basename(file)] !== undefined && haveFitsverify) {
            used.add(basename(file));
            expect(fitsverifyChecksumWarnings(file).size, `fitsverify on ${basename(file)}`).toBe(0);
            continue;
          }
          differences.push(`${basename(file)}: ours ${JSON.stringify(ours)}, astropy ${JSON.stringify(verdict)}`);
        }
        expect(differences).toEqual([]);
        expect([...used].sort()).toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
        // The fixtures carry checksums in several forms (plain, tile-compressed, gzip): they must be seen.
        expect(carrying).toBeGreaterThanOrEqual(10);
      },
    );

    it('says ok for what astropy writes, and bad for one flipped bit in the data or the header', () => {
      const path = join(tmp, 'written.fits');
      const script = [
        'import sys, numpy as np',
        'from astropy.io import fits',
        'd = np.arange(30000, dtype=np.int16).reshape(150, 200)',
        't = fits.BinTableHDU.from_columns([fits.Column(name="x", format="D", array=np.linspace(0, 1, 77))])',
        'fits.HDUList([fits.PrimaryHDU(d), fits.ImageHDU(d.astype(np.float32) / 7), t]).writeto(sys.argv[1], checksum=True)',
      ].join('\n');
      const run = spawnSync(SYSTEM_PYTHON, ['-c', script, path], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const good = readFileSync(path);
      const results = verifyChecksums(good);
      expect(results.map((r) => [r.checksum, r.datasum])).toEqual([
        ['ok', 'ok'],
        ['ok', 'ok'],
        ['ok', 'ok'],
      ]);
      expect(fileChecksumStatus(results)).toBe('ok');

      // One bit in the pixels of the image extension: its data and the HDU fail, the others do not.
      const hdu1Data = good.indexOf("XTENSION= 'IMAGE") + 2880;
      const dataFlip = Buffer.from(good);
      dataFlip[hdu1Data + 1000]! ^= 0x10;
      const broken = verifyChecksums(dataFlip);
      expect(broken.map((r) => [r.checksum, r.datasum])).toEqual([
        ['ok', 'ok'],
        ['bad', 'bad'],
        ['ok', 'ok'],
      ]);
      expect(broken[1]!.reason).toMatch(/DATASUM says/);
      expect(fileChecksumStatus(broken)).toBe('bad');
      const brokenPath = join(tmp, 'data-flip.fits');
      writeFileSync(brokenPath, dataFlip);
      expect(astropyVerdicts([brokenPath])[0]).toEqual(
        broken.map(({ index, checksum, datasum }) => ({ index, checksum, datasum })),
      );

      // One bit of a comment in the primary header: CHECKSUM fails, DATASUM still holds.
      const headerFlip = Buffer.from(good);
      const at = headerFlip.indexOf('BITPIX');
      headerFlip[at + 60]! ^= 0x01;
      expect(verifyChecksums(headerFlip).map((r) => [r.checksum, r.datasum])[0]).toEqual(['bad', 'ok']);

      if (haveFitsverify) {
        expect(fitsverifyChecksumWarnings(path).size).toBe(0);
        const warned = fitsverifyChecksumWarnings(brokenPath);
        expect([...warned.keys()]).toEqual([1]);
        expect(warned.get(1)).toHaveLength(2);
      }
    });

    it('gives the same answer whatever the chunks the bytes arrive in', () => {
      const path = join(tmp, 'chunks.fits');
      const script = [
        'import sys, numpy as np',
        'from astropy.io import fits',
        'rng = np.random.default_rng(7)',
        'hdus = [fits.PrimaryHDU()] + [fits.ImageHDU(rng.integers(0, 2**31, size=(n, 13), dtype=np.int32)) for n in (1, 50, 333)]',
        'fits.HDUList(hdus).writeto(sys.argv[1], checksum=True)',
      ].join('\n');
      const run = spawnSync(SYSTEM_PYTHON, ['-c', script, path], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const bytes = new Uint8Array(readFileSync(path));
      const whole = verifyChecksums(bytes);
      expect(whole.map((r) => r.checksum)).toEqual(['ok', 'ok', 'ok', 'ok']);
      for (const size of [1, 3, 7, 1000, 2880, 2881, 65536]) {
        const verifier = new ChecksumVerifier();
        // Odd offsets into a larger buffer too: the summing must not depend on alignment in memory.
        const shifted = new Uint8Array(bytes.length + 1);
        shifted.set(bytes, 1);
        const view = shifted.subarray(1);
        for (let at = 0; at < view.length; at += size) verifier.update(view.subarray(at, at + size));
        expect(verifier.finish(), `chunks of ${size}`).toEqual(whole);
      }
      const cut = new ChecksumVerifier();
      cut.update(bytes.subarray(0, bytes.length - 100));
      const short = cut.finish();
      expect(short.at(-1)).toMatchObject({ checksum: 'bad', datasum: 'bad', reason: expect.stringMatching(/short/) });
    });
  },
);
