import { describe, expect, it } from 'vitest';
import { emptyMetrics, measureFrame } from '../../src/analysis/frame-metrics.js';
import { GATE_CAP, QUALITY_VERSION, scoreFrame } from '../../src/analysis/score.js';
import type { QualityMetrics } from '../../src/domain/image.js';
import { generateFrame, type SyntheticOptions } from '../support/synthetic-frames.js';

const metrics = (m: Partial<QualityMetrics>): QualityMetrics => ({ ...emptyMetrics(), ...m });
const typical = (i: number) =>
  metrics({ fwhm_px: 3 + 0.05 * i, eccentricity: 0.2 + 0.01 * i, star_count: 200 + 5 * i, background: 1000 + 3 * i });

describe('scoreFrame with hand-made metrics', () => {
  const set = Array.from({ length: 8 }, (_, i) => typical(i));

  it('gives a typical frame a high score and explains every component', () => {
    const s = scoreFrame(typical(3), set, { imageType: 'light' });
    expect(s.quality_version).toBe(QUALITY_VERSION);
    expect(s.quality_score).toBe(100);
    expect(s.quality_flag).toBe(true);
    const c = s.quality_components as { mode: string; components: Record<string, { z: number; median: number }> };
    expect(c.mode).toBe('relative');
    expect(c.components.fwhm!.median).toBeCloseTo(3.175, 10);
    expect(Object.keys(c.components).sort()).toEqual(['background', 'eccentricity', 'fwhm', 'star_count']);
  });

  it('lowers the score in proportion to the robust z-score of a worse FWHM', () => {
    const blurred = scoreFrame({ ...typical(3), fwhm_px: 3.175 * 1.25 }, set, { imageType: 'light' });
    const c = blurred.quality_components as { components: Record<string, { z: number; score: number }> };
    // MAD of the set's FWHM is floored at 5% of the median: z = 0.25 / 0.05 = 5 → component 0.
    expect(c.components.fwhm!.z).toBeCloseTo(5, 5);
    expect(c.components.fwhm!.score).toBe(0);
    expect(blurred.quality_score).toBeCloseTo(65, 5);
  });

  it('gates: no stars, star-count collapse, trailing — capped and never flagged', () => {
    const none = scoreFrame({ ...typical(3), star_count: 0 }, set, { imageType: 'light' });
    expect(none.quality_score).toBeLessThanOrEqual(GATE_CAP);
    expect(none.quality_flag).toBe(false);
    const collapse = scoreFrame({ ...typical(3), star_count: 40 }, set, { imageType: 'light', threshold: 0 });
    expect(
      (collapse.quality_components as { gates: Record<string, { failed: boolean }> }).gates.star_collapse!.failed,
    ).toBe(true);
    expect(collapse.quality_flag).toBe(false);
    const trailed = scoreFrame({ ...typical(3), eccentricity: 0.85 }, set, { imageType: 'light' });
    expect((trailed.quality_components as { gates: Record<string, { failed: boolean }> }).gates.trailing!.failed).toBe(
      true,
    );
  });

  it('falls back to absolute thresholds with fewer than 5 comparable frames', () => {
    const s = scoreFrame(
      metrics({ fwhm_px: 6.5, eccentricity: 0.3, star_count: 500, background: 1 }),
      set.slice(0, 2),
      {
        imageType: 'light',
      },
    );
    const c = s.quality_components as { mode: string; components: Record<string, { score: number | null }> };
    expect(c.mode).toBe('absolute');
    expect(c.components.fwhm!.score).toBeCloseTo(50, 5);
    expect(c.components.background!.score).toBeNull();
    // (0.35·50 + 0.2·100 + 0.3·100) / 0.85
    expect(s.quality_score).toBeCloseTo(79.4, 1);
    expect(
      scoreFrame(metrics({ fwhm_arcsec: 2, fwhm_px: 9, eccentricity: 0.3, star_count: 500 }), [], {
        imageType: 'light',
      }).quality_score,
    ).toBe(100);
  });

  it('the flag follows the threshold; calibration and unmeasured frames get no score', () => {
    const f = { ...typical(3), fwhm_px: 3.175 * 1.25 };
    expect(scoreFrame(f, set, { imageType: 'light', threshold: 60 }).quality_flag).toBe(true);
    expect(scoreFrame(f, set, { imageType: 'light', threshold: 70 }).quality_flag).toBe(false);
    expect(scoreFrame(metrics({ level: 1000, noise: 5 }), [], { imageType: 'dark' })).toMatchObject({
      quality_score: null,
      quality_flag: false,
    });
    expect(scoreFrame(metrics({}), set, { imageType: 'light' }).quality_score).toBeNull();
  });
});

describe('scores of synthetic frames against their comparables', () => {
  const base: SyntheticOptions = {
    width: 512,
    height: 512,
    stars: { count: 400, fwhm: 3, minFlux: 150 },
    hotPixels: 20,
    cosmicRays: 10,
  };
  const measure = (o: Partial<SyntheticOptions>) =>
    measureFrame(generateFrame({ ...base, ...o }), { imageType: 'light' });
  const clear = Array.from({ length: 6 }, (_, i) => measure({ seed: 100 + i }));

  it('clouds lower the score and trip the star-count gate', () => {
    const thin = scoreFrame(measure({ seed: 200, clouds: { transmission: 0.5, backgroundFactor: 1.3 } }), clear, {
      imageType: 'light',
    });
    const thick = scoreFrame(measure({ seed: 201, clouds: { transmission: 0.1, backgroundFactor: 2 } }), clear, {
      imageType: 'light',
    });
    const ok = scoreFrame(measure({ seed: 202 }), clear, { imageType: 'light' });
    expect(ok.quality_score!).toBeGreaterThanOrEqual(80);
    expect(ok.quality_flag).toBe(true);
    expect(thin.quality_score!).toBeLessThan(ok.quality_score! - 20);
    expect(thick.quality_score!).toBeLessThanOrEqual(GATE_CAP);
    expect(
      (thick.quality_components as { gates: Record<string, { failed: boolean }> }).gates.star_collapse!.failed,
    ).toBe(true);
  });

  it('trailed stars fail the trailing gate', () => {
    const trailed = measure({
      seed: 300,
      stars: { count: 400, fwhm: 3, minFlux: 150, trailLength: 9, trailAngleDeg: 70 },
    });
    const s = scoreFrame(trailed, clear, { imageType: 'light' });
    expect((s.quality_components as { gates: Record<string, { failed: boolean }> }).gates.trailing!.failed).toBe(true);
    expect(s.quality_flag).toBe(false);
  });
});
