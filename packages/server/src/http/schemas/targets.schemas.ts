/** GET /api/targets and /api/targets/{key} (catalog/targets.ts). */
import { Type } from '@sinclair/typebox';
import { TARGET_SORTS } from '../../catalog/targets.js';
import { Nullable, StringEnum } from './common.schemas.js';
import { ImageItem } from './images.schemas.js';

const totals = {
  frames: Type.Integer({ description: 'light frames' }),
  good_frames: Type.Integer({ description: 'frames with quality_flag' }),
  integration_seconds: Type.Number({ description: 'summed exposure of the frames' }),
  good_integration_seconds: Type.Number({ description: 'summed exposure of the good frames' }),
};

const TargetFilter = Type.Object({ filter_name: Nullable.string(), ...totals }, { title: 'TargetFilter' });

const targetFields = {
  key: Type.String({ description: 'the normalized object name (lower case, no blanks); GET /api/images?object=KEY' }),
  name: Type.String({ description: 'one spelling of the name as the headers write it' }),
  ra_deg: Nullable.number({ description: 'mean position of the frames' }),
  dec_deg: Nullable.number(),
  ...totals,
  nights: Type.Integer(),
  first_date_obs: Nullable.string({ format: 'date-time' }),
  last_date_obs: Nullable.string({ format: 'date-time' }),
  filters: Type.Array(TargetFilter, { description: 'per filter, most integration first' }),
};

export const Target = Type.Object(targetFields, { title: 'Target' });

export const TargetQuery = Type.Object(
  {
    sort: Type.Optional(StringEnum(TARGET_SORTS, { default: 'last_date_obs' })),
    order: Type.Optional(StringEnum(['asc', 'desc'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'name contains (any case, blanks ignored)' })),
    format: Type.Optional(StringEnum(['csv'] as const, { description: 'every target as CSV, one row per filter' })),
  },
  { additionalProperties: false },
);

export const TargetPage = Type.Object({ total: Type.Integer(), items: Type.Array(Target) }, { title: 'TargetPage' });

const IntegrationSeries = Type.Object(
  {
    filter_name: Nullable.string(),
    points: Type.Array(
      Type.Object({
        night: Type.String({ description: 'observing night (the UTC date when frames have none)' }),
        seconds: Type.Number(),
        good_seconds: Type.Number(),
        cumulative_seconds: Type.Number(),
        cumulative_good_seconds: Type.Number(),
      }),
    ),
  },
  { title: 'IntegrationSeries' },
);

export const TargetDetail = Type.Object(
  {
    ...targetFields,
    integration: Type.Array(IntegrationSeries, { description: 'per filter, night by night: integration so far' }),
    best_frames: Type.Array(ImageItem, { description: 'the lights with the best quality scores' }),
  },
  { title: 'TargetDetail' },
);

export const TargetParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) });
