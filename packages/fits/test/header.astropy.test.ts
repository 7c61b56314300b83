import { spawnSync } from 'node:child_process';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFitsError } from '../src/errors.js';
import { openFits } from '../src/node.js';
import type { Card, CardValue } from '../src/types.js';
import { ASTROPY_FITS_DATA, astropyTestFiles, astropyUnavailable, HAVE_ASTROPY_DATA } from './support/astropy-data.js';
import { FIXTURES_DIR, fixtureFiles, HAVE_FIXTURES, SYSTEM_PYTHON } from './support/fixtures.js';

/**
 * The oracle test: every card (key, value, comment) of every HDU of every fixture and of astropy's
 * own test files, compared with what astropy reads. Differences must be listed below with a reason.
 */

type Tagged =
  | ['bool', boolean]
  | ['int', string]
  | ['float', string]
  | ['complex', [string, string]]
  | ['str', string]
  | ['null', null]
  | ['other', string];
interface AstropyCard {
  key: string | null;
  value: Tagged | null;
  comment: string | null;
  error?: string;
}
interface AstropyFile {
  file: string;
  error?: string;
  hdus?: { index: number; type: string; layout: (number | null)[]; cards: AstropyCard[] }[];
}

/** Files astropy 5.2 cannot open at all: nothing to compare with. */
const ASTROPY_CANNOT_READ: Record<string, string> = {};

/**
 * Where we read differently from astropy on purpose, by file name and card key (no key: the whole
 * file). Each entry must still be needed: the test fails when one matches nothing.
 */
const KNOWN_DIFFERENCES: { file: string; key?: string; reason: string }[] = [
  {
    file: 'issue49test.fits',
    key: 'FILTER',
    reason:
      "`FILTER   ='0,0,0,0  '` has its '=' in column 10: astropy keeps the card as invalid text " +
      '(value " =\'0,0,0,0  \' / …"); we read the value the writer meant and record CARD_BAD_SYNTAX',
  },
  {
    file: 'group_invalid.fits',
    reason:
      'GROUPS = T with NAXIS = 0 (astropy keeps it in tests/data/invalid/): astropy repairs the header ' +
      '(inserts NAXIS1 = 0, sets NAXIS = 1) and calls it random groups; we show the header as written',
  },
];

function pyFloat(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  if (text === 'nan') return Number.NaN;
  return Number(text);
}

function closeTo(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** Why our value differs from astropy's, or undefined when they agree. */
function valueDifference(ours: CardValue, theirs: Tagged | null): string | undefined {
  if (theirs === null) return 'astropy could not read the value';
  const [kind, v] = theirs;
  const show = (x: CardValue) => (typeof x === 'bigint' ? `${x}n` : JSON.stringify(x));
  const differ = `ours ${show(ours)}, astropy ${kind} ${JSON.stringify(v)}`;
  switch (kind) {
    case 'bool':
    case 'str':
      return ours === v ? undefined : differ;
    case 'null':
      return ours === null ? undefined : differ;
    case 'int':
      if (typeof ours === 'bigint') return ours === BigInt(v) ? undefined : differ;
      return typeof ours === 'number' && Number.isInteger(ours) && BigInt(ours) === BigInt(v) ? undefined : differ;
    case 'float':
      return typeof ours === 'number' && closeTo(ours, pyFloat(v)) ? undefined : differ;
    case 'complex':
      return Array.isArray(ours) && closeTo(ours[0], pyFloat(v[0])) && closeTo(ours[1], pyFloat(v[1]))
        ? undefined
        : differ;
    default:
      return differ;
  }
}

function compareCards(ours: readonly Card[], theirs: AstropyCard[], where: string, out: string[]): void {
  if (ours.length !== theirs.length) {
    out.push(`${where}: ${ours.length} cards, astropy ${theirs.length}`);
  }
  const n = Math.min(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    const at = `${where} card ${i} (${a.key})`;
    if (a.key !== b.key) out.push(`${at}: key ours '${a.key}', astropy '${b.key}'`);
    const value = valueDifference(a.value, b.value);
    if (value) out.push(`${at}: value ${value}${b.error ? ` [astropy: ${b.error}]` : ''}`);
    if (b.comment !== null && a.comment !== b.comment)
      out.push(`${at}: comment ours '${a.comment}', astropy '${b.comment}'`);
  }
}

const knownUsed = new Set<number>();

function isKnown(difference: string, file: string): boolean {
  const at = KNOWN_DIFFERENCES.findIndex(
    (k) => k.file === basename(file) && (k.key === undefined || difference.includes(`(${k.key})`)),
  );
  if (at >= 0) knownUsed.add(at);
  return at >= 0;
}

const unavailable = !HAVE_FIXTURES || !HAVE_ASTROPY_DATA ? 'no shared fixtures or astropy data' : astropyUnavailable();

describe.skipIf(unavailable !== undefined)(`astropy oracle${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('reads every card of every HDU of every file as astropy does', async () => {
    const files = [...fixtureFiles(), ...astropyTestFiles()];
    expect(files.length).toBeGreaterThan(80);
    const script = new URL('./support/astropy-header.py', import.meta.url).pathname;
    const run = spawnSync(SYSTEM_PYTHON, [script, ...files], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const oracle = JSON.parse(run.stdout) as { astropy: string; files: AstropyFile[] };

    const differences: string[] = [];
    const skipped: string[] = [];
    let cardsCompared = 0;
    for (const [i, file] of files.entries()) {
      const theirs = oracle.files[i]!;
      const name = file.startsWith(FIXTURES_DIR)
        ? relative(FIXTURES_DIR, file)
        : `astropy:${relative(ASTROPY_FITS_DATA, file)}`;
      if (theirs.error) {
        const reason = ASTROPY_CANNOT_READ[basename(file)];
        if (reason) skipped.push(`${name}: astropy cannot read it (${theirs.error}); ${reason}`);
        else differences.push(`${name}: astropy cannot read it (${theirs.error}) and this is not documented`);
        continue;
      }
      let fits: Awaited<ReturnType<typeof openFits>>;
      try {
        fits = await openFits(file);
      } catch (error) {
        if (!isFitsError(error)) throw error;
        differences.push(
          `${name}: astropy reads ${theirs.hdus!.length} HDU(s), we refuse: ${error.code} ${error.message}`,
        );
        continue;
      }
      await fits.close();
      const ours = fits.structure.hdus;
      if (ours.length !== theirs.hdus!.length) {
        const d = `${name}: ${ours.length} HDU(s), astropy ${theirs.hdus!.length}`;
        if (!isKnown(d, file)) differences.push(d);
      }
      for (let h = 0; h < Math.min(ours.length, theirs.hdus!.length); h++) {
        const a = ours[h]!;
        const b = theirs.hdus![h]!;
        const found: string[] = [];
        if (a.type !== b.type) found.push(`${name} HDU ${h}: type ${a.type}, astropy ${b.type}`);
        const layout = [a.headerOffset, a.dataOffset, Math.ceil(a.dataLength / 2880) * 2880];
        if (JSON.stringify(layout) !== JSON.stringify(b.layout)) {
          found.push(`${name} HDU ${h}: header, data offset and padded data length ${layout}, astropy ${b.layout}`);
        }
        compareCards(a.header.cards, b.cards, `${name} HDU ${h}`, found);
        for (const d of found) if (!isKnown(d, file)) differences.push(d);
        cardsCompared += Math.min(a.header.cards.length, b.cards.length);
      }
    }
    console.info(
      `astropy ${oracle.astropy} oracle: ${files.length} files, ${cardsCompared} cards compared` +
        (skipped.length ? `\nskipped:\n  ${skipped.join('\n  ')}` : ''),
    );
    expect(differences).toEqual([]);
    expect(KNOWN_DIFFERENCES.filter((_, i) => !knownUsed.has(i)).map((k) => k.file)).toEqual([]);
    expect(cardsCompared).toBeGreaterThan(10_000);
  });
});
