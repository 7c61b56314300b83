/**
 * ivoa.obscore as AIMS publishes it: THE one definition of the ObsCore 1.1 columns (IVOA
 * Recommendation 2017-05-09, §4 and Appendix B/Table 6) — name, datatype, arraysize, unit, UCD,
 * utype, description — and how each is computed from a catalog frame. SIA 2.0 results, DataLink
 * and TAP_SCHEMA all derive from OBSCORE_COLUMNS.
 *
 *   obscoreRecord(image, context)   the ObsCore values of one frame
 *   OBSCORE_COLUMNS                 the columns, in the standard's order
 *   publisherDid(id) / idFromPublisherDid(did)
 *
 * Choices: one catalog frame is one observation and one data product (dataproduct_type image,
 * calib_level 1: instrumental data in a standard format); access_url is the frame's DataLink
 * document (access_format says so), whose #this link is the original file. obs_publisher_did
 * carries the UCD meta.ref.ivoid of ObsCore 1.1's Erratum 1 (the REC printed meta.ref.uri;
 * meta.curation).
 */
import type { CatalogImage } from '../db/image.mapper.js';
import { mjdFromUnixMs } from '../util/time.js';
import type { BandLookup } from './filter-bands.js';
import { frameRadiusDeg } from './pos-region.js';

export const OBS_COLLECTION = 'AIMS';
export const DATALINK_FORMAT = 'application/x-votable+xml;content=datalink';
export const PRODUCT_FORMAT = 'image/fits';
const DID_PREFIX = 'ivo://aims/images?';

export function publisherDid(id: number): string {
  return `${DID_PREFIX}${id}`;
}

/** The image id of an obs_publisher_did of this service (also a bare id), or null. */
export function idFromPublisherDid(did: string): number | null {
  const text = did.startsWith(DID_PREFIX) ? did.slice(DID_PREFIX.length) : did;
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

export type ObsCoreValue = string | number | null;

export interface ObsCoreColumn {
  name: string;
  datatype: 'char' | 'double' | 'long' | 'int';
  /** VOTable arraysize: '*' for every string column. */
  arraysize?: '*';
  unit?: string;
  ucd: string;
  utype: string;
  xtype?: string;
  description: string;
}

/** What a record needs besides the frame. */
export interface ObsCoreContext {
  /** Scheme and host links start with, e.g. `https://aims.example.org`. */
  baseUrl: string;
  bands: BandLookup;
}

const char = (
  name: string,
  ucd: string,
  utype: string,
  description: string,
  extra: Partial<ObsCoreColumn> = {},
): ObsCoreColumn => ({ name, datatype: 'char', arraysize: '*', ucd, utype, description, ...extra });
const num = (
  name: string,
  datatype: 'double' | 'long' | 'int',
  ucd: string,
  utype: string,
  description: string,
  unit?: string,
): ObsCoreColumn => ({ name, datatype, ucd, utype, description, ...(unit ? { unit } : {}) });

const AXIS = 'obscore:Char.';

export const OBSCORE_COLUMNS: readonly ObsCoreColumn[] = [
  char('dataproduct_type', 'meta.code.class', 'obscore:ObsDataset.dataProductType', 'Data product type (image)'),
  num(
    'calib_level',
    'int',
    'meta.code;obs.calib',
    'obscore:ObsDataset.calibLevel',
    'Calibration level: 1, instrumental data in a standard format',
  ),
  char('obs_collection', 'meta.id', 'obscore:DataID.Collection', 'Name of the data collection'),
  char('obs_id', 'meta.id', 'obscore:DataID.observationID', 'Identifier of the observation (the AIMS image id)'),
  char(
    'obs_publisher_did',
    'meta.ref.ivoid',
    'obscore:Curation.PublisherDID',
    'Dataset identifier given by the publisher',
  ),
  char('access_url', 'meta.ref.url', 'obscore:Access.Reference', 'URL of the DataLink document of the frame'),
  char('access_format', 'meta.code.mime', 'obscore:Access.Format', 'Content type of what access_url returns'),
  num(
    'access_estsize',
    'long',
    'phys.size;meta.file',
    'obscore:Access.Size',
    'Estimated size of the original file',
    'kbyte',
  ),
  char('target_name', 'meta.id;src', 'obscore:Target.Name', 'Object observed, as the header names it'),
  num(
    's_ra',
    'double',
    'pos.eq.ra',
    `${AXIS}SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1`,
    'Right ascension of the frame centre (ICRS)',
    'deg',
  ),
  num(
    's_dec',
    'double',
    'pos.eq.dec',
    `${AXIS}SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2`,
    'Declination of the frame centre (ICRS)',
    'deg',
  ),
  num(
    's_fov',
    'double',
    'phys.angSize;instr.fov',
    `${AXIS}SpatialAxis.Coverage.Bounds.Extent.diameter`,
    'Diameter of the circle around the centre that contains the footprint',
    'deg',
  ),
  char(
    's_region',
    'pos.outline;obs.field',
    `${AXIS}SpatialAxis.Coverage.Support.Area`,
    'Footprint of the frame (STC-S polygon, ICRS)',
    { xtype: 'adql:REGION' },
  ),
  num(
    's_resolution',
    'double',
    'pos.angResolution',
    `${AXIS}SpatialAxis.Resolution.Refval.value`,
    'Measured stellar FWHM, else the pixel scale',
    'arcsec',
  ),
  num('s_xel1', 'long', 'meta.number', `${AXIS}SpatialAxis.numBins1`, 'Number of pixels along the first axis'),
  num('s_xel2', 'long', 'meta.number', `${AXIS}SpatialAxis.numBins2`, 'Number of pixels along the second axis'),
  num(
    't_min',
    'double',
    'time.start;obs.exposure',
    `${AXIS}TimeAxis.Coverage.Bounds.Limits.StartTime`,
    'Start of the exposure (MJD)',
    'd',
  ),
  num(
    't_max',
    'double',
    'time.end;obs.exposure',
    `${AXIS}TimeAxis.Coverage.Bounds.Limits.StopTime`,
    'End of the exposure (MJD)',
    'd',
  ),
  num(
    't_exptime',
    'double',
    'time.duration;obs.exposure',
    `${AXIS}TimeAxis.Coverage.Support.Extent`,
    'Exposure time',
    's',
  ),
  num(
    't_resolution',
    'double',
    'time.resolution',
    `${AXIS}TimeAxis.Resolution.Refval.value`,
    'Temporal resolution: the exposure time of the single frame',
    's',
  ),
  num('t_xel', 'long', 'meta.number', `${AXIS}TimeAxis.numBins`, 'Number of elements along the time axis (1)'),
  num(
    'em_min',
    'double',
    'em.wl;stat.min',
    `${AXIS}SpectralAxis.Coverage.Bounds.Limits.LoLimit`,
    'Short end of the filter passband (vacuum wavelength)',
    'm',
  ),
  num(
    'em_max',
    'double',
    'em.wl;stat.max',
    `${AXIS}SpectralAxis.Coverage.Bounds.Limits.HiLimit`,
    'Long end of the filter passband (vacuum wavelength)',
    'm',
  ),
  num(
    'em_res_power',
    'double',
    'spect.resolution',
    `${AXIS}SpectralAxis.Resolution.ResolPower.refVal`,
    'Resolving power of the passband: centre / width',
  ),
  num('em_xel', 'long', 'meta.number', `${AXIS}SpectralAxis.numBins`, 'Number of elements along the spectral axis (1)'),
  char('o_ucd', 'meta.ucd', `${AXIS}ObservableAxis.ucd`, 'UCD of the observable (pixel values)'),
  char('pol_states', 'meta.code;phys.polarization', `${AXIS}PolarizationAxis.stateList`, 'Polarization states (none)'),
  num('pol_xel', 'long', 'meta.number', `${AXIS}PolarizationAxis.numBins`, 'Number of polarization samples (none)'),
  char(
    'facility_name',
    'meta.id;instr.tel',
    'obscore:Provenance.ObsConfig.Facility.name',
    'Telescope, else observatory',
  ),
  char('instrument_name', 'meta.id;instr', 'obscore:Provenance.ObsConfig.Instrument.name', 'Instrument, else camera'),
];

export type ObsCoreRecord = Record<string, ObsCoreValue>;

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

/** Diameter of the circle around the frame centre that holds the footprint (or the FOV's diagonal). */
export function fovDiameterDeg(image: CatalogImage): number | null {
  const hasSize =
    (image.footprint && image.footprint.length >= 3) || image.fov_width_deg !== null || image.fov_height_deg !== null;
  return hasSize ? 2 * frameRadiusDeg(image) : null;
}

/** STC-S polygon of the footprint corners (ICRS degrees). */
export function regionOf(image: CatalogImage): string | null {
  const corners = image.footprint;
  if (!corners || corners.length < 3) return null;
  return `POLYGON ICRS ${corners.map(([ra, dec]) => `${ra} ${dec}`).join(' ')}`;
}

export function datalinkUrl(baseUrl: string, id: number): string {
  return `${baseUrl}/api/vo/datalink?ID=${encodeURIComponent(publisherDid(id))}`;
}

export function obscoreRecord(image: CatalogImage, context: ObsCoreContext): ObsCoreRecord {
  const band = context.bands(image.filter_name, image.bayer_pattern);
  return {
    dataproduct_type: 'image',
    calib_level: 1,
    obs_collection: OBS_COLLECTION,
    obs_id: String(image.id),
    obs_publisher_did: publisherDid(image.id),
    access_url: datalinkUrl(context.baseUrl, image.id),
    access_format: DATALINK_FORMAT,
    access_estsize: Math.ceil(image.size_bytes / 1024),
    target_name: image.object_name,
    s_ra: image.ra_deg,
    s_dec: image.dec_deg,
    s_fov: fovDiameterDeg(image),
    s_region: regionOf(image),
    s_resolution: image.fwhm_arcsec ?? image.pixel_scale_arcsec,
    s_xel1: image.naxis1,
    s_xel2: image.naxis2,
    t_min: startMjd(image),
    t_max: endMjd(image),
    t_exptime: image.exptime,
    t_resolution: image.exptime,
    t_xel: 1,
    em_min: band?.minM ?? null,
    em_max: band?.maxM ?? null,
    em_res_power: band ? (band.minM + band.maxM) / 2 / (band.maxM - band.minM) : null,
    em_xel: 1,
    o_ucd: 'phot.count',
    pol_states: null,
    pol_xel: null,
    facility_name: image.telescope ?? image.observatory,
    instrument_name: image.instrument ?? image.camera,
  };
}
