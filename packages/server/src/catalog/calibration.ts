/**
 * Calibration matching: for a light frame, the bias, dark and flat frames of the catalog that
 * calibrate it, each with the reasons it matched, and for a kind with no match, what is missing
 * and the nearest frames that failed (with the rule each fails). The rules are written for
 * observers in docs/calibration.md; their numbers are configuration (config/calibration.ts).
 *
 * One rule set, two uses: `criteria()` hands the rules to the database as one indexed query
 * (db/calibration.repository.ts), `check()` explains them for one candidate. Tests hold the two
 * together: every frame the query returns passes `check()`.
 */
import type { CalibrationRules } from '../config/calibration.js';
import {
  type CalibrationCriteria,
  type CalibrationKind,
  findCalibrationFrames,
  type NumberRange,
  nearestFramesOfKind,
} from '../db/calibration.repository.js';
import type { Db } from '../db/connection.js';
import type { CatalogImage } from '../db/image.mapper.js';
import { getImage } from '../db/images.repository.js';
import { catalogNotFound } from './errors.js';

export const CALIBRATION_KINDS: readonly CalibrationKind[] = ['bias', 'dark', 'flat'];
export type { CalibrationKind } from '../db/calibration.repository.js';

const MS_PER_DAY = 86_400_000;
/** Rounding slack, so that a value printed as "within ±2 °C" is never refused by its last bit. */
const EPSILON = 1e-9;
/** Near misses shown per kind when nothing matches (nearest before and after the light). */
const NEAR_MISSES_PER_SIDE = 3;

/** The light-frame fields the rules read. */
export type CalibrationSubject = Pick<
  CatalogImage,
  | 'id'
  | 'image_type'
  | 'date_obs_ms'
  | 'night'
  | 'camera'
  | 'xbinning'
  | 'ybinning'
  | 'gain'
  | 'offset'
  | 'exptime'
  | 'ccd_temp'
  | 'filter_name'
  | 'rotator_angle_deg'
>;

export interface CalibrationMatch {
  id: number;
  file_name: string;
  date_obs: string | null;
  night: string | null;
  exptime: number | null;
  ccd_temp: number | null;
  filter_name: string | null;
  master_frame: boolean;
  combined_frames: number | null;
  /** Days from the light to this frame (negative: before). */
  days_apart: number;
  same_night: boolean;
  /** Part of the set a stacking tool should use (the best master, else the best night's frames). */
  selected: boolean;
  /** The rules it passes, in words. */
  reasons: string[];
  /** What could not be compared (a value the frame does not record). */
  notes: string[];
}

export interface NearMiss {
  id: number;
  file_name: string;
  date_obs: string | null;
  days_apart: number;
  /** The rules it fails, in words. */
  failed: string[];
}

export interface KindReport {
  window_days: number;
  matches: CalibrationMatch[];
  /** Why there is no match, or null. */
  missing: string | null;
  near_misses: NearMiss[];
}

export interface CalibrationReport {
  image_id: number;
  /** False for frames that are not lights: nothing is matched. */
  applies: boolean;
  /** What of the light could not be compared (no camera name, no temperature…). */
  notes: string[];
  kinds: Record<CalibrationKind, KindReport>;
}

function windowDays(kind: CalibrationKind, rules: CalibrationRules): number {
  return kind === 'bias' ? rules.biasWindowDays : kind === 'dark' ? rules.darkWindowDays : rules.flatWindowDays;
}

const range = (center: number, tolerance: number): NumberRange => ({
  min: center - tolerance - EPSILON,
  max: center + tolerance + EPSILON,
});
const within = (r: NumberRange, v: number) => v >= r.min && v <= r.max;
/** Gain and offset are settings: equal, up to the digits a header prints. */
const settingRange = (v: number) => range(v, 1e-6 * Math.max(1, Math.abs(v)));
const exposureRange = (e: number, rules: CalibrationRules) =>
  range(e, Math.max((Math.abs(e) * rules.exposureTolerancePct) / 100, 0.01));

const lower = (s: string | null) => (s === null ? null : s.toLowerCase());
const bin = (v: number | null) => v ?? 1;
const num = (v: number, digits = 2) => String(Number(v.toFixed(digits)));
const rotatorDiff = (a: number, b: number) => {
  const d = Math.abs(a - b);
  return Math.min(d, 360 - d);
};

/** The query that finds a kind's matches. */
export function criteria(
  light: CalibrationSubject,
  kind: CalibrationKind,
  rules: CalibrationRules,
): CalibrationCriteria | null {
  if (light.date_obs_ms === null) return null;
  if (kind === 'dark' && light.exptime === null) return null;
  const windowMs = windowDays(kind, rules) * MS_PER_DAY;
  const c: CalibrationCriteria = {
    kind,
    atMs: light.date_obs_ms,
    fromMs: light.date_obs_ms - windowMs,
    toMs: light.date_obs_ms + windowMs,
    night: light.night,
    xbinning: bin(light.xbinning),
    ybinning: bin(light.ybinning),
    limit: rules.matchesPerKind,
  };
  if (light.camera !== null) c.camera = light.camera;
  if (light.gain !== null) c.gain = settingRange(light.gain);
  if (light.offset !== null) c.offset = settingRange(light.offset);
  if (kind === 'dark' && light.exptime !== null) {
    c.exptime = exposureRange(light.exptime, rules);
    if (light.ccd_temp !== null) c.ccdTemp = range(light.ccd_temp, rules.temperatureToleranceC);
  }
  if (kind === 'flat') {
    c.filterName = light.filter_name;
    if (light.rotator_angle_deg !== null)
      c.rotator = { angleDeg: light.rotator_angle_deg, toleranceDeg: rules.rotatorToleranceDeg + EPSILON };
  }
  return c;
}

export interface CheckResult {
  reasons: string[];
  notes: string[];
  failed: string[];
}

/** Every rule of a kind applied to one candidate, in words. */
export function check(
  light: CalibrationSubject,
  frame: CatalogImage,
  kind: CalibrationKind,
  rules: CalibrationRules,
): CheckResult {
  const reasons: string[] = [];
  const notes: string[] = [];
  const failed: string[] = [];
  if (frame.image_type !== kind) failed.push(`a ${frame.image_type ?? 'untyped'} frame, not a ${kind}`);

  const days = light.date_obs_ms !== null && frame.date_obs_ms !== null ? daysApart(light, frame) : null;
  const window = windowDays(kind, rules);
  if (days === null) failed.push('no date');
  else if (Math.abs(days) > window)
    failed.push(`${describeDays(days)}, outside the ${window}-day window for ${kind} frames`);
  else reasons.push(light.night !== null && frame.night === light.night ? 'same night' : describeDays(days));

  if (light.camera !== null) {
    if (frame.camera === null) notes.push('camera not recorded');
    else if (lower(frame.camera) === lower(light.camera)) reasons.push(`same camera (${frame.camera})`);
    else failed.push(`camera ${frame.camera}, not ${light.camera}`);
  }
  const [lx, ly, fx, fy] = [bin(light.xbinning), bin(light.ybinning), bin(frame.xbinning), bin(frame.ybinning)];
  if (lx === fx && ly === fy) reasons.push(`binning ${fx}×${fy}`);
  else failed.push(`binning ${fx}×${fy}, not ${lx}×${ly}`);
  for (const setting of ['gain', 'offset'] as const) {
    const want = light[setting];
    const have = frame[setting];
    if (want === null) continue;
    if (have === null) notes.push(`${setting} not recorded`);
    else if (within(settingRange(want), have)) reasons.push(`${setting} ${num(have)}`);
    else failed.push(`${setting} ${num(have)}, not ${num(want)}`);
  }

  if (kind === 'dark') {
    if (light.exptime === null) failed.push('the light records no exposure time');
    else if (frame.exptime === null) failed.push('no exposure time');
    else if (within(exposureRange(light.exptime, rules), frame.exptime))
      reasons.push(`exposure ${num(frame.exptime, 3)} s`);
    else
      failed.push(
        `exposure ${num(frame.exptime, 3)} s, not ${num(light.exptime, 3)} s (±${rules.exposureTolerancePct} %)`,
      );
    if (light.ccd_temp !== null) {
      const tolerance = rules.temperatureToleranceC;
      if (frame.ccd_temp === null) notes.push('sensor temperature not recorded');
      else if (within(range(light.ccd_temp, tolerance), frame.ccd_temp))
        reasons.push(`sensor ${num(frame.ccd_temp, 1)} °C, within ±${tolerance} °C`);
      else
        failed.push(`sensor ${num(frame.ccd_temp, 1)} °C, more than ${tolerance} °C from ${num(light.ccd_temp, 1)} °C`);
    }
  }
  if (kind === 'flat') {
    if (lower(frame.filter_name) === lower(light.filter_name))
      reasons.push(light.filter_name === null ? 'no filter, like the light' : `filter ${frame.filter_name}`);
    else failed.push(`filter ${frame.filter_name ?? '(none)'}, not ${light.filter_name ?? '(none)'}`);
    if (light.rotator_angle_deg !== null) {
      const tolerance = rules.rotatorToleranceDeg;
      if (frame.rotator_angle_deg === null) notes.push('rotator angle not recorded');
      else if (rotatorDiff(frame.rotator_angle_deg, light.rotator_angle_deg) <= tolerance + EPSILON)
        reasons.push(`rotator ${num(frame.rotator_angle_deg, 1)}°, within ±${tolerance}°`);
      else
        failed.push(
          `rotator ${num(frame.rotator_angle_deg, 1)}°, more than ${tolerance}° from ${num(light.rotator_angle_deg, 1)}°`,
        );
    }
  }
  if (frame.master_frame)
    reasons.push(frame.combined_frames ? `master frame (${frame.combined_frames} combined)` : 'master frame');
  return { reasons, notes, failed };
}

function daysApart(light: CalibrationSubject, frame: Pick<CatalogImage, 'date_obs_ms'>): number {
  return ((frame.date_obs_ms ?? 0) - (light.date_obs_ms ?? 0)) / MS_PER_DAY;
}

function describeDays(days: number): string {
  const n = Math.abs(days);
  const amount = n < 1 ? `${num(n * 24, 1)} h` : `${num(n, 1)} days`;
  return days < 0 ? `${amount} before` : `${amount} after`;
}

/** The light-level notes: what the rules could not compare because the light does not record it. */
function lightNotes(light: CalibrationSubject): string[] {
  const notes: string[] = [];
  if (light.camera === null) notes.push('the light names no camera: cameras are not compared');
  if (light.gain === null) notes.push('the light records no gain: gains are not compared');
  if (light.ccd_temp === null)
    notes.push('the light records no sensor temperature: dark temperatures are not compared');
  if (light.xbinning === null) notes.push('the light records no binning: 1×1 assumed');
  return notes;
}

function missingReason(
  light: CalibrationSubject,
  kind: CalibrationKind,
  rules: CalibrationRules,
  found: number,
): string {
  if (light.date_obs_ms === null) return 'the light has no date, so no time window';
  if (kind === 'dark' && light.exptime === null) return 'the light records no exposure time';
  const window = windowDays(kind, rules);
  return found === 0
    ? `no ${kind} frame in the catalog`
    : `no ${kind} frame within ${window} days passes every rule (the nearest are listed with the rules they fail)`;
}

/**
 * The set a stacking tool should use: the best match when it is a master, else every listed
 * single frame of the best match's night (or UTC day, when frames have no night).
 */
function selectSet(matches: CatalogImage[]): Set<number> {
  const best = matches[0];
  if (!best) return new Set();
  if (best.master_frame) return new Set([best.id]);
  const group = (i: CatalogImage) => i.night ?? i.date_obs?.slice(0, 10) ?? null;
  const night = group(best);
  return new Set(matches.filter((m) => !m.master_frame && group(m) === night).map((m) => m.id));
}

async function kindReport(
  db: Db,
  light: CalibrationSubject,
  kind: CalibrationKind,
  rules: CalibrationRules,
): Promise<KindReport> {
  const window_days = windowDays(kind, rules);
  const query = criteria(light, kind, rules);
  const frames = query ? await findCalibrationFrames(db, query) : [];
  const selected = selectSet(frames);
  const matches = frames.map((frame): CalibrationMatch => {
    const { reasons, notes } = check(light, frame, kind, rules);
    return {
      id: frame.id,
      file_name: frame.file_name,
      date_obs: frame.date_obs,
      night: frame.night,
      exptime: frame.exptime,
      ccd_temp: frame.ccd_temp,
      filter_name: frame.filter_name,
      master_frame: frame.master_frame,
      combined_frames: frame.combined_frames,
      days_apart: Number(daysApart(light, frame).toFixed(3)),
      same_night: light.night !== null && frame.night === light.night,
      selected: selected.has(frame.id),
      reasons,
      notes,
    };
  });
  if (matches.length > 0) return { window_days, matches, missing: null, near_misses: [] };
  const nearest =
    light.date_obs_ms === null ? [] : await nearestFramesOfKind(db, kind, light.date_obs_ms, NEAR_MISSES_PER_SIDE);
  const near_misses = nearest.map((frame) => ({
    id: frame.id,
    file_name: frame.file_name,
    date_obs: frame.date_obs,
    days_apart: Number(daysApart(light, frame).toFixed(3)),
    failed: check(light, frame, kind, rules).failed,
  }));
  return { window_days, matches, missing: missingReason(light, kind, rules, nearest.length), near_misses };
}

/** The calibration report of a frame (only lights are matched). */
export async function calibrationReport(
  db: Db,
  light: CalibrationSubject,
  rules: CalibrationRules,
): Promise<CalibrationReport> {
  const empty = (kind: CalibrationKind): KindReport => ({
    window_days: windowDays(kind, rules),
    matches: [],
    missing: `image ${light.id} is a ${light.image_type ?? 'untyped'} frame: only light frames are calibrated`,
    near_misses: [],
  });
  if (light.image_type !== 'light')
    return {
      image_id: light.id,
      applies: false,
      notes: [],
      kinds: { bias: empty('bias'), dark: empty('dark'), flat: empty('flat') },
    };
  const [bias, dark, flat] = await Promise.all(CALIBRATION_KINDS.map((kind) => kindReport(db, light, kind, rules)));
  return {
    image_id: light.id,
    applies: true,
    notes: lightNotes(light),
    kinds: { bias: bias as KindReport, dark: dark as KindReport, flat: flat as KindReport },
  };
}

/** GET /api/images/{id}/calibration. */
export async function imageCalibration(db: Db, id: number, rules: CalibrationRules): Promise<CalibrationReport> {
  const image = await getImage(db, id);
  if (!image) throw catalogNotFound(`no image ${id}`);
  return calibrationReport(db, image, rules);
}

/** What makes two lights share their calibration: the same setup on the same night. */
function setupKey(light: CalibrationSubject): string {
  const { camera, xbinning, ybinning, gain, offset, exptime, ccd_temp, filter_name, rotator_angle_deg } = light;
  const day = light.night ?? (light.date_obs_ms === null ? null : Math.floor(light.date_obs_ms / MS_PER_DAY));
  return JSON.stringify([
    lower(camera),
    xbinning,
    ybinning,
    gain,
    offset,
    exptime,
    ccd_temp,
    lower(filter_name),
    rotator_angle_deg,
    day,
  ]);
}

/**
 * The selected calibration frames of many lights, by kind (ids, each once). Lights of one setup
 * and night share one match (the first light's), so a night of 500 lights costs a few queries.
 */
export async function calibrationSets(
  db: Db,
  lights: CalibrationSubject[],
  rules: CalibrationRules,
): Promise<Record<CalibrationKind, number[]>> {
  const out: Record<CalibrationKind, Set<number>> = { bias: new Set(), dark: new Set(), flat: new Set() };
  const seen = new Set<string>();
  for (const light of lights) {
    if (light.image_type !== 'light') continue;
    const key = setupKey(light);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const kind of CALIBRATION_KINDS) {
      const query = criteria(light, kind, rules);
      if (!query) continue;
      for (const id of selectSet(await findCalibrationFrames(db, query))) out[kind].add(id);
    }
  }
  return { bias: [...out.bias], dark: [...out.dark], flat: [...out.flat] };
}
