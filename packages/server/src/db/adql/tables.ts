/**
 * The catalog's tables as ADQL sees them: names, ADQL types and the SQL of each column.
 *
 *   imagesAdqlTable()   aims.images: every stored field of the field table that the API shows, by
 *                       its own name; instants and date_obs are timestamps; booleans are 0/1.
 */
import { type RawBuilder, sql } from 'kysely';
import { COLUMN_FIELDS, type FieldType, fieldSpec } from '../../domain/image-fields.js';
import type { Db } from '../connection.js';
import { type DialectName, dialectInfo } from '../dialect.js';
import { type AdqlColumn, type AdqlColumnType, type AdqlTable, FUNCTIONS } from './compile.js';
import { cornerVector } from './footprint-tests.js';

/** Ingest stores a footprint as the image's four corners (ingest/normalize/sky-geometry.ts). */
const FOOTPRINT_CORNERS = [0, 1, 2, 3];

const ADQL_TYPES: Partial<Record<FieldType, AdqlColumnType>> = {
  text: 'text',
  enum: 'text',
  real: 'double',
  integer: 'integer',
  bigint: 'integer',
  boolean: 'integer',
  instant: 'timestamp',
};

export function imagesAdqlTable(): AdqlTable {
  const columns: AdqlColumn[] = [];
  for (const name of COLUMN_FIELDS) {
    const spec = fieldSpec(name);
    const type = ADQL_TYPES[spec.type];
    if (spec.api === false || !type) continue;
    const ref = sql.ref(`images.${name}`);
    if (name === 'date_obs') {
      // The header's text keeps its precision for the REST API; ADQL compares instants.
      columns.push({ name, type: 'timestamp', sql: sql.ref('images.date_obs_ms') });
      continue;
    }
    columns.push({ name, type, sql: spec.type === 'boolean' ? sql`(case when ${ref} then 1 else 0 end)` : ref });
  }
  return {
    schema: 'aims',
    name: 'images',
    source: sql`images`,
    always: null,
    columns,
    position: {
      ra: 'ra_deg',
      dec: 'dec_deg',
      raSql: sql.ref('images.ra_deg'),
      decSql: sql.ref('images.dec_deg'),
      vector: [sql.ref('images.pos_x'), sql.ref('images.pos_y'), sql.ref('images.pos_z')],
    },
  };
}

const COMPOUND_TERMS = 400;

/**
 * A table of constant rows (TAP_SCHEMA's), as `(select … union all select …) as t`: portable to
 * every engine, and queried by the same compiler as the catalog. Strings are bound as parameters.
 */
export function literalAdqlTable(
  schema: string,
  name: string,
  columns: Array<{ name: string; type: AdqlColumnType }>,
  rows: Array<Array<string | number | null>>,
): AdqlTable {
  const value = (v: string | number | null) =>
    v === null ? sql`null` : typeof v === 'number' ? sql.lit(v) : sql`${v}`;
  const selects = rows.length
    ? rows.map(
        (row) => sql`select ${sql.join(columns.map((c, i) => sql`${value(row[i] ?? null)} as ${sql.ref(c.name)}`))}`,
      )
    : [sql`select ${sql.join(columns.map((c) => sql`null as ${sql.ref(c.name)}`))} from images where 1 = 0`];
  // SQLite allows 500 terms in one compound SELECT: longer lists are unions of sub-selects.
  const chunks: RawBuilder<unknown>[] = [];
  for (let i = 0; i < selects.length; i += COMPOUND_TERMS)
    chunks.push(sql.join(selects.slice(i, i + COMPOUND_TERMS), sql` union all `));
  const union =
    chunks.length === 1
      ? chunks[0]!
      : sql.join(
          chunks.map((c, i) => sql`select * from (${c}) as ${sql.ref(`part_${i}`)}`),
          sql` union all `,
        );
  const alias = `t_${name}`;
  return {
    schema,
    name,
    source: sql`(${union}) as ${sql.ref(alias)}`,
    always: null,
    columns: columns.map((c) => ({ name: c.name, type: c.type, sql: sql.ref(`${alias}.${c.name}`) })),
    position: null,
  };
}

/** One spectral band of the catalog's distinct filter names (and Bayer patterns), in metres. */
export interface FilterBandRow {
  filter: string | null;
  bayer: string | null;
  minM: number;
  maxM: number;
}

export interface ObscoreSql {
  dialect: DialectName;
  /** The published columns, in order (vo/obscore.columns.ts), with their ADQL types. */
  columns: Array<{ name: string; type: AdqlColumnType }>;
  collection: string;
  /** obs_publisher_did = didPrefix + id; access_url = accessUrlPrefix + id. */
  didPrefix: string;
  accessUrlPrefix: string;
  accessFormat: string;
  bands: FilterBandRow[];
  /** Frames may be this wide (degrees, from the frame centre) and still be found by s_region. */
  maxFrameRadiusDeg: number;
}

/** The distinct (filter_name, bayer_pattern) pairs of the catalog, for the band table. */
export async function distinctFilters({ db }: Db): Promise<Array<{ filter: string | null; bayer: string | null }>> {
  const rows = await db.selectFrom('images').select(['filter_name', 'bayer_pattern']).distinct().execute();
  return rows.map((r) => ({ filter: r.filter_name, bayer: r.bayer_pattern }));
}

/**
 * ivoa.obscore over `images`, every column an SQL expression so that it can be filtered, sorted and
 * aggregated like any other: the ObsCore record of vo/obscore.columns.ts, computed by the engine.
 */
export function obscoreAdqlTable(o: ObscoreSql): AdqlTable {
  const fns = FUNCTIONS[o.dialect];
  const dialect = dialectInfo(o.dialect);
  const ref = (name: string) => sql.ref(`images.${name}`);
  const id = fns.text(ref('id'));
  const width = sql`coalesce(${ref('fov_width_deg')}, ${ref('fov_height_deg')})`;
  const height = sql`coalesce(${ref('fov_height_deg')}, ${ref('fov_width_deg')})`;
  const corners = FOOTPRINT_CORNERS.map((i) =>
    cornerVector(dialect.jsonNumberAt(ref('footprint'), [i, 0]), dialect.jsonNumberAt(ref('footprint'), [i, 1])),
  );
  // As SIA's s_fov (vo/obscore.columns.ts): twice the largest distance of a corner from the centre.
  const cosines = corners.map(
    (c) => sql`(${ref('pos_x')} * ${c[0]} + ${ref('pos_y')} * ${c[1]} + ${ref('pos_z')} * ${c[2]})`,
  );
  const reachCos = fns.least(cosines);
  const clamped = fns.least([fns.greatest([reachCos, sql`-1.0`]), sql`1.0`]);
  const footprintDiameter = sql`(2 * degrees(acos(${clamped})))`;
  const tMin = sql`coalesce(${ref('mjd_obs')}, ${ref('date_obs_ms')} / 86400000.0 + 40587)`;
  const bandCase = (value: (b: FilterBandRow) => number) => {
    const known = o.bands.filter((b) => b.filter !== null);
    if (!known.length) return sql`null`;
    const whens = known.map(
      (b) =>
        sql`when ${ref('filter_name')} = ${sql.lit(b.filter)} and ${
          b.bayer === null ? sql`${ref('bayer_pattern')} is null` : sql`${ref('bayer_pattern')} = ${sql.lit(b.bayer)}`
        } then ${sql.lit(value(b))}`,
    );
    return sql`(case ${sql.join(whens, sql` `)} else null end)`;
  };
  const expressions: Record<string, RawBuilder<unknown>> = {
    dataproduct_type: sql.lit('image'),
    calib_level: sql.lit(1),
    obs_collection: sql.lit(o.collection),
    obs_id: id,
    obs_publisher_did: fns.concat(sql.lit(o.didPrefix), id),
    access_url: fns.concat(sql.lit(o.accessUrlPrefix), id),
    access_format: sql.lit(o.accessFormat),
    access_estsize: sql`floor((${ref('size_bytes')} + 1023) / 1024)`,
    target_name: ref('object_name'),
    s_ra: ref('ra_deg'),
    s_dec: ref('dec_deg'),
    s_fov: sql`(case when ${ref('footprint')} is not null and ${ref('pos_x')} is not null then ${footprintDiameter} else sqrt(${width} * ${width} + ${height} * ${height}) end)`,
    s_region: ref('footprint'),
    s_resolution: sql`coalesce(${ref('fwhm_arcsec')}, ${ref('pixel_scale_arcsec')})`,
    s_xel1: ref('naxis1'),
    s_xel2: ref('naxis2'),
    t_min: tMin,
    t_max: sql`(${tMin} + coalesce(${ref('exptime')}, 0) / 86400.0)`,
    t_exptime: ref('exptime'),
    t_resolution: ref('exptime'),
    t_xel: sql.lit(1),
    em_min: bandCase((b) => b.minM),
    em_max: bandCase((b) => b.maxM),
    em_res_power: bandCase((b) => (b.minM + b.maxM) / 2 / (b.maxM - b.minM)),
    em_xel: sql.lit(1),
    o_ucd: sql.lit('phot.count'),
    pol_states: sql`null`,
    pol_xel: sql`null`,
    facility_name: sql`coalesce(${ref('telescope')}, ${ref('observatory')})`,
    instrument_name: sql`coalesce(${ref('instrument')}, ${ref('camera')})`,
  };
  const columns = o.columns.map((c) => {
    const expression = expressions[c.name];
    if (!expression) throw new Error(`ivoa.obscore column ${c.name} has no SQL`);
    return { name: c.name, type: c.type, sql: expression };
  });
  return {
    schema: 'ivoa',
    name: 'obscore',
    source: sql`images`,
    always: null,
    columns,
    region: {
      column: 's_region',
      corners,
      absent: sql`${ref('footprint')} is null`,
      maxRadiusDeg: o.maxFrameRadiusDeg,
    },
    position: {
      ra: 's_ra',
      dec: 's_dec',
      raSql: ref('ra_deg'),
      decSql: ref('dec_deg'),
      vector: [ref('pos_x'), ref('pos_y'), ref('pos_z')],
    },
  };
}
