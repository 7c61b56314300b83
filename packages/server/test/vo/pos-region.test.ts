import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../../src/db/image.mapper.js';
import { FRAME_RADIUS_MARGIN_DEG, frameRadiusDeg, parsePos } from '../../src/vo/pos-region.js';

/** A frame as the region tests read it: centre, field of view, footprint. */
function frame(ra: number | null, dec: number | null, extra: Partial<CatalogImage> = {}): CatalogImage {
  return {
    ra_deg: ra,
    dec_deg: dec,
    fov_width_deg: null,
    fov_height_deg: null,
    footprint: null,
    ...extra,
  } as CatalogImage;
}

describe('POS regions', () => {
  it('CIRCLE: a cone widened by the frame margin, and the bounding circle of each frame', () => {
    const region = parsePos('CIRCLE 10 10 1');
    expect(region.cone).toEqual({ ra: 10, dec: 10, radius: 1 + FRAME_RADIUS_MARGIN_DEG });
    expect(region.contains(frame(10.5, 10))).toBe(true);
    expect(region.contains(frame(12, 10))).toBe(false);
    // 2° away, but a 3° × 3° field reaches into the circle.
    expect(region.contains(frame(12, 10, { fov_width_deg: 3, fov_height_deg: 3 }))).toBe(true);
    expect(region.contains(frame(null, null))).toBe(false);
  });

  it('CIRCLE at RA 360 is RA 0', () => {
    expect(parsePos('CIRCLE 360 0 1').cone?.ra).toBe(0);
  });

  it('RANGE: the box itself, wrapping through RA 0, and a cone around it', () => {
    const box = parsePos('RANGE 350 10 -5 5');
    expect(box.contains(frame(355, 0))).toBe(true);
    expect(box.contains(frame(5, 4.9))).toBe(true);
    expect(box.contains(frame(20, 0))).toBe(false);
    expect(box.contains(frame(0, 6))).toBe(false);
    expect(box.cone?.ra).toBeCloseTo(0, 9);
    expect(box.cone?.dec).toBe(0);
    // The corners (350, ±5) are ~11.2° from the centre.
    expect(box.cone?.radius).toBeGreaterThan(11.1);
    expect(box.cone?.radius).toBeLessThan(11.3);
  });

  it('RANGE with open ends covers every RA; a box wider than a hemisphere has no cone', () => {
    const all = parsePos('RANGE -Inf +Inf 80 +Inf');
    expect(all.cone).toBeNull();
    expect(all.contains(frame(123, 85))).toBe(true);
    expect(all.contains(frame(123, 79))).toBe(false);
  });

  it.each([
    ['CIRCLE 10 20', /CIRCLE needs ra dec radius/],
    ['CIRCLE 10 95 1', /-90 ≤ dec ≤ 90/],
    ['CIRCLE 10 20 0', /0 < radius ≤ 180/],
    ['CIRCLE abc 20 1', /'abc' is not a number/],
    ['RANGE 1 2 3', /RANGE needs ra1 ra2 dec1 dec2/],
    ['RANGE 1 2 10 5', /dec1 ≤ dec2/],
    ['POLYGON 1 1 2 2 3 1', /POLYGON is not supported/],
    ['BOX 1 2 3 4', /unknown shape 'BOX'/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePos(text)).toThrow(message);
  });

  it('frame radius: farthest footprint corner, else half the FOV diagonal', () => {
    expect(frameRadiusDeg(frame(10, 0, { fov_width_deg: 3, fov_height_deg: 4 }))).toBeCloseTo(2.5, 12);
    const footprint: Array<[number, number]> = [
      [9, -1],
      [11, -1],
      [11, 1],
      [9, 2],
    ];
    expect(frameRadiusDeg(frame(10, 0, { footprint }))).toBeCloseTo(Math.hypot(1, 2), 3);
    expect(frameRadiusDeg(frame(10, 0))).toBe(0);
  });
});
