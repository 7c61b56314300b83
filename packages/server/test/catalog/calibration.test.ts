import { describe, expect, it } from 'vitest';
import {
  type CalibrationKind,
  calibrationReport,
  calibrationSets,
  check,
  criteria,
} from '../../src/catalog/calibration.js';
import { DEFAULT_CALIBRATION_RULES as RULES } from '../../src/config/calibration.js';
import { findCalibrationFrames } from '../../src/db/calibration.repository.js';
import { getImage, insertImage } from '../../src/db/images.repository.js';
import type { ImageMetadata } from '../../src/domain/image.js';
import { DIALECTS, useSharedTestDatabase, withTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { makeImage, observedAt } from '../support/images.js';

const CAMERA = 'ZWO ASI2600MM Pro';
/** The setup of the light; each calibration frame below changes what its name says. */
const SETUP: Partial<ImageMetadata> = { camera: CAMERA, gain: 100, offset: 50, xbinning: 1, ybinning: 1 };

const FRAMES: Record<string, Partial<ImageMetadata>> = {
  light: {
    ...SETUP,
    ...observedAt('2024-11-05T22:00:00', '2024-11-05'),
    image_type: 'light',
    exptime: 300,
    ccd_temp: -10,
    filter_name: 'Ha',
    rotator_angle_deg: 90,
    object_name: 'M 13',
  },
  // Darks: 300 s at -10 °C ± 2.
  darkSameNight: {
    ...SETUP,
    ...observedAt('2024-11-06T05:00:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -10.4,
  },
  darkEarlier: {
    ...SETUP,
    ...observedAt('2024-11-01T05:00:00', '2024-10-31'),
    image_type: 'dark',
    exptime: 300.5,
    ccd_temp: -11.9,
    gain: null,
  },
  darkMaster: {
    ...SETUP,
    ...observedAt('2024-09-01T05:00:00', '2024-08-31'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -9,
    master_frame: true,
    combined_frames: 40,
  },
  darkWarm: {
    ...SETUP,
    ...observedAt('2024-11-06T05:10:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -7.9,
  },
  darkBinned: {
    ...SETUP,
    ...observedAt('2024-11-06T05:20:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -10,
    xbinning: 2,
    ybinning: 2,
  },
  darkOld: {
    ...SETUP,
    ...observedAt('2024-05-01T05:00:00', '2024-04-30'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -10,
    master_frame: true,
  },
  darkShort: {
    ...SETUP,
    ...observedAt('2024-11-06T05:30:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 120,
    ccd_temp: -10,
  },
  darkOtherCamera: {
    ...SETUP,
    ...observedAt('2024-11-06T05:40:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -10,
    camera: 'QHY268M',
  },
  darkOtherGain: {
    ...SETUP,
    ...observedAt('2024-11-06T05:50:00', '2024-11-05'),
    image_type: 'dark',
    exptime: 300,
    ccd_temp: -10,
    gain: 0,
  },
  // Flats: Hα, rotator 90° ± 2, within 30 days.
  flatHa: {
    ...SETUP,
    ...observedAt('2024-11-05T17:00:00', '2024-11-05'),
    image_type: 'flat',
    filter_name: 'ha',
    rotator_angle_deg: 91.5,
    exptime: 2,
  },
  flatR: {
    ...SETUP,
    ...observedAt('2024-11-05T17:10:00', '2024-11-05'),
    image_type: 'flat',
    filter_name: 'R',
    rotator_angle_deg: 90,
    exptime: 2,
  },
  flatRotated: {
    ...SETUP,
    ...observedAt('2024-11-05T17:20:00', '2024-11-05'),
    image_type: 'flat',
    filter_name: 'Ha',
    rotator_angle_deg: 180,
    exptime: 2,
  },
  flatOld: {
    ...SETUP,
    ...observedAt('2024-10-01T17:00:00', '2024-10-01'),
    image_type: 'flat',
    filter_name: 'Ha',
    rotator_angle_deg: 90,
    exptime: 2,
  },
  // Biases: only one, a year old.
  biasOld: { ...SETUP, ...observedAt('2023-11-01T12:00:00', '2023-11-01'), image_type: 'bias', exptime: 0 },
};

for (const dialect of DIALECTS)
  describe(`calibration matching (${dialect})`, () => {
    const t = useSharedTestDatabase(dialect);
    const ids: Record<string, number> = {};
    const name = (id: number) => Object.keys(ids).find((k) => ids[k] === id);
    const seed = async () => {
      if (Object.keys(ids).length > 0) return;
      for (const [key, metadata] of Object.entries(FRAMES))
        ids[key] = (await insertImage(t.database, makeImage({ metadata }))).id;
    };
    const report = async () => {
      await seed();
      const light = await getImage(t.database, ids.light as number);
      return calibrationReport(t.database, light!, RULES);
    };

    it('darks: same exposure and temperature, masters first, then the same night, then nearest', async () => {
      const dark = (await report()).kinds.dark;
      expect(dark.matches.map((m) => name(m.id))).toEqual(['darkMaster', 'darkSameNight', 'darkEarlier']);
      expect(dark.missing).toBeNull();
      const master = dark.matches[0]!;
      expect(master).toMatchObject({ master_frame: true, combined_frames: 40, selected: true });
      expect(master.reasons).toContain('master frame (40 combined)');
      expect(master.reasons).toContain(`same camera (${CAMERA})`);
      // The master is the set a stacking tool needs; the single darks are listed, not selected.
      expect(dark.matches.filter((m) => m.selected).map((m) => name(m.id))).toEqual(['darkMaster']);
      expect(dark.matches[1]).toMatchObject({ same_night: true, reasons: expect.arrayContaining(['same night']) });
      // A frame that does not record a setting passes, with a note.
      expect(dark.matches[2]?.notes).toEqual(['gain not recorded']);
    });

    it('near misses: wrong temperature, binning, exposure, camera, gain, too old', async () => {
      await report();
      const light = (await getImage(t.database, ids.light as number))!;
      const failed = async (key: string, kind: CalibrationKind) =>
        check(light, (await getImage(t.database, ids[key] as number))!, kind, RULES).failed;
      expect(await failed('darkWarm', 'dark')).toEqual(['sensor -7.9 °C, more than 2 °C from -10 °C']);
      expect(await failed('darkBinned', 'dark')).toEqual(['binning 2×2, not 1×1']);
      expect(await failed('darkShort', 'dark')).toEqual(['exposure 120 s, not 300 s (±1 %)']);
      expect(await failed('darkOtherCamera', 'dark')).toEqual([`camera QHY268M, not ${CAMERA}`]);
      expect(await failed('darkOtherGain', 'dark')).toEqual(['gain 0, not 100']);
      expect(await failed('darkOld', 'dark')).toEqual([
        '188.7 days before, outside the 180-day window for dark frames',
      ]);
      expect(await failed('flatR', 'flat')).toEqual(['filter R, not Ha']);
      expect(await failed('flatRotated', 'flat')).toEqual(['rotator 180°, more than 2° from 90°']);
      expect(await failed('flatOld', 'flat')).toEqual(['35.2 days before, outside the 30-day window for flat frames']);
    });

    it('every frame the query returns passes every rule, and no other frame does', async () => {
      const r = await report();
      const light = (await getImage(t.database, ids.light as number))!;
      for (const kind of ['bias', 'dark', 'flat'] as const) {
        const matched = new Set(r.kinds[kind].matches.map((m) => m.id));
        for (const [key, id] of Object.entries(ids)) {
          if (key === 'light') continue;
          const frame = (await getImage(t.database, id))!;
          expect({ key, kind, passes: check(light, frame, kind, RULES).failed.length === 0 }).toEqual({
            key,
            kind,
            passes: matched.has(id),
          });
        }
      }
    });

    it('flats: the same filter (any case) and rotator angle, within 30 days', async () => {
      const flat = (await report()).kinds.flat;
      expect(flat.matches.map((m) => name(m.id))).toEqual(['flatHa']);
      expect(flat.matches[0]?.reasons).toEqual([
        'same night',
        `same camera (${CAMERA})`,
        'binning 1×1',
        'gain 100',
        'offset 50',
        'filter ha',
        'rotator 91.5°, within ±2°',
      ]);
    });

    it('a kind with no match says what is missing and lists the nearest with their failures', async () => {
      const bias = (await report()).kinds.bias;
      expect(bias.matches).toEqual([]);
      expect(bias.missing).toMatch(/^no bias frame within 180 days passes every rule/);
      expect(bias.near_misses.map((m) => [name(m.id), m.failed])).toEqual([
        ['biasOld', ['370.4 days before, outside the 180-day window for bias frames']],
      ]);
    });

    it('the rules are configuration: a wider temperature tolerance admits the warm dark', async () => {
      await seed();
      const light = (await getImage(t.database, ids.light as number))!;
      const rules = { ...RULES, temperatureToleranceC: 3 };
      const r = await calibrationReport(t.database, light, rules);
      expect(r.kinds.dark.matches.map((m) => name(m.id))).toContain('darkWarm');
    });

    it('frames that are not lights are not matched', async () => {
      await seed();
      const dark = (await getImage(t.database, ids.darkSameNight as number))!;
      const r = await calibrationReport(t.database, dark, RULES);
      expect(r.applies).toBe(false);
      expect(r.kinds.dark.missing).toMatch(/only light frames are calibrated/);
    });

    it('calibrationSets: the selected frames of many lights, each once', async () => {
      await seed();
      const light = (await getImage(t.database, ids.light as number))!;
      const sets = await calibrationSets(t.database, [light, light], RULES);
      expect(sets).toEqual({ bias: [], dark: [ids.darkMaster], flat: [ids.flatHa] });
    });
  });

describe('rotator angles are compared across 0°', () => {
  it.each<[number, number, boolean]>([
    [359, 1, true],
    [1, 359.5, true],
    [1, 358.5, false],
    [0, 3, false],
    [90, 270, false],
  ])('light %s°, flat %s°: match %s', async (light, flat, matches) => {
    await withTestDatabase('sqlite', async (database) => {
      const base = { ...SETUP, ...observedAt('2024-11-05T22:00:00', '2024-11-05'), filter_name: 'L' };
      const a = await insertImage(
        database,
        makeImage({ metadata: { ...base, image_type: 'light', rotator_angle_deg: light } }),
      );
      const b = await insertImage(
        database,
        makeImage({ metadata: { ...base, image_type: 'flat', rotator_angle_deg: flat } }),
      );
      const subject = (await getImage(database, a.id))!;
      const found = await findCalibrationFrames(database, criteria(subject, 'flat', RULES)!);
      expect(found.map((f) => f.id)).toEqual(matches ? [b.id] : []);
      expect(check(subject, (await getImage(database, b.id))!, 'flat', RULES).failed.length === 0).toBe(matches);
    });
  });
});

describe('calibration queries start from an index', () => {
  it.each<CalibrationKind>(['dark', 'flat', 'bias'])('%s', async (kind) => {
    await withTestDatabase('sqlite', async (database) => {
      const { id } = await insertImage(database, makeImage({ metadata: FRAMES.light }));
      const light = (await getImage(database, id))!;
      const query = criteria(light, kind, RULES)!;
      const [explained] = await explainQueriesOf(database, (db) => findCalibrationFrames(db, query));
      // Darks by type, exposure and time; flats by their filter and time; biases by type and time.
      const index = {
        dark: 'images_type_exptime_date_idx',
        flat: 'images_filter_name_lower_date_idx',
        bias: 'images_image_type_date_idx',
      };
      expect(explained?.plan).toMatch(new RegExp(`SEARCH images USING INDEX ${index[kind]}`));
      expect(explained?.plan).not.toMatch(/SCAN images(?! USING)/);
    });
  });
});
