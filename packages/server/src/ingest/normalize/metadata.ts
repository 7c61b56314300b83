import type { ImageMetadata, NormalizedMetadata } from '../../domain/image.js';
import type { Resolved } from './field-rule.js';

/** Every field null: the starting point of a normalization. */
export function emptyMetadata(): ImageMetadata {
  return {
    date_obs: null,
    date_obs_ms: null,
    mjd_obs: null,
    jd_obs: null,
    night: null,
    time_of_day_min: null,
    exptime: null,
    object_name: null,
    image_type: null,
    image_type_raw: null,
    ra_deg: null,
    dec_deg: null,
    position_source: null,
    filter_name: null,
    ccd_temp: null,
    set_temp: null,
    gain: null,
    offset: null,
    xbinning: null,
    ybinning: null,
    telescope: null,
    observatory: null,
    site_lat_deg: null,
    site_lon_deg: null,
    site_elev_m: null,
    instrument: null,
    camera: null,
    focal_length_mm: null,
    aperture_mm: null,
    pixel_size_um: null,
    focuser_position: null,
    focuser_temp: null,
    airmass: null,
    airmass_computed: false,
    altitude_deg: null,
    azimuth_deg: null,
    observer: null,
    program: null,
    software: null,
    bayer_pattern: null,
    naxis: null,
    naxis1: null,
    naxis2: null,
    naxis3: null,
    bitpix: null,
    pixel_scale_arcsec: null,
    fov_width_deg: null,
    fov_height_deg: null,
    footprint: null,
    sun_alt_deg: null,
    moon_illumination: null,
    moon_separation_deg: null,
    moon_alt_deg: null,
  };
}

type Field = keyof ImageMetadata;

/** The result being built: values with their sources and reasons, written through one door. */
export class MetadataBuilder {
  readonly values = emptyMetadata();
  readonly reasons: NormalizedMetadata['reasons'] = {};
  readonly sources: NormalizedMetadata['sources'] = {};

  /** Store a resolved value with its source and reason. */
  put<F extends Field>(field: F, resolved: Resolved<NonNullable<ImageMetadata[F]>>): void {
    this.values[field] = resolved.value as ImageMetadata[F];
    if (resolved.source !== undefined) this.sources[field] = resolved.source;
    if (resolved.reason !== undefined) this.reasons[field] = resolved.reason;
  }

  set<F extends Field>(field: F, value: ImageMetadata[F], source?: string, reason?: string): void {
    this.values[field] = value;
    if (source !== undefined) this.sources[field] = source;
    if (reason !== undefined) this.reasons[field] = reason;
  }

  /** Leave a field null and say why (kept if a reason is already there). */
  explain(field: Field, reason: string): void {
    this.reasons[field] ??= reason;
  }

  result(): NormalizedMetadata {
    return { values: this.values, reasons: this.reasons, sources: this.sources };
  }
}
