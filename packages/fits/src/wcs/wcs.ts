/**
 * Celestial world coordinates from a FITS header (Greisen & Calabretta 2002, Paper I; Calabretta &
 * Greisen 2002, Paper II): pixel → SIP → linear (PC/CD/CROTA) → TPV → projection plane → native
 * sphere → celestial sphere → RA/Dec, and the exact inverse. DSS plate solutions take their own
 * path (dss.ts).
 *
 * Only the primary WCS (no alternate letter) is read. The celestial axes may be any pair of the
 * header's axes; `pixelToSky(x, y)` takes x along the longitude axis's pixel axis and y along the
 * latitude axis's, every other axis (a cube's spectral axis, say) at its reference pixel.
 * Longitude/latitude pairs: RA/DEC (ICRS, FK5, FK4) and GLON/GLAT, which are converted to ICRS;
 * ecliptic, supergalactic and planetary pairs give null, as do the projections projections.ts
 * refuses. Lookup-table distortions (CPDISj, D2IMDISj) live outside the header and are ignored.
 */
import type { HeaderLike } from '../types.js';
import { dssWcsFromHeader } from './dss.js';
import { type FrameConversion, headerFrameConversion } from './frames.js';
import { angleUnitInDegrees, type LinearTransform, numberCard, readLinearTransform } from './linear.js';
import { makeProjection, type Projection } from './projections.js';
import { applySip, invertSip, readSip, type SipDistortion } from './sip.js';
import type { SkyPosition } from './sky-position.js';
import { type CelestialPole, celestialPole, celestialToNative, nativeToCelestial } from './spherical.js';
import { readTpv, type TpvDistortion } from './tpv.js';

export interface Wcs {
  /** The projection code from CTYPE: 'TAN', 'SIN', 'CAR'… */
  readonly projection: string;
  /** The header's celestial frame: 'ICRS', 'FK5', 'FK4', 'FK4-NO-E' or 'GALACTIC'. */
  readonly frame?: string;
  /** The distortion applied, if any: 'SIP', 'TPV', 'SIP+TPV' or 'DSS'. */
  readonly distortion?: string;
  /**
   * Degrees per pixel along x and y in the projection plane at the reference point (astropy's
   * proj_plane_pixel_scales), without distortion.
   */
  readonly pixelScalesDeg?: readonly [number, number];
  /**
   * The header's pixel axes (1-based) that x and y run along: [1, 2] for an image, [2, 3] for a
   * cube whose first axis is spectral. Footprints take NAXISn of these axes.
   */
  readonly axes?: readonly [number, number];
  /** FITS 1-based pixel coordinates → RA/Dec in degrees; null off the sky. */
  pixelToSky(x: number, y: number): SkyPosition | null;
  /** RA/Dec in degrees → FITS 1-based pixel coordinates; null where the projection has no image. */
  skyToPixel(ra: number, dec: number): { x: number; y: number } | null;
}

const CELESTIAL_CTYPE = /^([A-Z]{1,4}?)-*-([A-Z0-9]{3})(?:-([A-Z0-9]{1,3}))?$/;
const LONGITUDE_NAMES: Record<string, { latitude: string; system: 'equatorial' | 'galactic' | undefined }> = {
  RA: { latitude: 'DEC', system: 'equatorial' },
  GLON: { latitude: 'GLAT', system: 'galactic' },
  ELON: { latitude: 'ELAT', system: undefined },
  SLON: { latitude: 'SLAT', system: undefined },
  HPLN: { latitude: 'HPLT', system: undefined },
};
const CELESTIAL_NAMES = new Set(
  Object.entries(LONGITUDE_NAMES).flatMap(([longitude, { latitude }]) => [longitude, latitude]),
);
/** The largest axis number looked at when WCSAXES does not say more. */
const DEFAULT_AXIS_SCAN = 9;
/** WCSAXES is untrusted: PC/CD scans grow as its square, and no real header has more than a few axes. */
const MAX_AXES = 99;

function stringCard(header: HeaderLike, key: string): string | undefined {
  const value = header.get(key);
  return typeof value === 'string' ? value.trim() : undefined;
}

interface CelestialAxes {
  lng: number;
  lat: number;
  code: string;
  system: 'equatorial' | 'galactic';
  axisCount: number;
}

function findCelestialAxes(header: HeaderLike): CelestialAxes | null {
  const declared = Math.max(numberCard(header, 'WCSAXES') ?? 0, numberCard(header, 'NAXIS') ?? 0);
  const axisCount = Math.min(MAX_AXES, Math.max(DEFAULT_AXIS_SCAN, declared));
  const found = new Map<string, { axis: number; code: string }>();
  let highest = 0;
  for (let axis = 1; axis <= axisCount; axis++) {
    const ctype = stringCard(header, `CTYPE${axis}`);
    if (ctype === undefined) continue;
    highest = axis;
    const match = CELESTIAL_CTYPE.exec(ctype.toUpperCase());
    if (!match?.[1] || !match[2] || !CELESTIAL_NAMES.has(match[1])) continue;
    if (found.has(match[1])) return null; // two RA axes: not a celestial WCS we can read
    found.set(match[1], { axis, code: match[2] });
  }
  for (const [longitude, { latitude, system }] of Object.entries(LONGITUDE_NAMES)) {
    const lng = found.get(longitude);
    const lat = found.get(latitude);
    if (lng === undefined || lat === undefined) continue;
    if (system === undefined || lng.code !== lat.code) return null;
    return {
      lng: lng.axis,
      lat: lat.axis,
      code: lng.code,
      system,
      axisCount: Math.min(MAX_AXES, Math.max(highest, declared, 2)),
    };
  }
  return null;
}

class CelestialWcs implements Wcs {
  readonly projection: string;
  readonly frame: string;
  readonly distortion: string | undefined;
  readonly pixelScalesDeg: readonly [number, number];
  readonly axes: readonly [number, number];

  constructor(
    axes: readonly [number, number],
    private readonly linear: LinearTransform,
    private readonly projector: Projection,
    private readonly pole: CelestialPole,
    private readonly conversion: FrameConversion,
    private readonly sip: SipDistortion | undefined,
    /** True when the longitude axis is pixel axis 1 (SIP's u), false when it is axis 2. */
    private readonly lngFirst: boolean,
    private readonly tpv: TpvDistortion | undefined,
  ) {
    this.axes = axes;
    this.projection = projector.code;
    this.frame = conversion.frame;
    this.distortion = [sip ? 'SIP' : '', tpv ? 'TPV' : ''].filter(Boolean).join('+') || undefined;
    const [[a, b], [c, d]] = linear.matrix;
    this.pixelScalesDeg = [Math.hypot(a, c), Math.hypot(b, d)];
  }

  pixelToSky(x: number, y: number): SkyPosition | null {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    let dx = x - this.linear.crpix[0];
    let dy = y - this.linear.crpix[1];
    if (this.sip) {
      const [u, v] = this.lngFirst ? [dx, dy] : [dy, dx];
      const [U, V] = applySip(this.sip, u, v);
      [dx, dy] = this.lngFirst ? [U, V] : [V, U];
    }
    const [[a, b], [c, d]] = this.linear.matrix;
    let px = a * dx + b * dy;
    let py = c * dx + d * dy;
    if (this.tpv) [px, py] = this.tpv.apply(px, py);
    const native = this.projector.deproject(px, py);
    if (native === null) return null;
    const { lon, lat } = nativeToCelestial(native.phi, native.theta, this.pole);
    const sky = this.conversion.toEquatorial(lon, lat);
    return Number.isFinite(sky.ra) && Number.isFinite(sky.dec) ? sky : null;
  }

  skyToPixel(ra: number, dec: number): { x: number; y: number } | null {
    if (!Number.isFinite(ra) || !Number.isFinite(dec) || Math.abs(dec) > 90) return null;
    const { lon, lat } = this.conversion.fromEquatorial(ra, dec);
    const { phi, theta } = celestialToNative(lon, lat, this.pole);
    const plane = this.projector.project(phi, theta);
    if (plane === null) return null;
    let { x: px, y: py } = plane;
    if (this.tpv) {
      const undistorted = this.tpv.invert(px, py);
      if (undistorted === null) return null;
      [px, py] = undistorted;
    }
    const [[a, b], [c, d]] = this.linear.inverse;
    let dx = a * px + b * py;
    let dy = c * px + d * py;
    if (this.sip) {
      const [U, V] = this.lngFirst ? [dx, dy] : [dy, dx];
      const solved = invertSip(this.sip, U, V);
      if (solved === null) return null;
      [dx, dy] = this.lngFirst ? solved : [solved[1], solved[0]];
    }
    const x = dx + this.linear.crpix[0];
    const y = dy + this.linear.crpix[1];
    return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
  }
}

/**
 * SCAMP writes its TPV polynomial into PVi_m, and pipelines that convert it to SIP (PTF, among
 * others) often leave those cards behind under a TAN-SIP CTYPE. Like astropy, ignore every PVi_m
 * when SIP is present, unless radial terms (m = 3, 11, 23, 39 below the highest m) show the PV
 * cards are meant.
 */
function scampPvIgnored(header: HeaderLike, sip: SipDistortion | undefined, axisCount: number): boolean {
  if (sip === undefined) return false;
  let anyPv = false;
  for (let i = 1; i <= axisCount; i++) {
    const present: number[] = [];
    for (let m = 0; m <= 39; m++) if (numberCard(header, `PV${i}_${m}`) !== undefined) present.push(m);
    if (present.length === 0) continue;
    anyPv = true;
    const highest = Math.max(...present);
    if ([3, 11, 23, 39].some((m) => m < highest && present.includes(m))) return false;
  }
  return anyPv;
}

/**
 * A celestial keyword present with a value that is not a number (CRVAL1 = '150.1', CDELT2 = T):
 * reading it as absent would put the image at a default position, so the WCS is refused instead.
 */
function hasMalformedNumbers(header: HeaderLike, lng: number, lat: number): boolean {
  const keys: string[] = [];
  for (const i of [lng, lat]) {
    keys.push(`CRVAL${i}`, `CRPIX${i}`, `CDELT${i}`, `CROTA${i}`);
    for (const j of [lng, lat]) keys.push(`CD${i}_${j}`, `PC${i}_${j}`);
  }
  keys.push('LONPOLE', 'LATPOLE');
  return keys.some((key) => {
    const value = header.get(key);
    return value !== undefined && value !== null && numberCard(header, key) === undefined;
  });
}

/**
 * The celestial WCS of a header, or null when it has none that can be used: no CTYPE pair,
 * linear or non-celestial axes only, an unsupported projection or frame, a non-numeric CRVAL, CRPIX,
 * CDELT, CD or PC, a singular matrix, or CRVAL that the projection cannot reach.
 */
export function wcsFromHeader(header: HeaderLike): Wcs | null {
  const dss = dssWcsFromHeader(header);
  if (dss !== undefined) return dss;
  const axes = findCelestialAxes(header);
  if (axes === null) return null;
  const { lng, lat } = axes;
  if (hasMalformedNumbers(header, lng, lat)) return null;
  const unitLng = angleUnitInDegrees(stringCard(header, `CUNIT${lng}`));
  const unitLat = angleUnitInDegrees(stringCard(header, `CUNIT${lat}`));
  if (unitLng === undefined || unitLat === undefined) return null;

  const alpha0 = (numberCard(header, `CRVAL${lng}`) ?? 0) * unitLng;
  const delta0 = (numberCard(header, `CRVAL${lat}`) ?? 0) * unitLat;
  const sip = readSip(header);
  if (sip === null) return null;
  // TPV is TAN whose PVi_m are a polynomial distortion, not projection parameters.
  const isTpv = axes.code === 'TPV';
  const pvCard =
    isTpv || scampPvIgnored(header, sip, axes.axisCount)
      ? () => undefined
      : (i: number, m: number) => numberCard(header, `PV${i}_${m}`);
  const projector = makeProjection(isTpv ? 'TAN' : axes.code, (m) => pvCard(lat, m), delta0);
  if (projector === null) return null;

  const linear = readLinearTransform(header, lng, lat, axes.axisCount, [unitLng, unitLat]);
  if (linear === null) return null;

  const phi0 = pvCard(lng, 1) ?? projector.phi0;
  const theta0 = pvCard(lng, 2) ?? projector.theta0;
  const lonpole = numberCard(header, 'LONPOLE') ?? pvCard(lng, 3);
  const latpole = numberCard(header, 'LATPOLE') ?? pvCard(lng, 4);
  const pole = celestialPole(alpha0, delta0, phi0, theta0, lonpole, latpole);
  if (pole === null) return null;

  const conversion = headerFrameConversion(header, axes.system);
  if (conversion === null) return null;

  const onFirstTwoAxes = (lng === 1 && lat === 2) || (lng === 2 && lat === 1);
  const tpv = isTpv ? readTpv(header, lng, lat) : undefined;
  const sipOnAxes = onFirstTwoAxes ? sip : undefined;
  return new CelestialWcs([lng, lat], linear, projector, pole, conversion, sipOnAxes, lng === 1, tpv);
}
