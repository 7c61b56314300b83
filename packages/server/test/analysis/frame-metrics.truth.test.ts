import { describe, expect, it } from 'vitest';
import { backgroundMap, estimateBackground } from '../../src/analysis/background.js';
import { analyzeFrame, measureFrame, median } from '../../src/analysis/frame-metrics.js';
import type { Star } from '../../src/analysis/stars.js';
import { generateFrame, type SyntheticFrame, type TruthStar } from '../support/synthetic-frames.js';

/** Truth stars above SNR 10 that a detection lies within 1.5 px of. */
function recall(frame: SyntheticFrame, stars: Star[], minSnr = 10): { found: number; total: number } {
  const wanted = frame.truth.stars.filter((s) => s.snr >= minSnr);
  const grid = new Map<string, Star[]>();
  for (const s of stars) {
    const key = `${Math.floor(s.x / 8)},${Math.floor(s.y / 8)}`;
    grid.set(key, [...(grid.get(key) ?? []), s]);
  }
  const near = (t: TruthStar) => {
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        for (const s of grid.get(`${Math.floor(t.x / 8) + dx},${Math.floor(t.y / 8) + dy}`) ?? [])
          if (Math.hypot(s.x - t.x, s.y - t.y) < 1.5) return true;
    return false;
  };
  return { found: wanted.filter(near).length, total: wanted.length };
}

const relative = (measured: number | null, truth: number) => Math.abs((measured ?? Number.NaN) - truth) / truth;

describe('light frames against truth, every BITPIX', () => {
  const cases = [
    { bitpix: 16, psf: 'gaussian', fwhm: 3, background: 1000 },
    { bitpix: 8, psf: 'gaussian', fwhm: 2.5, background: 40, minFlux: 300, maxFlux: 8000, readNoise: 2 },
    { bitpix: 32, psf: 'gaussian', fwhm: 4, background: 5000 },
    { bitpix: -32, psf: 'gaussian', fwhm: 2, background: 800 },
    { bitpix: -64, psf: 'gaussian', fwhm: 5, background: 1500 },
  ] as const;
  for (const c of cases)
    it(`BITPIX ${c.bitpix}, ${c.psf} FWHM ${c.fwhm}: FWHM ±5%, background ±1%, noise ±5%, recall ≥ 90%`, () => {
      const frame = generateFrame({
        width: 768,
        height: 640,
        seed: 11 + c.bitpix,
        bitpix: c.bitpix,
        background: c.background,
        readNoise: 'readNoise' in c ? c.readNoise : 5,
        stars: {
          count: 250,
          psf: c.psf,
          fwhm: c.fwhm,
          minFlux: 'minFlux' in c ? c.minFlux : 2000,
          maxFlux: 'maxFlux' in c ? c.maxFlux : 200000,
        },
        hotPixels: 40,
        cosmicRays: 25,
      });
      const { metrics, detection } = analyzeFrame(frame, { imageType: 'light', pixelScaleArcsec: 0.97 });
      expect(relative(metrics.fwhm_px, c.fwhm)).toBeLessThan(0.05);
      expect(metrics.fwhm_arcsec).toBeCloseTo(metrics.fwhm_px! * 0.97, 10);
      expect(metrics.hfr_px! * 2).toBeCloseTo(metrics.fwhm_px!, 10);
      expect(relative(metrics.background, frame.truth.background)).toBeLessThan(0.01);
      expect(relative(metrics.noise, frame.truth.noise)).toBeLessThan(0.05);
      const { found, total } = recall(frame, detection!.stars);
      expect(total).toBeGreaterThan(50);
      expect(found / total).toBeGreaterThanOrEqual(0.9);
      expect(metrics.eccentricity).toBeLessThan(0.45);
      const clipped = frame.data.filter((v) => v >= frame.truth.saturation).length;
      expect(metrics.saturated_fraction).toBe(clipped >= 4 ? clipped / frame.data.length : 0);
    });

  it('Moffat stars: 2 × HFR equals 2 × the profile half-flux radius within 5%', () => {
    const frame = generateFrame({
      width: 768,
      height: 768,
      seed: 5,
      stars: { count: 250, psf: 'moffat', fwhm: 3, beta: 3 },
    });
    const metrics = measureFrame(frame, { imageType: 'light' });
    expect(relative(metrics.hfr_px, frame.truth.hfr)).toBeLessThan(0.05);
    // For β = 3 the half-flux radius is larger than FWHM/2 (the wings hold flux): 2·HFR ≈ 1.26 FWHM.
    expect(metrics.fwhm_px! / 3).toBeGreaterThan(1.2);
  });
});

describe('SNR weight (PixInsight SubframeSelector)', () => {
  it('is (mean deviation / noise)²: 2/π for pure Gaussian noise, and grows with signal', () => {
    // No stars, no Poisson noise: the mean absolute deviation of a normal distribution is σ√(2/π).
    const blank = measureFrame(generateFrame({ width: 512, height: 512, seed: 14, gain: 0, readNoise: 20 }), {
      imageType: 'light',
    });
    expect(relative(blank.snr_weight, 2 / Math.PI)).toBeLessThan(0.03);
    expect(blank.star_count).toBe(0);
    const stars = measureFrame(
      generateFrame({ width: 512, height: 512, seed: 14, gain: 0, readNoise: 20, stars: { count: 400, fwhm: 4 } }),
      { imageType: 'light' },
    );
    expect(stars.snr_weight!).toBeGreaterThan(blank.snr_weight! * 1.2);
  });
});

describe('defects', () => {
  it('rejects every hot pixel and cosmic ray, and satellite trails', () => {
    const frame = generateFrame({
      width: 640,
      height: 640,
      seed: 3,
      stars: { count: 150, fwhm: 3 },
      hotPixels: 80,
      cosmicRays: 60,
      satelliteTrails: 2,
    });
    const { detection } = analyzeFrame(frame, { imageType: 'light' });
    const stars = detection!.stars;
    const defects = [...frame.truth.hotPixels, ...frame.truth.cosmicRays];
    // A defect that lands on a star is cleaned from it; elsewhere nothing may be detected there.
    const alone = defects.filter((d) => !frame.truth.stars.some((t) => Math.hypot(t.x - d.x, t.y - d.y) < 8));
    expect(alone.length).toBeGreaterThan(100);
    const kept = alone.filter((d) => stars.some((s) => Math.hypot(s.x - d.x, s.y - d.y) < 3));
    expect(kept).toEqual([]);
    expect(detection!.cleanedPixels).toBeGreaterThanOrEqual(defects.length);
    expect(detection!.rejectedExtended).toBeGreaterThanOrEqual(2);
  });

  it('flags saturated stars and keeps them out of the FWHM', () => {
    const frame = generateFrame({
      width: 640,
      height: 640,
      seed: 9,
      stars: { count: 150, fwhm: 3 },
      saturatedStars: 12,
    });
    const { metrics, detection } = analyzeFrame(frame, { imageType: 'light' });
    const saturated = detection!.stars.filter((s) => s.saturated);
    expect(saturated.length).toBeGreaterThanOrEqual(10);
    expect(metrics.saturated_fraction).toBeGreaterThan(0);
    expect(relative(metrics.fwhm_px, 3)).toBeLessThan(0.05);
  });

  it('a gradient does not bias the background map', () => {
    const frame = generateFrame({ width: 512, height: 512, seed: 4, background: 1000, gradient: { x: 300, y: -200 } });
    const map = backgroundMap(estimateBackground(frame), 'level', 512, 512);
    for (const [x, y] of [
      [0, 0],
      [511, 0],
      [0, 511],
      [511, 511],
      [256, 256],
    ] as const) {
      const truth = 1000 + 300 * (x / 511 - 0.5) - 200 * (y / 511 - 0.5);
      expect(relative(map[y * 512 + x]!, truth)).toBeLessThan(0.01);
    }
  });

  it('undersampled stars (FWHM 1.5 px) keep their cores: FWHM within 5%, hot pixels still cleaned', () => {
    const frame = generateFrame({ width: 640, height: 640, seed: 12, stars: { count: 200, fwhm: 1.5 }, hotPixels: 40 });
    const { metrics, detection } = analyzeFrame(frame, { imageType: 'light' });
    expect(relative(metrics.fwhm_px, 1.5)).toBeLessThan(0.05);
    const { found, total } = recall(frame, detection!.stars);
    expect(found / total).toBeGreaterThanOrEqual(0.9);
  });

  it('elliptical stars: eccentricity and position angle measured', () => {
    for (const q of [0.7, 0.5]) {
      const frame = generateFrame({
        width: 640,
        height: 640,
        seed: 13,
        stars: { count: 200, fwhm: 3, axisRatio: q, angleDeg: -40 },
      });
      const { metrics, detection } = analyzeFrame(frame, { imageType: 'light' });
      expect(Math.abs(metrics.eccentricity! - Math.sqrt(1 - q * q))).toBeLessThan(0.06);
      const angles = detection!.stars.filter((s) => s.snr > 50).map((s) => s.thetaDeg);
      expect(Math.abs(median(angles)! + 40)).toBeLessThan(3);
    }
  });

  it('trailed stars come out elongated', () => {
    const frame = generateFrame({
      width: 640,
      height: 640,
      seed: 8,
      stars: { count: 150, fwhm: 3, trailLength: 8, trailAngleDeg: 30 },
    });
    const { metrics, detection } = analyzeFrame(frame, { imageType: 'light' });
    expect(metrics.eccentricity).toBeGreaterThan(0.75);
    const bright = detection!.stars.filter((s) => s.snr > 50);
    const angles = bright.map((s) => s.thetaDeg).sort((a, b) => a - b);
    expect(Math.abs(angles[Math.floor(angles.length / 2)]! - 30)).toBeLessThan(5);
  });

  it('clouds: fewer stars and a higher background', () => {
    const clear = measureFrame(generateFrame({ width: 640, height: 640, seed: 2, stars: { count: 200, fwhm: 3 } }), {
      imageType: 'light',
    });
    const cloudy = measureFrame(
      generateFrame({
        width: 640,
        height: 640,
        seed: 2,
        stars: { count: 200, fwhm: 3 },
        clouds: { transmission: 0.15, backgroundFactor: 1.6 },
      }),
      { imageType: 'light' },
    );
    expect(cloudy.star_count!).toBeLessThan(clear.star_count! * 0.6);
    expect(cloudy.background!).toBeGreaterThan(clear.background! * 1.5);
  });
});

describe('odd frames never crash the analysis', () => {
  const cases: Array<[string, number, number, (i: number) => number]> = [
    ['all NaN (every pixel BLANK)', 64, 64, () => Number.NaN],
    ['constant', 100, 80, () => 500],
    ['a single row', 300, 1, (i) => 100 + (i % 5)],
    ['3×3', 3, 3, (i) => i],
    ['half NaN, half noise', 128, 128, (i) => (i % 2 ? Number.NaN : 1000 + ((i * 7919) % 61))],
    ['infinities', 64, 64, (i) => (i % 17 ? 10 : Number.POSITIVE_INFINITY)],
  ];
  for (const [name, width, height, f] of cases)
    it(name, () => {
      const data = Float32Array.from({ length: width * height }, (_, i) => f(i));
      const m = measureFrame({ width, height, data }, { imageType: 'light' });
      expect(m.star_count).toBe(0);
      expect(m.fwhm_px).toBeNull();
      expect(m.background === null || Number.isFinite(m.background)).toBe(true);
    });
});
