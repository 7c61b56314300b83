/** GET /api/images/{id}/calibration (catalog/calibration.ts). */
import { Type } from '@sinclair/typebox';
import { Nullable } from './common.schemas.js';

const Words = Type.Array(Type.String());

const CalibrationMatch = Type.Object(
  {
    id: Type.Integer(),
    file_name: Type.String(),
    date_obs: Nullable.string(),
    night: Nullable.string(),
    exptime: Nullable.number(),
    ccd_temp: Nullable.number(),
    filter_name: Nullable.string(),
    master_frame: Type.Boolean(),
    combined_frames: Nullable.integer(),
    days_apart: Type.Number({ description: 'days from the light to this frame (negative: before)' }),
    same_night: Type.Boolean(),
    selected: Type.Boolean({
      description: "in the set to calibrate with: the best master, else the best night's single frames",
    }),
    reasons: Type.Array(Type.String(), { description: 'the rules it passes, in words' }),
    notes: Type.Array(Type.String(), { description: 'what could not be compared' }),
  },
  { title: 'CalibrationMatch' },
);

const NearMiss = Type.Object(
  {
    id: Type.Integer(),
    file_name: Type.String(),
    date_obs: Nullable.string(),
    days_apart: Type.Number(),
    failed: Type.Array(Type.String(), { description: 'the rules it fails, in words' }),
  },
  { title: 'CalibrationNearMiss' },
);

const KindReport = Type.Object(
  {
    window_days: Type.Number(),
    matches: Type.Array(CalibrationMatch, { description: 'best first: masters, the same night, nearest in time' }),
    missing: Nullable.string({ description: 'why nothing matches, or null' }),
    near_misses: Type.Array(NearMiss, { description: 'when nothing matches: the nearest frames of the kind' }),
  },
  { title: 'CalibrationKind' },
);

export const CalibrationReport = Type.Object(
  {
    image_id: Type.Integer(),
    applies: Type.Boolean({ description: 'false for frames that are not lights' }),
    notes: Words,
    kinds: Type.Object({ bias: KindReport, dark: KindReport, flat: KindReport }),
  },
  { title: 'CalibrationReport' },
);
