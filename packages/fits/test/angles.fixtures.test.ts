/**
 * Every pointing and site angle the fixtures write (OBJCTRA/OBJCTDEC, RA/DEC, TELRA/TELDEC,
 * SITELAT/SITELONG, LAT-OBS/LONG-OBS…), parsed here and by astropy.coordinates.Angle.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { parseDeclination, parseRightAscension, parseSexagesimal } from '../src/angles.js';
import { readStructure } from '../src/hdu.js';
import { bufferSource } from '../src/source.js';
import type { CardValue } from '../src/types.js';
import { describeWithFixtures, fixtureFiles, HAVE_FIXTURES, SYSTEM_PYTHON } from './support/fixtures.js';

/** Keywords and what they hold. OBJCTRA is hours by the convention of every program writing it. */
const KEYWORDS: Record<string, 'ra-hours' | 'ra' | 'dec' | 'angle'> = {
  OBJCTRA: 'ra-hours',
  OBJCTDEC: 'dec',
  RA: 'ra',
  DEC: 'dec',
  TELRA: 'ra',
  TELDEC: 'dec',
  OBJRA: 'ra',
  OBJDEC: 'dec',
  RA_OBJ: 'ra',
  DEC_OBJ: 'dec',
  RA_PNT: 'ra',
  DEC_PNT: 'dec',
  RA_NOM: 'ra',
  DEC_NOM: 'dec',
  SITELAT: 'angle',
  SITELONG: 'angle',
  LATITUDE: 'angle',
  LONGITUD: 'angle',
  'LAT-OBS': 'angle',
  'LONG-OBS': 'angle',
};

interface Sample {
  file: string;
  key: string;
  kind: (typeof KEYWORDS)[string];
  value: CardValue;
}

async function collect(): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const file of fixtureFiles()) {
    let bytes: Uint8Array = readFileSync(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    let hdus: Awaited<ReturnType<typeof readStructure>>['hdus'];
    try {
      hdus = (await readStructure(bufferSource(bytes))).hdus;
    } catch {
      continue; // not FITS: the structure tests cover those
    }
    for (const hdu of hdus) {
      for (const [key, kind] of Object.entries(KEYWORDS)) {
        const value = hdu.header.get(key);
        if (value !== undefined && (typeof value === 'string' || typeof value === 'number')) {
          samples.push({ file, key, kind, value });
        }
      }
    }
  }
  return samples;
}

/** astropy's reading of each sample in degrees (hours × 15 for right ascensions in hours). */
function astropyDegrees(samples: Sample[]): (number | null)[] {
  const script = `
import json, sys
from astropy.coordinates import Angle
import astropy.units as u
out = []
for kind, value in json.load(sys.stdin):
    try:
        sexagesimal = isinstance(value, str) and any(c in value.strip() for c in ' :hdms')
        hours = kind == 'ra-hours' or (kind == 'ra' and sexagesimal)
        out.append(Angle(value, unit=u.hourangle if hours else u.deg).deg)
    except Exception:
        out.append(None)
print(json.dumps(out))
`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', script], {
    input: JSON.stringify(samples.map((s) => [s.kind, s.value])),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`astropy failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as (number | null)[];
}

const samples = await collect();
const reference = HAVE_FIXTURES ? astropyDegrees(samples) : [];

describeWithFixtures('fixture angles against astropy.coordinates.Angle', () => {
  it('finds the fixtures’ pointing and site cards', () => {
    // MaxIm DL, ACP, INDI, Seestar, DSS, ESO, Kepler and ASCA headers all write some.
    expect(samples.length).toBeGreaterThan(40);
    expect(new Set(samples.map((s) => s.key)).size).toBeGreaterThan(8);
  });

  samples.forEach((sample, i) => {
    const name = sample.file.split('/').slice(-2).join('/');
    it(`${name} ${sample.key} = ${JSON.stringify(sample.value)}`, () => {
      const expected = reference[i];
      expect(expected, 'astropy reads it').not.toBeNull();
      let value: number | null;
      if (sample.kind === 'ra-hours') value = parseRightAscension(sample.value, 'hours');
      else if (sample.kind === 'ra') value = parseRightAscension(sample.value, 'auto');
      else if (sample.kind === 'dec') value = parseDeclination(sample.value);
      else value = typeof sample.value === 'number' ? sample.value : parseSexagesimal(sample.value);
      expect(value).not.toBeNull();
      expect(value as number).toBeCloseTo(expected as number, 9);
    });
  });
});
