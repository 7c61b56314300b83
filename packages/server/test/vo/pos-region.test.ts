import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../../src/db/image.mapper.js';
import { FRAME_RADIUS_MARGIN_DEG, frameRadiusDeg, parsePos } from '../../src/vo/pos-region.js';

type Corners = Array<[number, number]>;

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

/** A square footprint of `side` degrees (approximately, in RA·cos δ) around (ra, dec). */
function square(ra: number, dec: number, side: number): CatalogImage {
  const h = side / 2;
  const dra = h / Math.cos((dec * Math.PI) / 180);
  const footprint: Corners = [
    [(ra - dra + 360) % 360, dec - h],
    [(ra + dra) % 360, dec - h],
    [(ra + dra) % 360, dec + h],
    [(ra - dra + 360) % 360, dec + h],
  ];
  return frame(ra, dec, { footprint });
}

/** A footprint around the north pole: four corners at dec 88.5, the pole inside. */
const POLAR = frame(0, 90, {
  footprint: [
    [45, 88.5],
    [135, 88.5],
    [225, 88.5],
    [315, 88.5],
  ],
});

describe('POS regions', () => {
  it('CIRCLE: a cone widened by the frame margin; a footprint that reaches into the circle matches', () => {
    const region = parsePos('CIRCLE 10 10 1');
    expect(region.prefilter).toEqual({ cone: { ra: 10, dec: 10, radius: 1 + FRAME_RADIUS_MARGIN_DEG } });
    // Centre 2° away, but a 3° square's edge is 0.5° from the circle's centre… inside the circle.
    expect(region.matches(square(12, 10, 3))).toBe(true);
    expect(region.matches(square(12.6, 10, 3))).toBe(false);
    // A large footprint containing the whole circle.
    expect(region.matches(square(10, 10, 8))).toBe(true);
    // Without footprint: by position only, the FOV does not count.
    expect(region.matches(frame(10.5, 10))).toBe(true);
    expect(region.matches(frame(12, 10, { fov_width_deg: 3, fov_height_deg: 3 }))).toBe(false);
    expect(region.matches(frame(null, null))).toBe(false);
  });

  it('CIRCLE across RA 0 and at the pole', () => {
    expect(parsePos('CIRCLE 359.5 0 1').matches(square(0.8, 0, 1))).toBe(true);
    expect(parsePos('CIRCLE 359.5 0 0.5').matches(square(1.2, 0, 1))).toBe(false);
    expect(parsePos('CIRCLE 360 0 1').prefilter).toMatchObject({ cone: { ra: 0 } });
    // The pole lies inside the polar footprint; a circle near it at any RA meets it.
    expect(parsePos('CIRCLE 200 89.9 0.05').matches(POLAR)).toBe(true);
    expect(parsePos('CIRCLE 200 87 0.5').matches(POLAR)).toBe(false);
    // The edge from RA 135° to 225° is a great circle 1.7583° from (200, 87) (astropy, sampled).
    expect(parsePos('CIRCLE 200 87 1.757').matches(POLAR)).toBe(false);
    expect(parsePos('CIRCLE 200 87 1.76').matches(POLAR)).toBe(true);
  });

  it('RANGE: footprints crossing the box edges, wrapping through RA 0', () => {
    const box = parsePos('RANGE 350 10 -5 5');
    expect(box.matches(frame(355, 0))).toBe(true);
    expect(box.matches(frame(20, 0))).toBe(false);
    // Centre outside, footprint over the RA edge at 10°, or over the Dec edge at +5°.
    expect(box.matches(square(11, 0, 3))).toBe(true);
    expect(box.matches(square(0, 6, 3))).toBe(true);
    expect(box.matches(square(0, 7, 3))).toBe(false);
    // A footprint containing the whole box.
    expect(parsePos('RANGE 1 2 1 2').matches(square(1.5, 1.5, 5))).toBe(true);
    expect(box.prefilter).toMatchObject({ cone: { dec: 0 } });
    if (!('cone' in box.prefilter)) throw new Error('expected a cone');
    expect(box.prefilter.cone.ra).toBeCloseTo(0, 9);
    // The corners (350, ±5) are ~11.2° from the centre, plus the margin.
    expect(box.prefilter.cone.radius - FRAME_RADIUS_MARGIN_DEG).toBeGreaterThan(11.1);
    expect(box.prefilter.cone.radius - FRAME_RADIUS_MARGIN_DEG).toBeLessThan(11.3);
  });

  it('RANGE with open ends covers every RA; a box wider than a hemisphere reads a declination band', () => {
    const cap = parsePos('RANGE -Inf +Inf 89 +Inf');
    expect(cap.prefilter).toEqual({ decMin: 89 - FRAME_RADIUS_MARGIN_DEG, decMax: 90 + FRAME_RADIUS_MARGIN_DEG });
    expect(cap.matches(frame(123, 89.5))).toBe(true);
    expect(cap.matches(frame(123, 79))).toBe(false);
    // The polar footprint's corners are below 89°, yet it holds the pole, which the cap holds.
    expect(cap.matches(POLAR)).toBe(true);
  });

  it('POLYGON: either winding, footprints overlapping it, across RA 0', () => {
    const ccw = parsePos('POLYGON 359 -1 1 -1 1 1 359 1');
    const cw = parsePos('POLYGON 359 1 1 1 1 -1 359 -1');
    for (const p of [ccw, cw]) {
      expect(p.matches(frame(0, 0))).toBe(true);
      expect(p.matches(frame(2, 0))).toBe(false);
      expect(p.matches(square(1.8, 0, 2))).toBe(true);
      expect(p.matches(square(2.2, 0, 2))).toBe(false);
      expect(p.matches(square(0, 0, 10))).toBe(true);
    }
    // Around the north pole: the pole is inside, the point near the south pole (whose antipode is
    // inside) is not.
    const cap = parsePos('POLYGON 0 87 120 87 240 87');
    expect(cap.matches(frame(10, 89.9))).toBe(true);
    expect(cap.matches(frame(234.7, -88.5))).toBe(false);
    // A concave polygon (a "C" open to the east): its notch is outside.
    const c = parsePos('POLYGON 10 10 14 10 14 11 11 11 11 13 14 13 14 14 10 14');
    expect(c.matches(frame(13, 12))).toBe(false);
    expect(c.matches(frame(10.5, 12))).toBe(true);
  });

  it.each([
    ['CIRCLE 10 20', /CIRCLE needs ra dec radius/],
    ['CIRCLE 10 95 1', /-90 ≤ dec ≤ 90/],
    ['CIRCLE 10 20 0', /0 < radius ≤ 180/],
    ['CIRCLE abc 20 1', /'abc' is not a number/],
    ['RANGE 1 2 3', /RANGE needs ra1 ra2 dec1 dec2/],
    ['RANGE 1 2 10 5', /dec1 ≤ dec2/],
    ['POLYGON 1 1 2 2', /at least 3 vertices/],
    ['POLYGON 0 0 120 0 240 0', /smaller than a hemisphere/],
    ['BOX 1 2 3 4', /unknown shape 'BOX'/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePos(text)).toThrow(message);
  });

  it('frame radius: farthest footprint corner, else half the FOV diagonal', () => {
    expect(frameRadiusDeg(frame(10, 0, { fov_width_deg: 3, fov_height_deg: 4 }))).toBeCloseTo(2.5, 12);
    const footprint: Corners = [
      [9, -1],
      [11, -1],
      [11, 1],
      [9, 2],
    ];
    expect(frameRadiusDeg(frame(10, 0, { footprint }))).toBeCloseTo(Math.hypot(1, 2), 3);
    expect(frameRadiusDeg(frame(10, 0))).toBe(0);
  });
});
