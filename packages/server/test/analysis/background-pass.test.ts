import { describe, expect, it } from 'vitest';
import {
  CLIPPED_SIGMA_FACTOR,
  clippedSigmaFactor,
  clippedStatistics,
  estimateBackground,
  interpolateRow,
  type PixelTally,
  subtractLevel,
} from '../../src/analysis/background.js';
import { medianInPlace, medianWithin } from '../../src/analysis/order-statistics.js';
import { createRandom } from '../support/synthetic-psf.js';

/** A sky of level 1000 and σ 30 with a gradient, a few bright pixels and NaNs. */
function sky(width: number, height: number, seed: number): Float32Array {
  const { uniform: random, normal } = createRandom(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(1000 + 0.05 * (i % width) + 30 * normal());
  for (let k = 0; k < 200; k++) data[Math.floor(random() * data.length)] = 60000;
  for (let k = 0; k < 50; k++) data[Math.floor(random() * data.length)] = Number.NaN;
  return data;
}

describe('the background pass over the frame', () => {
  it('fills the tally with every stride-th finite pixel in index order and the maximum with its count', () => {
    const width = 300;
    const height = 190;
    const data = sky(width, height, 3);
    const stride = 7;
    const tally: PixelTally = {
      stride,
      sample: new Float64Array(Math.ceil(data.length / stride)),
      sampled: 0,
      max: 0,
      atMax: 0,
    };
    estimateBackground({ width, height, data }, {}, tally);
    const expected = [];
    for (let i = 0; i < data.length; i += stride) if (Number.isFinite(data[i]!)) expected.push(data[i]!);
    expect(Array.from(tally.sample.subarray(0, tally.sampled))).toEqual(expected);
    expect(tally.max).toBe(60000);
    expect(tally.atMax).toBe(data.filter((v) => v === 60000).length);
  });

  it('measures each box as clippedStatistics does from the box values alone', () => {
    const width = 128;
    const height = 64;
    const data = sky(width, height, 5);
    const background = estimateBackground({ width, height, data }, { filterSize: 1 });
    for (let i = 0; i < 2; i++) {
      const values: number[] = [];
      for (let y = 0; y < 64; y++)
        for (let x = i * 64; x < (i + 1) * 64; x++)
          if (Number.isFinite(data[y * width + x]!)) values.push(data[y * width + x]!);
      const alone = clippedStatistics(Float32Array.from(values), values.length)!;
      expect(background.level[i]).toBe(Math.fround(alone.level));
      expect(background.rms[i]).toBe(Math.fround(alone.rms));
    }
  });

  it('subtracts the same interpolated level as interpolateRow gives, row by row', () => {
    const width = 333;
    const height = 201;
    const data = sky(width, height, 9);
    const background = estimateBackground({ width, height, data }, { boxSize: 32 });
    const out = new Float32Array(width * height);
    subtractLevel(background, data, width, height, out);
    const expected = new Float32Array(width * height);
    const row = new Float32Array(width);
    for (let y = 0; y < height; y++) {
      interpolateRow(background, 'level', y, width, row);
      for (let x = 0; x < width; x++) {
        const d = data[y * width + x]! - row[x]!;
        expected[y * width + x] = Number.isFinite(d) ? d : 0;
      }
    }
    expect(out).toEqual(expected);
  });
});

it('the clipped σ factor is the one the truncated normal gives', () => {
  expect(CLIPPED_SIGMA_FACTOR).toBe(clippedSigmaFactor());
});

describe('medianWithin', () => {
  const random = createRandom(11).uniform;
  const cases: Array<[string, Float64Array, number, number]> = [
    ['odd count, middle inside the range', Float64Array.from({ length: 10001 }, () => 100 + 10 * random()), 90, 120],
    ['even count', Float64Array.from({ length: 4000 }, () => Math.round(50 * random())), 0, 60],
    ['many equal values', Float64Array.from({ length: 999 }, (_, i) => (i % 3 ? 7 : 8)), 6, 9],
    ['middle below the range: falls back', Float64Array.from({ length: 500 }, () => random()), 5, 6],
    ['middle above the range: falls back', Float64Array.from({ length: 501 }, () => 10 + random()), 0, 1],
    ['an empty range: falls back', Float64Array.from({ length: 64 }, () => random()), 1, 1],
    ['two values', Float64Array.of(3, 1), 0, 4],
  ];
  for (const [name, values, lo, hi] of cases)
    it(`${name}: the value medianInPlace gives, the input left in its order`, () => {
      const before = Float64Array.from(values);
      const expected = medianInPlace(Float64Array.from(values), values.length);
      expect(medianWithin(values, values.length, lo, hi)).toBe(expected);
      expect(values).toEqual(before);
    });
});
