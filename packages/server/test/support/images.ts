/**
 * Builders of catalog input for store tests: `makeImage({ metadata: { filter_name: 'R' } })` gives a
 * complete NewImage with every other field null and a unique sha256 and path.
 */
import type { ImageMetadata, QualityMetrics, QualityScore, StoredHdu } from '../../src/domain/image.js';
import type { NewImage } from '../../src/db/image.mapper.js';

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

export function emptyQuality(): QualityMetrics {
  return {
    background: null,
    noise: null,
    star_count: null,
    fwhm_px: null,
    fwhm_arcsec: null,
    hfr_px: null,
    eccentricity: null,
    snr_weight: null,
    saturated_fraction: null,
    level: null,
    uniformity: null,
    analysis_note: null,
  };
}

let serial = 0;

/** A sha256-looking hex string unique within the test process. */
export function fakeSha256(seed = ++serial): string {
  return seed.toString(16).padStart(64, '0');
}

/** Sets date_obs and the fields derived from it (UTC time of day), as normalization would. */
export function observedAt(iso: string, night?: string): Partial<ImageMetadata> {
  const ms = Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
  const d = new Date(ms);
  return {
    date_obs: iso,
    date_obs_ms: ms,
    time_of_day_min: d.getUTCHours() * 60 + d.getUTCMinutes(),
    night: night ?? null,
  };
}

export interface ImageOverrides {
  root?: string;
  rel_path?: string;
  sha256?: string;
  size_bytes?: number;
  mtime_ms?: number;
  inode?: number | null;
  metadata?: Partial<ImageMetadata>;
  quality?: Partial<QualityMetrics>;
  score?: Partial<QualityScore>;
  headers?: StoredHdu[];
}

export function makeImage(o: ImageOverrides = {}): NewImage {
  const n = ++serial;
  return {
    root: o.root ?? '/data/images',
    rel_path: o.rel_path ?? `night/frame_${String(n).padStart(6, '0')}.fits`,
    size_bytes: o.size_bytes ?? 2880 * 10,
    mtime_ms: o.mtime_ms ?? 1_764_000_000_000 + n,
    inode: o.inode === undefined ? n : o.inode,
    sha256: o.sha256 ?? fakeSha256(1_000_000 + n),
    hdu_index: 0,
    metadata: { ...emptyMetadata(), ...o.metadata },
    normalization: { reasons: {}, sources: {} },
    quality: { ...emptyQuality(), ...o.quality },
    score: {
      quality_score: null,
      quality_flag: false,
      quality_components: null,
      quality_version: null,
      ...o.score,
    },
    headers: o.headers ?? [{ index: 0, type: 'IMAGE', cards: [{ key: 'SIMPLE', value: true, comment: '' }] }],
  };
}
