/**
 * The catalog's request and response schemas. The filters are the public API (docs/api.md); each one is
 * described here once and this one description validates the query, types the handler and
 * documents the OpenAPI page.
 */
import { type TNumber, type TOptional, type TSchema, type TString, Type } from '@sinclair/typebox';
import { SORT_COLUMNS, type SortColumn } from '../../db/image-filters.js';
import { IMAGE_TYPES } from '../../domain/image.js';
import {
  API_FIELDS,
  EXACT_FILTERS,
  fieldSpec,
  type ImageFieldName,
  MATCH_FILTERS,
  type MatchFilterParam,
  RANGE_FILTERS,
  type RangeFilterParam,
} from '../../domain/image-fields.js';
import { Nullable, StringEnum } from './common.schemas.js';

const DAY = { pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-expected': 'a date YYYY-MM-DD' };
const TIME = { pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', 'x-expected': 'a time HH:MM (00:00–23:59)' };
const TEXT = { minLength: 1, maxLength: 200 };

/** The filters, as typed values: shared by the query string and the body of POST /api/downloads. */
export const filterProperties = {
  date: Type.Optional(Type.String({ ...DAY, description: 'UTC calendar day of DATE-OBS' })),
  date_from: Type.Optional(Type.String({ ...DAY, description: 'first UTC day (inclusive)' })),
  date_to: Type.Optional(Type.String({ ...DAY, description: 'last UTC day (inclusive)' })),
  night: Type.Optional(Type.String({ ...DAY, description: 'observing night (local date at its start)' })),
  start_time: Type.Optional(
    Type.String({ ...TIME, description: 'UTC time of day, inclusive; start > end crosses midnight (22:00–04:00)' }),
  ),
  end_time: Type.Optional(Type.String({ ...TIME, description: 'UTC time of day, inclusive' })),
  ...rangeFilterProperties(),
  camera: Type.Optional(
    Type.String({ ...TEXT, description: 'a case-insensitive part of the camera or instrument name' }),
  ),
  telescope: Type.Optional(
    Type.String({
      ...TEXT,
      description: 'a case-insensitive part of the telescope or observatory name ("winer" finds "Winer Observatory")',
    }),
  ),
  ...matchFilterProperties(),
  ...exactFilterProperties(),
  object: Type.Optional(
    Type.String({ ...TEXT, description: 'case- and blank-insensitive ("M 13" = "m13"); * is a wildcard' }),
  ),
  image_type: Type.Optional(StringEnum(IMAGE_TYPES)),
  ra: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'cone centre, degrees' })),
  dec: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'cone centre, degrees' })),
  radius: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 180, description: 'cone radius, degrees (with ra and dec)' }),
  ),
  missing: Type.Optional(Type.Boolean({ description: 'true: only frames whose file is gone; false: only present' })),
};

/** `header.KEY=value`, `header.KEY>=n` (sent as key `header.KEY>`), `header.KEY<=n`. */
const headerPattern = { '^header\\.': Type.String({ maxLength: 200 }) };

/** Every `sort` the API takes: a sortable field of the field table, ascending or descending. */
type SortParam = SortColumn | `-${SortColumn}` | `${SortColumn}:${'asc' | 'desc'}`;
const SORT_VALUES = SORT_COLUMNS.flatMap((c): SortParam[] => [c, `-${c}`, `${c}:asc`, `${c}:desc`]);

export const ImageQuery = Type.Object(
  {
    ...filterProperties,
    sort: Type.Optional(
      StringEnum(SORT_VALUES, {
        description: `one of ${SORT_COLUMNS.join(', ')}; "-col" or "col:desc" for descending (default -date_obs)`,
        'x-expected': `one of ${SORT_COLUMNS.join(', ')}, as "col" or "col:asc", "-col" or "col:desc"`,
      }),
    ),
    order: Type.Optional(StringEnum(['asc', 'desc'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'next_cursor of the previous page' })),
    fields: Type.Optional(Type.String({ maxLength: 2000, description: 'comma-separated item fields (id always)' })),
    format: Type.Optional(
      StringEnum(['json', 'csv'], { description: 'export every match as a file instead of a page' }),
    ),
    // jQuery and friends add `_=<timestamp>` to defeat caches.
    _: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false, patternProperties: headerPattern },
);

export const FilterQuery = Type.Object(filterProperties, {
  additionalProperties: false,
  patternProperties: headerPattern,
});

const num = Nullable.number();
const str = Nullable.string();

/** What a field is, for its schema's description: "exposure time (s)". */
function describe(name: ImageFieldName): string {
  const spec = fieldSpec(name);
  return spec.unit === undefined ? spec.description : `${spec.description} (${spec.unit})`;
}

/** The JSON Schema of a field in an API item, from the field table. */
function fieldSchema(name: ImageFieldName): TSchema {
  const spec = fieldSpec(name);
  const options = { description: describe(name) };
  const nullable = spec.nullable !== false;
  switch (spec.type) {
    case 'text':
    case 'instant':
      return nullable ? Nullable.string(options) : Type.String(options);
    case 'enum':
      return nullable
        ? Type.Unsafe({ type: ['string', 'null'], enum: [...(spec.values ?? []), null], ...options })
        : StringEnum(spec.values ?? [], options);
    case 'real':
    case 'bigint':
      return nullable ? Nullable.number(options) : Type.Number(options);
    case 'integer':
      return nullable ? Nullable.integer(options) : Type.Integer(options);
    case 'boolean':
      return Type.Boolean(options);
    case 'json':
      return Type.Unknown(options);
  }
}

/** `min_temp`, `max_temp`, …: the generic range filters of the field table. */
function rangeFilterProperties() {
  const properties: Record<string, TSchema> = {};
  for (const rule of RANGE_FILTERS) {
    const bounds = { minimum: rule.minimum, maximum: rule.maximum };
    const side = rule.op === '>=' ? 'lowest' : 'highest';
    properties[rule.param] = Type.Optional(
      Type.Number({
        ...Object.fromEntries(Object.entries(bounds).filter(([, v]) => v !== undefined)),
        description: `${side} ${rule.field}: ${describe(rule.field)}`,
      }),
    );
  }
  return properties as { [P in RangeFilterParam]: TOptional<TNumber> };
}

/** `telescope`, `filter_name`, …: the generic text filters of the field table. */
function matchFilterProperties() {
  const properties: Record<string, TSchema> = {};
  for (const field of MATCH_FILTERS)
    properties[field] = Type.Optional(Type.String({ ...TEXT, description: `${describe(field)}, case-insensitive` }));
  return properties as { [P in MatchFilterParam]: TOptional<TString> };
}

/** `checksum_status`, `fixity_status`, …: the generic enum filters of the field table. */
function exactFilterProperties() {
  const properties: Record<string, TSchema> = {};
  for (const field of EXACT_FILTERS)
    properties[field] = Type.Optional(StringEnum(fieldSpec(field).values ?? [], { description: describe(field) }));
  return properties as { [P in MatchFilterParam]: TOptional<TString> };
}

/** Every field of an item, in the order of the field table. */
export const IMAGE_ITEM_FIELDS: Record<string, TSchema> = Object.fromEntries(
  API_FIELDS.map((name) => [name, fieldSchema(name)]),
);

// Every property optional: `fields` may select any subset.
export const ImageItem = Type.Object(
  Object.fromEntries(Object.entries(IMAGE_ITEM_FIELDS).map(([k, v]) => [k, Type.Optional(v)])),
  { title: 'ImageItem' },
);

export const ImagePage = Type.Object(
  {
    total: Type.Integer({
      description: 'Frames that match; when total_exact is false, more than this many match.',
    }),
    total_exact: Type.Boolean({
      description:
        'false when the count stopped at `total` (10,000) because an exact one would read every match: ' +
        'show "more than 10,000". Without filters, and with one of night, date, date range, image_type, ' +
        'filter_name or an exact object, the total is always exact.',
    }),
    items: Type.Array(ImageItem),
    next_cursor: Nullable.string(),
  },
  { title: 'ImagePage' },
);

export const ImageDetail = Type.Object(
  {
    ...Object.fromEntries(Object.entries(IMAGE_ITEM_FIELDS).map(([k, v]) => [k, Type.Optional(v)])),
    header: Type.Array(
      Type.Object({
        index: Type.Integer(),
        type: Type.String(),
        cards: Type.Array(Type.Object({ key: Type.String(), value: Type.Unknown(), comment: Type.String() })),
      }),
    ),
    normalization: Type.Unknown(),
    previous_versions: Type.Array(Type.Unknown()),
    paths: Type.Array(
      Type.Object({
        file_path: Type.String(),
        kind: Type.String(),
        recorded_at: Type.String(),
        missing_since: str,
        verified_at: str,
        fixity_status: Nullable.string(),
        fixity_reason: Nullable.string(),
      }),
    ),
    checksums: Type.Array(
      Type.Object({
        index: Type.Integer(),
        checksum: StringEnum(['ok', 'bad', 'absent']),
        datasum: StringEnum(['ok', 'bad', 'absent']),
        computed_datasum: Nullable.string(),
        reason: Type.Optional(Type.String()),
      }),
      { description: 'FITS CHECKSUM and DATASUM of each HDU as verified at ingest; empty when not looked at' },
    ),
  },
  { title: 'ImageDetail' },
);

const FacetList = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));
export const FacetsResponse = Type.Object(
  {
    filter_name: FacetList,
    object_name: FacetList,
    telescope: FacetList,
    camera: FacetList,
    instrument: FacetList,
    night: FacetList,
    image_type: FacetList,
    exact: Type.Boolean({
      description:
        'false when more than 2,000 frames match the filters: the counts are those of the newest 2,000 ' +
        '(lower bounds), and rarer values may be missing. Without filters the counts are always exact.',
    }),
  },
  { title: 'Facets' },
);

export const KeywordsResponse = Type.Object(
  {
    keywords: Type.Array(Type.String(), {
      description: 'every keyword that `header.KEY` can search, upper case, in byte order (at most 500)',
    }),
    complete: Type.Boolean({ description: 'false when the catalog knows more than 500 keywords' }),
  },
  { title: 'HeaderKeywords' },
);

export const NightsResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      night: Type.String(),
      frames: Type.Integer(),
      exposure_seconds: Type.Number(),
      first_date_obs: str,
      last_date_obs: str,
      median_fwhm_arcsec: num,
      median_fwhm_px: num,
      min_ccd_temp: num,
      max_ccd_temp: num,
      mean_quality: num,
      flagged: Type.Integer(),
    }),
  ),
});
