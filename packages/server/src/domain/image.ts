/**
 * The catalog's vocabulary, shared by every layer (types only, no code). Field names are the API's
 * (snake_case, units in the name where there is one) so that a row, a normalized header and an API
 * item line up one to one. Every field is null when the header does not say it or it cannot be
 * derived; the reason goes to `NormalizedMetadata.reasons`.
 */

export const IMAGE_TYPES = ['light', 'dark', 'flat', 'bias', 'other'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Where `ra_deg`/`dec_deg` came from, best first. */
export const POSITION_SOURCES = ['wcs', 'ra_dec', 'objctra', 'blkra', 'telra'] as const;
export type PositionSource = (typeof POSITION_SOURCES)[number];

/** What the header says (and what follows from it without the pixels). */
export interface ImageMetadata {
  /** ISO 8601 UTC with the header's precision, e.g. 2013-03-11T03:35:20 or …:20.734Z. */
  date_obs: string | null;
  /** Milliseconds since the Unix epoch of date_obs (for indexing and ranges). */
  date_obs_ms: number | null;
  mjd_obs: number | null;
  jd_obs: number | null;
  /** Observing night: local date (YYYY-MM-DD) at the start of the night. */
  night: string | null;
  /** Minutes after 00:00 UTC of date_obs (0–1439), for the start_time/end_time filters. */
  time_of_day_min: number | null;
  exptime: number | null;
  object_name: string | null;
  image_type: ImageType | null;
  /** The header's own words for the type, e.g. 'Light Frame'. */
  image_type_raw: string | null;
  ra_deg: number | null;
  dec_deg: number | null;
  position_source: PositionSource | null;
  filter_name: string | null;
  ccd_temp: number | null;
  set_temp: number | null;
  gain: number | null;
  offset: number | null;
  xbinning: number | null;
  ybinning: number | null;
  telescope: string | null;
  observatory: string | null;
  site_lat_deg: number | null;
  site_lon_deg: number | null;
  site_elev_m: number | null;
  instrument: string | null;
  /** Camera model; often the same as instrument. */
  camera: string | null;
  focal_length_mm: number | null;
  aperture_mm: number | null;
  pixel_size_um: number | null;
  focuser_position: number | null;
  focuser_temp: number | null;
  airmass: number | null;
  /** True when airmass was computed from site, time and position, not read from the header. */
  airmass_computed: boolean;
  altitude_deg: number | null;
  azimuth_deg: number | null;
  observer: string | null;
  program: string | null;
  software: string | null;
  bayer_pattern: string | null;
  naxis: number | null;
  naxis1: number | null;
  naxis2: number | null;
  naxis3: number | null;
  bitpix: number | null;
  pixel_scale_arcsec: number | null;
  fov_width_deg: number | null;
  fov_height_deg: number | null;
  /** Sky corners of the image, [[ra,dec]×4] in degrees, when a WCS or scale+rotation allows. */
  footprint: Array<[number, number]> | null;
  sun_alt_deg: number | null;
  moon_illumination: number | null;
  moon_separation_deg: number | null;
  moon_alt_deg: number | null;
}

export interface NormalizedMetadata {
  values: ImageMetadata;
  /** Why a field is null (or was derived), by field name: "no DATE-OBS", "CCD-TEMP 'n/a' is not a number". */
  reasons: Partial<Record<keyof ImageMetadata, string>>;
  /** The keyword each value was read from, by field name (e.g. exptime: 'EXPOSURE'). */
  sources: Partial<Record<keyof ImageMetadata, string>>;
}

/** Quality measured from the pixels (issue 4). */
export interface QualityMetrics {
  background: number | null;
  noise: number | null;
  star_count: number | null;
  fwhm_px: number | null;
  fwhm_arcsec: number | null;
  hfr_px: number | null;
  eccentricity: number | null;
  snr_weight: number | null;
  saturated_fraction: number | null;
  /** Calibration frames: median level and, for flats, illumination uniformity (0–1). */
  level: number | null;
  uniformity: number | null;
  /** Why analysis was skipped or partial ("frame too large: measured on a 4× subsample"). */
  analysis_note: string | null;
}

export interface QualityScore {
  quality_score: number | null;
  quality_flag: boolean;
  /** Components that explain the score (z-scores, gates), stored as JSON. */
  quality_components: Record<string, unknown> | null;
  quality_version: number | null;
}

/** The header of one HDU as stored in the catalog (`headers` JSON column): the `aims header --json` shape. */
export interface StoredHdu {
  index: number;
  type: string;
  cards: Array<{ key: string; value: boolean | number | string | [number, number] | null; comment: string }>;
}

export const INGEST_STATES = ['pending', 'ingested', 'duplicate', 'unchanged', 'rejected', 'failed'] as const;
export type IngestState = (typeof INGEST_STATES)[number];
