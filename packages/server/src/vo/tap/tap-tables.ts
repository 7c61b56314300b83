/**
 * What the TAP service publishes: its tables with their columns' VOTable types, units (VOUnits),
 * UCDs and descriptions, for /tables, TAP_SCHEMA and the FIELDs of every result.
 *
 *   TAP_TABLES        aims.images (from the field table), then TAP_SCHEMA's own five tables
 *   adqlTables()      the same tables as the ADQL compiler reads them (SQL of each column)
 *   fieldOf(column)   the VOTable FIELD of a result column
 */
import type { AdqlColumnType, AdqlTable, OutputColumn } from '../../db/adql/compile.js';
import { imagesAdqlTable, literalAdqlTable } from '../../db/adql/tables.js';
import { fieldSpec, type ImageFieldName } from '../../domain/image-fields.js';
import { adqlName } from '../adql/reserved.js';
import { OBSCORE_COLUMNS } from '../obscore.columns.js';

export interface TapColumn {
  name: string;
  type: AdqlColumnType;
  description: string;
  unit: string | null;
  ucd: string | null;
  utype: string | null;
  /** Shown by default in clients (TAP_SCHEMA.columns.principal). */
  principal: boolean;
  indexed: boolean;
  /** Defined by a standard (ObsCore, TAP_SCHEMA). */
  std: boolean;
  /** A 32-bit integer in VOTable (TAP_SCHEMA's flags and indexes), else long. */
  int32?: true;
}

export interface TapTable {
  schema: string;
  name: string;
  description: string;
  columns: TapColumn[];
  /** Foreign keys to other published tables (target: `schema.table`). */
  foreignKeys?: Array<{ from: string; target: string; targetColumn: string }>;
}

/** VOTable datatype and arraysize of each ADQL type. */
export function votableType(
  type: AdqlColumnType,
  int32?: boolean,
): {
  datatype: string;
  arraysize: string | null;
  xtype: string | null;
} {
  switch (type) {
    case 'double':
      return { datatype: 'double', arraysize: null, xtype: null };
    case 'integer':
      return { datatype: int32 ? 'int' : 'long', arraysize: null, xtype: null };
    case 'timestamp':
      return { datatype: 'char', arraysize: '*', xtype: 'timestamp' };
    case 'region':
      return { datatype: 'char', arraysize: '*', xtype: 'adql:REGION' };
    default:
      return { datatype: 'char', arraysize: '*', xtype: null };
  }
}

/** The field table's units in VOUnit spelling (IVOA VOUnits 1.0). */
const VO_UNITS: Record<string, string> = {
  '°C': 'Cel',
  µm: 'um',
  'arcsec/px': 'arcsec/pix',
  px: 'pix',
  ADU: 'adu',
  bytes: 'byte',
  steps: '',
};

const IMAGE_UCDS: Partial<Record<ImageFieldName, string>> = {
  id: 'meta.id;meta.main',
  date_obs: 'time.start;obs.exposure',
  night: 'time.epoch;obs',
  object_name: 'meta.id;src',
  image_type: 'meta.code.class',
  filter_name: 'instr.filter',
  exptime: 'time.duration;obs.exposure',
  ra_deg: 'pos.eq.ra;meta.main',
  dec_deg: 'pos.eq.dec;meta.main',
  ccd_temp: 'phys.temperature;instr.det',
  airmass: 'obs.airMass',
  telescope: 'instr.tel',
  observatory: 'instr.obsty',
  instrument: 'instr',
  naxis1: 'meta.number;instr.pixel',
  naxis2: 'meta.number;instr.pixel',
  pixel_scale_arcsec: 'instr.scale',
  fov_width_deg: 'instr.fov',
  fov_height_deg: 'instr.fov',
  mjd_obs: 'time.start;obs.exposure',
  fwhm_arcsec: 'phys.angSize;instr.det.psf',
  fwhm_px: 'phys.angSize;instr.det.psf',
  star_count: 'meta.number;src',
  background: 'instr.skyLevel',
  noise: 'stat.stdev;instr.skyLevel',
  quality_score: 'meta.code.qual',
  quality_flag: 'meta.code.qual',
  sha256: 'meta.checksum',
  size_bytes: 'phys.size;meta.file',
};

const PRINCIPAL = new Set<string>([
  'id',
  'date_obs',
  'object_name',
  'image_type',
  'filter_name',
  'exptime',
  'ra_deg',
  'dec_deg',
  'telescope',
  'instrument',
  'fwhm_arcsec',
  'quality_score',
]);
const INDEXED = new Set<string>([
  'id',
  'date_obs',
  'night',
  'ra_deg',
  'dec_deg',
  'object_name',
  'filter_name',
  'exptime',
  'quality_score',
  'fwhm_arcsec',
  'ccd_temp',
]);

function imagesTable(): TapTable {
  const columns = imagesAdqlTable().columns.map((c): TapColumn => {
    const spec = fieldSpec(c.name as ImageFieldName);
    const unit =
      c.type === 'timestamp' ? null : spec.unit === undefined ? null : (VO_UNITS[spec.unit] ?? spec.unit) || null;
    return {
      name: c.name,
      type: c.type,
      description: spec.type === 'boolean' ? `${spec.description} (1 true, 0 false)` : spec.description,
      unit,
      ucd: IMAGE_UCDS[c.name as ImageFieldName] ?? null,
      utype: null,
      principal: PRINCIPAL.has(c.name),
      indexed: INDEXED.has(c.name),
      std: false,
    };
  });
  return {
    schema: 'aims',
    name: 'images',
    description: 'Every frame of the AIMS catalog, one row per image, with every catalog field the REST API shows',
    columns,
  };
}

// TAP_SCHEMA (TAP 1.1, section 4): descriptions of the tables above, queryable with ADQL.
const text = (name: string, description: string): TapColumn => ({
  name,
  type: 'text',
  description,
  unit: null,
  ucd: null,
  utype: null,
  principal: true,
  indexed: false,
  std: true,
});
const int = (name: string, description: string): TapColumn => ({
  ...text(name, description),
  type: 'integer',
  int32: true,
});

const TAP_SCHEMA_COLUMNS: Record<string, TapColumn[]> = {
  schemas: [
    text('schema_name', 'schema name, possibly qualified'),
    text('utype', 'lists the utypes of schemas'),
    text('description', 'describes schemas in the tableset'),
    int('schema_index', 'recommended sort order when listing schemas'),
  ],
  tables: [
    text('schema_name', 'the schema name from TAP_SCHEMA.schemas'),
    text('table_name', 'the fully qualified table name'),
    text('table_type', 'one of: table, view'),
    text('utype', 'lists the utype of tables in the tableset'),
    text('description', 'describes tables in the tableset'),
    int('table_index', 'recommended sort order when listing tables'),
  ],
  columns: [
    text('table_name', 'the table this column belongs to'),
    text('column_name', 'the column name'),
    text('utype', 'lists the utypes of columns in the tableset'),
    text('ucd', 'the UCD of column if any'),
    text('unit', 'the unit of the column if any'),
    text('description', 'describes the columns in the tableset'),
    text('datatype', 'the ADQL datatype of the column'),
    text('arraysize', 'the VOTable arraysize of the column (* for variable length)'),
    text('xtype', 'a DALI or custom extended type annotation'),
    int('size', 'same as "arraysize" but kept for backwards compatibility only'),
    int('principal', 'a principal column; 1 means 1, 0 means 0'),
    int('indexed', 'an indexed column; 1 means 1, 0 means 0'),
    int('std', 'a standard column; 1 means 1, 0 means 0'),
    int('column_index', 'recommended sort order when listing columns of a table'),
  ],
  keys: [
    text('key_id', 'unique key to join to TAP_SCHEMA.key_columns'),
    text('from_table', 'the table with the foreign key'),
    text('target_table', 'the table with the primary key'),
    text('utype', 'lists the utype of keys in the tableset'),
    text('description', 'describes keys in the tableset'),
  ],
  key_columns: [
    text('key_id', 'key to join to TAP_SCHEMA.keys'),
    text('from_column', 'column in the from_table'),
    text('target_column', 'column in the target_table'),
  ],
};

/** TAP_SCHEMA's own foreign keys (TAP 1.1, 4): id, from table, target table, from column, target column. */
const TAP_SCHEMA_KEYS: Array<[string, string, string, string, string]> = [
  ['tables_schema', 'tables', 'schemas', 'schema_name', 'schema_name'],
  ['columns_table', 'columns', 'tables', 'table_name', 'table_name'],
  ['keys_from', 'keys', 'tables', 'from_table', 'table_name'],
  ['keys_target', 'keys', 'tables', 'target_table', 'table_name'],
  ['key_columns_key', 'key_columns', 'keys', 'key_id', 'key_id'],
];

const TAP_SCHEMA_TABLES: TapTable[] = Object.entries(TAP_SCHEMA_COLUMNS).map(([name, columns]) => ({
  schema: 'TAP_SCHEMA',
  name,
  description: `TAP_SCHEMA.${name}: ${name === 'key_columns' ? 'columns of foreign keys' : `the ${name} of this service`}`,
  columns,
  foreignKeys: TAP_SCHEMA_KEYS.filter(([, from]) => from === name).map(([, , target, fromColumn, targetColumn]) => ({
    from: fromColumn,
    target: `TAP_SCHEMA.${target}`,
    targetColumn,
  })),
}));

const SCHEMA_DESCRIPTIONS: Record<string, string> = {
  aims: 'The AIMS catalog of observatory frames',
  ivoa: 'IVOA-defined data models (ObsCore)',
  TAP_SCHEMA: 'Descriptions of the tables of this service (TAP 1.1)',
};

/** ivoa.obscore (ObsCore 1.1), from THE definition of its columns in vo/obscore.columns.ts. */
function obscoreTable(): TapTable {
  return {
    schema: 'ivoa',
    name: 'obscore',
    description: 'ObsCore 1.1: every frame of the catalog as an observation (one image each)',
    columns: OBSCORE_COLUMNS.map((c) => ({
      name: c.name,
      type:
        c.name === 's_region'
          ? 'region'
          : c.datatype === 'char'
            ? 'text'
            : c.datatype === 'double'
              ? 'double'
              : 'integer',
      description: c.description,
      unit: c.unit ?? null,
      ucd: c.ucd,
      utype: c.utype,
      principal: true,
      indexed: c.name === 's_ra' || c.name === 's_dec',
      std: true,
      ...(c.datatype === 'int' ? { int32: true as const } : {}),
    })),
  };
}

/** Every table of the service, data first. */
export function tapTables(): TapTable[] {
  return [obscoreTable(), imagesTable(), ...TAP_SCHEMA_TABLES];
}

/** The rows of TAP_SCHEMA's tables, describing `tables` (themselves included). */
function tapSchemaRows(tables: TapTable[]): Record<string, Array<Array<string | number | null>>> {
  const schemas = [...new Set(tables.map((t) => t.schema))];
  return {
    schemas: schemas.map((s, i) => [s, null, SCHEMA_DESCRIPTIONS[s] ?? null, i]),
    tables: tables.map((t, i) => [t.schema, `${t.schema}.${t.name}`, 'table', null, t.description, i]),
    columns: tables.flatMap((t) =>
      t.columns.map((c, i) => {
        const v = votableType(c.type, c.int32);
        return [
          `${t.schema}.${t.name}`,
          adqlName(c.name),
          c.utype,
          c.ucd,
          c.unit,
          c.description,
          v.datatype,
          v.arraysize,
          v.xtype,
          null,
          c.principal ? 1 : 0,
          c.indexed ? 1 : 0,
          c.std ? 1 : 0,
          i,
        ];
      }),
    ),
    keys: TAP_SCHEMA_KEYS.map(([id, from, target]) => [id, `TAP_SCHEMA.${from}`, `TAP_SCHEMA.${target}`, null, null]),
    key_columns: TAP_SCHEMA_KEYS.map(([id, , , fromColumn, targetColumn]) => [id, fromColumn, targetColumn]),
  };
}

/** The tables as the compiler reads them: the catalog's, and TAP_SCHEMA's as constant rows. */
export function adqlTables(tables: TapTable[], data: AdqlTable[]): AdqlTable[] {
  const rows = tapSchemaRows(tables);
  const schemaTables = TAP_SCHEMA_TABLES.map((t) =>
    literalAdqlTable(
      t.schema,
      t.name,
      t.columns.map((c) => ({ name: c.name, type: c.type })),
      rows[t.name] ?? [],
    ),
  );
  return [...data, ...schemaTables];
}

/** A result column's metadata: the column of `table` it shows, else its own name and type. */
export function fieldOf(column: OutputColumn, table: TapTable | undefined): TapColumn & { outputName: string } {
  const source = column.column ? table?.columns.find((c) => c.name === column.column?.name) : undefined;
  return { ...(source ?? text(column.name, '')), type: column.type, outputName: column.name };
}
