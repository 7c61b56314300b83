/**
 * VOTable 1.4 documents for the IVOA services (SIA 2.0 now): the ObsCore result table of catalog
 * frames, the DALI error document, and the VOSI capabilities/availability.
 *
 *   siaResultsVotable(images, { downloadBase, overflow })
 *   siaErrorVotable(message)
 *   vosiCapabilities(baseUrl) / vosiAvailability()
 */
import type { CatalogImage } from '../db/image.mapper.js';
import { mjdFromUnixMs } from '../util/time.js';

export const VOTABLE_CONTENT_TYPE = 'application/x-votable+xml';

/** Escapes text for element content and attribute values alike. */
export function xmlEscape(value: string): string {
  // Characters XML 1.0 forbids even escaped are dropped: a FITS header may hold any byte.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface ObsCoreField {
  name: string;
  datatype: 'char' | 'double' | 'long' | 'int';
  ucd: string;
  utype: string;
  unit?: string;
  xtype?: string;
  value: (image: CatalogImage, downloadBase: string) => string | number | null;
}

/** MJD of the exposure start: the stored MJD-OBS, else derived from DATE-OBS. */
export function startMjd(image: CatalogImage): number | null {
  if (image.mjd_obs !== null && Number.isFinite(image.mjd_obs)) return image.mjd_obs;
  return image.date_obs_ms === null ? null : mjdFromUnixMs(image.date_obs_ms);
}

/** MJD of the exposure end (start + EXPTIME; the start when EXPTIME is unknown). */
export function endMjd(image: CatalogImage): number | null {
  const start = startMjd(image);
  if (start === null) return null;
  return start + (image.exptime ?? 0) / 86_400;
}

/** The field of view: the larger side (degrees), as ObsCore's s_fov "diameter". */
function fovDeg(image: CatalogImage): number | null {
  const sides = [image.fov_width_deg, image.fov_height_deg].filter((v): v is number => v !== null);
  return sides.length ? Math.max(...sides) : null;
}

/** STC-S polygon of the footprint corners (ICRS degrees), DALI's `polygon` xtype uses plain numbers. */
function regionOf(image: CatalogImage): string | null {
  const corners = image.footprint;
  if (!corners || corners.length < 3) return null;
  return `POLYGON ICRS ${corners.map(([ra, dec]) => `${ra} ${dec}`).join(' ')}`;
}

const FIELDS: ObsCoreField[] = [
  {
    name: 'dataproduct_type',
    datatype: 'char',
    ucd: 'meta.code.class',
    utype: 'obscore:ObsDataset.dataProductType',
    value: () => 'image',
  },
  {
    name: 'calib_level',
    datatype: 'int',
    ucd: 'meta.code;obs.calib',
    utype: 'obscore:ObsDataset.calibLevel',
    value: () => 1,
  },
  { name: 'obs_collection', datatype: 'char', ucd: 'meta.id', utype: 'obscore:DataID.Collection', value: () => 'AIMS' },
  {
    name: 'obs_id',
    datatype: 'char',
    ucd: 'meta.id',
    utype: 'obscore:DataID.observationID',
    value: (i) => String(i.id),
  },
  {
    name: 'obs_publisher_did',
    datatype: 'char',
    ucd: 'meta.ref.ivoid',
    utype: 'obscore:Curation.PublisherDID',
    value: (i) => `ivo://aims/images?${i.id}`,
  },
  {
    name: 'access_url',
    datatype: 'char',
    ucd: 'meta.ref.url',
    utype: 'obscore:Access.Reference',
    value: (i, base) => `${base}/api/images/${i.id}/download`,
  },
  {
    name: 'access_format',
    datatype: 'char',
    ucd: 'meta.code.mime',
    utype: 'obscore:Access.Format',
    value: () => 'image/fits',
  },
  {
    name: 'access_estsize',
    datatype: 'long',
    ucd: 'phys.size;meta.file',
    utype: 'obscore:Access.Size',
    unit: 'kbyte',
    value: (i) => Math.ceil(i.size_bytes / 1024),
  },
  {
    name: 'target_name',
    datatype: 'char',
    ucd: 'meta.id;src',
    utype: 'obscore:Target.Name',
    value: (i) => i.object_name,
  },
  {
    name: 's_ra',
    datatype: 'double',
    ucd: 'pos.eq.ra',
    utype: 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1',
    unit: 'deg',
    value: (i) => i.ra_deg,
  },
  {
    name: 's_dec',
    datatype: 'double',
    ucd: 'pos.eq.dec',
    utype: 'obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2',
    unit: 'deg',
    value: (i) => i.dec_deg,
  },
  {
    name: 's_fov',
    datatype: 'double',
    ucd: 'phys.angSize;instr.fov',
    utype: 'obscore:Char.SpatialAxis.Coverage.Bounds.Extent.diameter',
    unit: 'deg',
    value: fovDeg,
  },
  {
    name: 's_region',
    datatype: 'char',
    ucd: 'pos.outline;obs.field',
    utype: 'obscore:Char.SpatialAxis.Coverage.Support.Area',
    xtype: 'adql:REGION',
    value: regionOf,
  },
  {
    name: 's_resolution',
    datatype: 'double',
    ucd: 'pos.angResolution',
    utype: 'obscore:Char.SpatialAxis.Resolution.Refval.value',
    unit: 'arcsec',
    value: (i) => i.fwhm_arcsec ?? i.pixel_scale_arcsec,
  },
  {
    name: 't_min',
    datatype: 'double',
    ucd: 'time.start;obs.exposure',
    utype: 'obscore:Char.TimeAxis.Coverage.Bounds.Limits.StartTime',
    unit: 'd',
    value: startMjd,
  },
  {
    name: 't_max',
    datatype: 'double',
    ucd: 'time.end;obs.exposure',
    utype: 'obscore:Char.TimeAxis.Coverage.Bounds.Limits.StopTime',
    unit: 'd',
    value: endMjd,
  },
  {
    name: 't_exptime',
    datatype: 'double',
    ucd: 'time.duration;obs.exposure',
    utype: 'obscore:Char.TimeAxis.Coverage.Support.Extent',
    unit: 's',
    value: (i) => i.exptime,
  },
  {
    name: 'em_min',
    datatype: 'double',
    ucd: 'em.wl;stat.min',
    utype: 'obscore:Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit',
    unit: 'm',
    value: () => null,
  },
  {
    name: 'em_max',
    datatype: 'double',
    ucd: 'em.wl;stat.max',
    utype: 'obscore:Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit',
    unit: 'm',
    value: () => null,
  },
  {
    name: 'o_ucd',
    datatype: 'char',
    ucd: 'meta.ucd',
    utype: 'obscore:Char.ObservableAxis.ucd',
    value: () => 'phot.count',
  },
  {
    name: 'instrument_name',
    datatype: 'char',
    ucd: 'meta.id;instr',
    utype: 'obscore:Provenance.ObsConfig.Instrument.name',
    value: (i) => i.instrument ?? i.camera,
  },
  {
    name: 'facility_name',
    datatype: 'char',
    ucd: 'meta.id;instr.tel',
    utype: 'obscore:Provenance.ObsConfig.Facility.name',
    value: (i) => i.telescope ?? i.observatory,
  },
  {
    name: 's_xel1',
    datatype: 'long',
    ucd: 'meta.number',
    utype: 'obscore:Char.SpatialAxis.numBins1',
    value: (i) => i.naxis1,
  },
  {
    name: 's_xel2',
    datatype: 'long',
    ucd: 'meta.number',
    utype: 'obscore:Char.SpatialAxis.numBins2',
    value: (i) => i.naxis2,
  },
  {
    name: 'pol_states',
    datatype: 'char',
    ucd: 'meta.code;phys.polarization',
    utype: 'obscore:Char.PolarizationAxis.stateList',
    value: () => null,
  },
];

/** Names of the result columns, in order. */
export const SIA_COLUMNS = FIELDS.map((f) => f.name);

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n';

function fieldXml(f: ObsCoreField): string {
  const attrs = [`name="${f.name}"`, `datatype="${f.datatype}"`];
  if (f.datatype === 'char') attrs.push('arraysize="*"');
  attrs.push(`ucd="${f.ucd}"`, `utype="${f.utype}"`);
  if (f.unit) attrs.push(`unit="${f.unit}"`);
  if (f.xtype) attrs.push(`xtype="${f.xtype}"`);
  // Integer columns need an explicit null value: TABLEDATA has no empty integer otherwise.
  const nullValue = f.datatype === 'long' || f.datatype === 'int' ? '<VALUES null="-1"/>' : '';
  return `<FIELD ${attrs.join(' ')}>${nullValue}</FIELD>`;
}

function cellXml(value: string | number | null, f: ObsCoreField): string {
  if (value === null || value === undefined) {
    return f.datatype === 'long' || f.datatype === 'int' ? '<TD>-1</TD>' : '<TD/>';
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    return f.datatype === 'double' ? '<TD>NaN</TD>' : '<TD>-1</TD>';
  return `<TD>${xmlEscape(String(value))}</TD>`;
}

export interface SiaResultsOptions {
  /** Scheme and host the download links start with, e.g. `https://aims.example.org`. */
  downloadBase: string;
  /** MAXREC cut the results short (QUERY_STATUS OVERFLOW). */
  overflow: boolean;
}

export function siaResultsVotable(images: CatalogImage[], options: SiaResultsOptions): string {
  const parts = [
    HEADER,
    '<RESOURCE type="results">\n',
    `<INFO name="QUERY_STATUS" value="${options.overflow ? 'OVERFLOW' : 'OK'}"/>\n`,
    '<INFO name="standardID" value="ivo://ivoa.net/std/SIA#query-2.0"/>\n',
    '<TABLE>\n',
    ...FIELDS.map((f) => `${fieldXml(f)}\n`),
    '<DATA><TABLEDATA>\n',
  ];
  for (const image of images)
    parts.push(`<TR>${FIELDS.map((f) => cellXml(f.value(image, options.downloadBase), f)).join('')}</TR>\n`);
  parts.push('</TABLEDATA></DATA>\n</TABLE>\n</RESOURCE>\n</VOTABLE>\n');
  return parts.join('');
}

/** DALI error document: the message in the QUERY_STATUS INFO. */
export function siaErrorVotable(message: string): string {
  return (
    `${HEADER}<RESOURCE type="results">\n` +
    `<INFO name="QUERY_STATUS" value="ERROR">${xmlEscape(message)}</INFO>\n` +
    '</RESOURCE>\n</VOTABLE>\n'
  );
}

/** VOSI capabilities: the SIA 2.0 query endpoint and the two VOSI endpoints, under `siaBase`. */
export function vosiCapabilities(siaBase: string): string {
  const cap = (standardId: string, path: string, extra = '') =>
    `<capability standardID="${standardId}">\n` +
    `<interface xsi:type="vs:ParamHTTP"${extra}><accessURL use="full">${xmlEscape(`${siaBase}/${path}`)}</accessURL></interface>\n` +
    '</capability>\n';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1">\n' +
    cap('ivo://ivoa.net/std/SIA#query-2.0', 'query', ' role="std" version="2.0"') +
    cap('ivo://ivoa.net/std/VOSI#capabilities', 'capabilities') +
    cap('ivo://ivoa.net/std/VOSI#availability', 'availability') +
    '</vosi:capabilities>\n'
  );
}

export function vosiAvailability(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">\n' +
    '<vosi:available>true</vosi:available>\n' +
    '</vosi:availability>\n'
  );
}
