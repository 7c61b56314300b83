import type { HeaderLike } from '@aims/fits';
import type { NormalizedMetadata } from '../../domain/image.js';
import { JD_MINUS_MJD, MS_PER_DAY, mjdFromUnixMs } from '../../util/time.js';
import { resolveObservationStart } from './date-obs.js';
import { resolveField } from './field-rule.js';
import { resolveFilterName } from './filter-name.js';
import { HeaderView } from './header-view.js';
import { resolveImageType } from './image-type.js';
import { KEYWORD_TABLE } from './keyword-table.js';
import { historyLines, resolveMasterFrame } from './master-frame.js';
import { MetadataBuilder } from './metadata.js';
import { type NightBasis, observingNight } from './night.js';
import { deriveObservingConditions } from './observing-conditions.js';
import { PIXEL_SCALE_RULE, pixelScaleFromOptics, resolveBinning, resolvePixelSize } from './optics.js';
import { resolvePosition } from './position.js';
import { resolveSite } from './site.js';
import { skyGeometry } from './sky-geometry.js';
import { readStructure } from './structure.js';
import { numberValue } from './value-parsers.js';

export interface NormalizeOptions {
  /** Local hour at which one observing night ends and the next begins (default 12). */
  nightRolloverHour?: number;
  /** AIMS_TIMEZONE: IANA time zone for observing nights when a frame has no site longitude. */
  timezone?: string;
  /** The site facts of the frame's library, tried before AIMS_TIMEZONE. */
  library?: { timezone?: string; longitudeDeg?: number };
  /** The server's own time zone, the last resort (unset: a frame without the others has no night). */
  serverTimezone?: string;
  /** The present, for refusing dates in the future (default: the clock). */
  now?: Date;
}

/**
 * FITS headers → catalog metadata. `headers`: the primary header first, then the header of the
 * image HDU used (which inherits the primary's keywords). Never throws on header content: every
 * field that cannot be read is null with its reason.
 */
export function normalizeHeaders(headers: readonly HeaderLike[], options: NormalizeOptions = {}): NormalizedMetadata {
  const header = new HeaderView(headers);
  const out = new MetadataBuilder();

  for (const rule of KEYWORD_TABLE) out.put(rule.field, resolveField<string | number>(header, rule));

  const structure = readStructure((key) => header.own(key));
  out.put('naxis', structure.naxis);
  out.put('naxis1', structure.naxis1);
  out.put('naxis2', structure.naxis2);
  out.put('naxis3', structure.naxis3);
  out.put('bitpix', structure.bitpix);

  const imageType = resolveImageType(header);
  out.set('image_type', imageType.type, imageType.source, imageType.reason);
  out.set('image_type_raw', imageType.raw, imageType.source, imageType.raw === null ? imageType.reason : undefined);
  out.put('filter_name', resolveFilterName(header));

  const master = resolveMasterFrame(header, historyLines(headers), imageType.raw);
  out.put('combined_frames', master.combined);
  out.set('master_frame', master.master, master.source);

  const binning = resolveBinning(header);
  out.put('xbinning', binning.x);
  out.put('ybinning', binning.y);
  out.put('pixel_size_um', resolvePixelSize(header, binning.x.value));

  const site = resolveSite(header);
  out.put('site_lat_deg', site.lat);
  out.put('site_lon_deg', site.lon);
  if (out.values.site_elev_m === null && site.geocentricHeight !== undefined) {
    out.set('site_elev_m', site.geocentricHeight, 'OBSGEO-X/Y/Z');
  }
  if (out.values.aperture_mm === null) deriveAperture(header, out);

  deriveTime(header, out, options);
  deriveSky(header, out);
  deriveObservingConditions(out);
  return out.result();
}

/** N.I.N.A. writes FOCRATIO but no aperture: D = f / N. */
function deriveAperture(header: HeaderLike, out: MetadataBuilder): void {
  const focal = out.values.focal_length_mm;
  const raw = header.get('FOCRATIO');
  if (focal === null || raw === undefined) return;
  const ratio = numberValue(raw, 'FOCRATIO');
  if (ratio.ok && ratio.value >= 0.5 && ratio.value <= 200) {
    out.set('aperture_mm', focal / ratio.value, 'FOCALLEN/FOCRATIO', 'computed as focal length / FOCRATIO');
  }
}

function deriveTime(header: HeaderLike, out: MetadataBuilder, options: NormalizeOptions): void {
  const { start, reason } = resolveObservationStart(header, options.now);
  if (!start) {
    for (const field of ['date_obs', 'date_obs_ms', 'mjd_obs', 'jd_obs', 'night', 'time_of_day_min'] as const) {
      out.explain(field, reason ?? 'no date');
    }
    return;
  }
  out.set('date_obs', start.iso, start.source, start.reason);
  out.set('date_obs_ms', start.ms, start.source);
  if (start.dateOnly) {
    const why = `${start.source} has a date but no time of day`;
    for (const field of ['mjd_obs', 'jd_obs', 'night', 'time_of_day_min'] as const) out.explain(field, why);
    return;
  }
  const mjd = start.mjd ?? mjdFromUnixMs(start.ms);
  out.set('mjd_obs', mjd, start.source);
  out.set('jd_obs', mjd + JD_MINUS_MJD, start.source);
  const minutes = Math.floor((((start.ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000);
  out.set('time_of_day_min', minutes, start.source);

  const night = observingNight(start.ms, {
    rolloverHour: options.nightRolloverHour ?? 12,
    bases: nightBases(out.values.site_lon_deg, out.sources.site_lon_deg, options),
  });
  out.set('night', night.night, night.source, night.reason);
}

/**
 * What may date a frame's observing night, best first: the site longitude of its header, its
 * library's longitude or time zone, AIMS_TIMEZONE, the server's own time zone.
 */
function nightBases(lonDeg: number | null, lonSource: string | undefined, options: NormalizeOptions): NightBasis[] {
  const bases: NightBasis[] = [];
  if (lonDeg !== null) bases.push({ kind: 'longitude', longitudeDeg: lonDeg, source: lonSource ?? 'site longitude' });
  const library = options.library;
  if (library?.longitudeDeg !== undefined)
    bases.push({
      kind: 'longitude',
      longitudeDeg: library.longitudeDeg,
      source: 'library longitude',
      reason: `local mean solar time at the library's longitude ${library.longitudeDeg}° (no site longitude)`,
    });
  const zone = (timezone: string, source: string, whose: string): NightBasis => ({
    kind: 'timezone',
    timezone,
    source,
    reason: `local time from ${whose} time zone ${timezone} (no site longitude)`,
  });
  if (library?.timezone) bases.push(zone(library.timezone, 'library time zone', "the library's"));
  if (options.timezone) bases.push(zone(options.timezone, 'AIMS_TIMEZONE', 'the configured'));
  if (options.serverTimezone) bases.push(zone(options.serverTimezone, 'server time zone', "the server's"));
  return bases;
}

/** Position, pixel scale, field of view and footprint: the WCS first, then the keywords. */
function deriveSky(header: HeaderLike, out: MetadataBuilder): void {
  const { naxis1, naxis2 } = out.values;
  const hasSize = naxis1 !== null && naxis2 !== null && naxis1 > 0 && naxis2 > 0;
  const wcs = hasSize ? skyGeometry(header, naxis1, naxis2) : { geometry: null };
  const geometry = wcs.geometry;

  const position = resolvePosition(header, geometry?.center ?? null, wcs.note);
  out.set('ra_deg', position.ra, position.keys, position.reason);
  out.set('dec_deg', position.dec, position.keys, position.reason);
  out.set('position_source', position.source, position.keys, position.reason);

  if (geometry?.corners) out.set('footprint', geometry.corners, 'WCS');
  else out.explain('footprint', wcs.note ?? (hasSize ? 'no celestial WCS' : 'no image size (NAXIS1/NAXIS2)'));

  if (geometry?.pixelScaleArcsec) {
    out.set('pixel_scale_arcsec', geometry.pixelScaleArcsec, 'WCS');
  } else {
    const { pixel_size_um: pixel, focal_length_mm: focal, xbinning } = out.values;
    if (pixel !== null && focal !== null && xbinning !== null) {
      const basis = `${out.sources.pixel_size_um}+FOCALLEN`;
      const formula = '206.265 × pixel size µm × binning / focal length mm';
      out.set('pixel_scale_arcsec', pixelScaleFromOptics(pixel, xbinning, focal), basis, formula);
    } else {
      const scale = resolveField(header, PIXEL_SCALE_RULE);
      const why = 'no celestial WCS, and pixel size, binning or focal length unknown';
      out.put('pixel_scale_arcsec', scale.value === null ? { value: null, reason: `${why}; ${scale.reason}` } : scale);
    }
  }

  if (geometry?.widthDeg && geometry.heightDeg) {
    out.set('fov_width_deg', geometry.widthDeg, 'WCS');
    out.set('fov_height_deg', geometry.heightDeg, 'WCS');
    return;
  }
  const scale = out.values.pixel_scale_arcsec;
  if (scale !== null && hasSize) {
    out.set('fov_width_deg', (scale * naxis1) / 3600, out.sources.pixel_scale_arcsec);
    out.set('fov_height_deg', (scale * naxis2) / 3600, out.sources.pixel_scale_arcsec);
  } else {
    out.explain('fov_width_deg', 'no pixel scale or image size');
    out.explain('fov_height_deg', 'no pixel scale or image size');
  }
}
