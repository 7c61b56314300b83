import {
  kastenYoungAirmass,
  moonAltitudeDeg,
  moonIllumination,
  moonSeparationDeg,
  type SiteLocation,
  sunAltitudeDeg,
  targetHorizontal,
} from './ephemeris.js';
import type { MetadataBuilder } from './metadata.js';

/** Sun, Moon, altitude and airmass at mid-exposure. */
export function deriveObservingConditions(out: MetadataBuilder): void {
  const v = out.values;
  if (v.date_obs_ms === null || v.mjd_obs === null) {
    for (const field of ['sun_alt_deg', 'moon_illumination', 'moon_alt_deg', 'moon_separation_deg'] as const) {
      out.explain(field, 'no time of observation');
    }
    if (v.airmass === null) out.explain('airmass', 'no AIRMASS, and no time to compute it');
    return;
  }
  const mid = v.date_obs_ms + (v.exptime ?? 0) * 500;
  const when = v.exptime === null ? 'at the start (no exposure time)' : 'at mid-exposure';
  const site: SiteLocation | null =
    v.site_lat_deg !== null && v.site_lon_deg !== null
      ? { latDeg: v.site_lat_deg, lonDeg: v.site_lon_deg, elevationM: v.site_elev_m ?? 0 }
      : null;

  out.set('moon_illumination', moonIllumination(mid), 'computed', when);
  if (site) {
    out.set('sun_alt_deg', sunAltitudeDeg(mid, site), 'computed', when);
    out.set('moon_alt_deg', moonAltitudeDeg(mid, site), 'computed', when);
  } else {
    out.explain('sun_alt_deg', 'no site latitude and longitude');
    out.explain('moon_alt_deg', 'no site latitude and longitude');
  }
  if (v.ra_deg === null || v.dec_deg === null) {
    out.explain('moon_separation_deg', 'no position');
  } else {
    const note = site ? when : `${when}, geocentric (no site): up to 1° off`;
    out.set('moon_separation_deg', moonSeparationDeg(mid, v.ra_deg, v.dec_deg, site), 'computed', note);
  }

  if (!site || v.ra_deg === null || v.dec_deg === null) {
    const missing = !site ? 'no site latitude and longitude' : 'no position';
    if (v.airmass === null)
      out.set('airmass', null, undefined, `${out.reasons.airmass ?? 'no AIRMASS'}; cannot compute it: ${missing}`);
    if (v.altitude_deg === null) out.explain('altitude_deg', missing);
    if (v.azimuth_deg === null) out.explain('azimuth_deg', missing);
    return;
  }
  const horizontal = targetHorizontal(mid, v.ra_deg, v.dec_deg, site);
  const conflict = siteConflict(v.altitude_deg, v.airmass, horizontal.altitudeDeg);
  if (conflict) {
    // Something in site, time or position is wrong (HorseHead.fits: a west-positive SITELONG), so
    // nothing computed from them is stored in place of what the header says.
    out.set(
      'site_lon_deg',
      v.site_lon_deg,
      out.sources.site_lon_deg,
      `${conflict}: the site longitude may be west-positive`,
    );
    if (v.altitude_deg === null) out.explain('altitude_deg', `not computed: ${conflict}`);
    if (v.azimuth_deg === null) out.explain('azimuth_deg', `not computed: ${conflict}`);
    return;
  }
  const computed = `computed from site, time and position ${when}`;
  if (v.altitude_deg === null) out.set('altitude_deg', horizontal.altitudeDeg, 'computed', computed);
  if (v.azimuth_deg === null) out.set('azimuth_deg', horizontal.azimuthDeg, 'computed', computed);
  if (v.airmass !== null) return;
  if (horizontal.altitudeDeg <= 0) {
    out.set('airmass', null, undefined, `target below the horizon (altitude ${horizontal.altitudeDeg.toFixed(1)}°)`);
    return;
  }
  const previous = out.reasons.airmass;
  const method = `Kasten & Young (1989) from the computed altitude ${when}`;
  out.set(
    'airmass',
    kastenYoungAirmass(horizontal.altitudeDeg),
    'computed',
    previous ? `${previous}; ${method}` : method,
  );
  out.values.airmass_computed = true;
}

/** Degrees of altitude by which the header and the computation may differ (pointing vs centre, start vs mid). */
const ALTITUDE_TOLERANCE_DEG = 3;
/** Relative airmass difference tolerated when the header gives airmass but no altitude. */
const AIRMASS_TOLERANCE = 0.1;

/** A sentence when the header's altitude or airmass contradicts the altitude computed from its site. */
function siteConflict(
  headerAltitude: number | null,
  headerAirmass: number | null,
  computedAltitude: number,
): string | null {
  if (headerAltitude !== null) {
    if (Math.abs(headerAltitude - computedAltitude) <= ALTITUDE_TOLERANCE_DEG) return null;
    return `the header's altitude ${headerAltitude.toFixed(1)}° disagrees with ${computedAltitude.toFixed(1)}° computed from site, time and position`;
  }
  if (headerAirmass === null) return null;
  const expected = computedAltitude > 0 ? kastenYoungAirmass(computedAltitude) : Number.POSITIVE_INFINITY;
  if (Math.abs(expected / headerAirmass - 1) <= AIRMASS_TOLERANCE) return null;
  return `the header's AIRMASS ${headerAirmass} disagrees with the altitude ${computedAltitude.toFixed(1)}° computed from site, time and position`;
}
