/**
 * Sexagesimal and decimal angles as FITS headers write them (OBJCTRA '10 19 39', OBJCTDEC
 * '-00 30 00', SITELAT '+46:52:00.408', RA 193.070835), and their formatting.
 *
 * The unit rule for right ascension ('auto'): a sexagesimal string is hours unless it carries a
 * degree mark (d, °); a number, or a string holding one decimal number, is degrees. A number is
 * never taken for hours because of its size: 0–24 is as valid in degrees as in hours. Callers that
 * know a keyword's convention (OBJCTRA is hours in MaxIm DL, ACP, INDI and SGP) say so with `unit`.
 */
import type { CardValue } from './types.js';
import type { SkyPosition } from './wcs/sky-position.js';

const DEG = Math.PI / 180;

interface ParsedAngle {
  /** In the unit of the first component (hours or degrees; the text decides). */
  value: number;
  /** True when the text had more than one component or a unit mark. */
  sexagesimal: boolean;
  /** The unit the text's own marks name (h…m…s → hours, d…/° → degrees), if any. */
  marked: 'hours' | 'degrees' | undefined;
}

const SIGN = /^\s*([+\-\u2212])?\s*/;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Everything a sexagesimal component may be separated or followed by. */
const ALLOWED = /^[0-9.\s:hHdDmMsS°º'′"″]+$/;
const COMPONENT = /^(?:\d+\.?\d*|\.\d+)$/;

function parseAngleText(text: string): ParsedAngle | null {
  const signMatch = SIGN.exec(text);
  const negative = signMatch?.[1] === '-' || signMatch?.[1] === '\u2212';
  const rest = text.slice(signMatch?.[0].length ?? 0).trim();
  if (rest === '') return null;
  const sign = negative ? -1 : 1;
  if (DECIMAL.test(rest)) return { value: sign * Number(rest), sexagesimal: false, marked: undefined };
  if (!ALLOWED.test(rest) || !/^[0-9.]/.test(rest)) return null;

  const components = rest.split(/[^0-9.]+/).filter((part) => part !== '');
  if (components.length < 1 || components.length > 3) return null;
  const numbers: number[] = [];
  for (const [index, component] of components.entries()) {
    if (!COMPONENT.test(component)) return null;
    // Only the last component may have a fraction: '10.5 30' means nothing.
    if (index < components.length - 1 && component.includes('.')) return null;
    numbers.push(Number(component));
  }
  const [whole = 0, minutes = 0, seconds = 0] = numbers;
  if (minutes >= 60 || seconds >= 60) return null;

  const marks = rest.replace(/[0-9.\s:]/g, '');
  let marked: ParsedAngle['marked'];
  if (/[hH]/.test(marks)) marked = 'hours';
  else if (/[dD°º]/.test(marks)) marked = 'degrees';
  if (/[hH]/.test(marks) && /[dD°º]/.test(marks)) return null;

  const value = sign * (whole + minutes / 60 + seconds / 3600);
  return { value, sexagesimal: components.length > 1 || marks !== '', marked };
}

/**
 * Reads '10 19 39', '10:19:39.2', '-00 30 00', '10h19m36.28s', '+19d52m12s', '19°52′12″',
 * ' 1 26 34.08' or a plain decimal string, in the unit of its first component (hours or degrees,
 * the caller knows which). The sign applies to the whole angle, so '-00 30 00' is -0.5.
 * Returns null for anything else, and for minutes or seconds of 60 or more.
 */
export function parseSexagesimal(text: string): number | null {
  const parsed = parseAngleText(text);
  return parsed !== null && Number.isFinite(parsed.value) ? parsed.value : null;
}

function numericValue(value: CardValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

function normalizeRa(degrees: number): number | null {
  if (!Number.isFinite(degrees) || degrees < 0 || degrees > 360) return null;
  return degrees === 360 ? 0 : degrees;
}

/**
 * A right ascension card value in degrees, [0, 360). `unit` says what the value is in; with
 * 'auto' (the default) the rule in this module's comment applies. Hours must lie in [0, 24] and
 * degrees in [0, 360]; anything else, or text that is not an angle, gives null.
 */
export function parseRightAscension(
  value: CardValue | undefined,
  unit: 'hours' | 'degrees' | 'auto' = 'auto',
): number | null {
  const number = numericValue(value);
  if (number !== null) {
    if (unit === 'hours') return number <= 24 ? normalizeRa(number * 15) : null;
    return normalizeRa(number);
  }
  if (typeof value !== 'string') return null;
  const parsed = parseAngleText(value);
  if (parsed === null || !Number.isFinite(parsed.value)) return null;
  // The text's own marks win over a guess, but contradict an explicit unit.
  if (unit !== 'auto' && parsed.marked !== undefined && parsed.marked !== unit) return null;
  const inHours =
    unit === 'auto' ? (parsed.marked ?? (parsed.sexagesimal ? 'hours' : 'degrees')) === 'hours' : unit === 'hours';
  if (inHours) return parsed.value <= 24 ? normalizeRa(parsed.value * 15) : null;
  return normalizeRa(parsed.value);
}

/** A declination card value (degrees, as a number or sexagesimal text) in degrees, [-90, 90]. */
export function parseDeclination(value: CardValue | undefined): number | null {
  let degrees = numericValue(value);
  if (degrees === null && typeof value === 'string') {
    const parsed = parseAngleText(value);
    if (parsed === null || parsed.marked === 'hours') return null;
    degrees = parsed.value;
  }
  if (degrees === null || !Number.isFinite(degrees) || Math.abs(degrees) > 90) return null;
  return degrees;
}

/** Splits |value| (hours or degrees) into whole, minutes and seconds rounded to `decimals`. */
function sexagesimalParts(magnitude: number, decimals: number): [number, number, string] {
  const scale = 10 ** decimals;
  // Round once, in integer units of the last digit, so that 59.999… carries into the minutes.
  const units = Math.round(magnitude * 3600 * scale);
  const wholeSeconds = Math.floor(units / scale);
  const fraction = units - wholeSeconds * scale;
  const seconds = wholeSeconds % 60;
  const minutes = Math.floor(wholeSeconds / 60) % 60;
  const whole = Math.floor(wholeSeconds / 3600);
  const secondsText =
    String(seconds).padStart(2, '0') + (decimals > 0 ? `.${String(fraction).padStart(decimals, '0')}` : '');
  return [whole, minutes, secondsText];
}

function clampDecimals(decimals: number): number {
  return Math.min(9, Math.max(0, Math.trunc(decimals)));
}

/** Right ascension in degrees as 'HH:MM:SS.ss' (hours), e.g. 154.913333 → '10:19:39.20'. */
export function formatRightAscension(deg: number, decimals = 2): string {
  if (!Number.isFinite(deg)) return '';
  const hours = (((deg % 360) + 360) % 360) / 15;
  const [whole, minutes, seconds] = sexagesimalParts(hours, clampDecimals(decimals));
  return `${String(whole % 24).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds}`;
}

/** Declination in degrees as '+DD:MM:SS.s', always signed, e.g. -0.5 → '-00:30:00.0'. */
export function formatDeclination(deg: number, decimals = 1): string {
  if (!Number.isFinite(deg)) return '';
  const [whole, minutes, seconds] = sexagesimalParts(Math.abs(deg), clampDecimals(decimals));
  const isZero = whole === 0 && minutes === 0 && /^[0.]*$/.test(seconds);
  const sign = deg < 0 && !isZero ? '-' : '+';
  return `${sign}${String(whole).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds}`;
}

/**
 * Angle between two sky positions in degrees, by Vincenty's formula (the atan2 form of the
 * great-circle distance), which stays accurate at 0° and at 180° where the haversine and cosine
 * formulas lose digits.
 */
export function angularSeparationDeg(a: SkyPosition, b: SkyPosition): number {
  const dRa = (b.ra - a.ra) * DEG;
  const sinDec1 = Math.sin(a.dec * DEG);
  const cosDec1 = Math.cos(a.dec * DEG);
  const sinDec2 = Math.sin(b.dec * DEG);
  const cosDec2 = Math.cos(b.dec * DEG);
  const x = cosDec2 * Math.sin(dRa);
  const y = cosDec1 * sinDec2 - sinDec1 * cosDec2 * Math.cos(dRa);
  const z = sinDec1 * sinDec2 + cosDec1 * cosDec2 * Math.cos(dRa);
  return Math.atan2(Math.hypot(x, y), z) / DEG;
}
