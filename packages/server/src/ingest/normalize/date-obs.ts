import type { CardValue, HeaderLike } from '@aims/fits';
import { JD_MINUS_MJD, MS_PER_DAY, mjdFromUnixMs, unixMsFromMjd } from '../../util/time.js';
import { show } from './value-parsers.js';

/**
 * The start of the exposure, from whichever cards the writer used:
 *  1. DATE-OBS (or DATE-BEG…) with a time: '2013-03-11T03:35:20', '…T05:45:00.734589', '… 03:35:20'.
 *  2. A date alone — ISO or the pre-2000 'dd/mm/yy' form (years 19yy, FITS Standard §9.1) — plus a
 *     time card: TIME-OBS, UT, UTSTART… ('hh:mm:ss[.f]'), or ESO's TM-START/UTC (seconds of day).
 *  3. MJD-OBS, HST's EXPSTART, JD: accepted only when they agree with a date-only DATE-OBS.
 *  4. A date alone: kept as 'YYYY-MM-DD' with a reason; nothing that needs the time is derived.
 * The ISO string keeps the header's precision and ends in Z (UTC) whenever it has a time.
 */
export interface ObservationStart {
  /** ISO 8601: 'YYYY-MM-DDThh:mm:ss[.f…]Z', or 'YYYY-MM-DD' when only the date is known. */
  iso: string;
  /** Milliseconds since the epoch; for a date alone, 00:00 UTC of that date. */
  ms: number;
  dateOnly: boolean;
  /** The exact MJD when the header gave one (no round trip through milliseconds). */
  mjd?: number;
  source: string;
  /** Notes: date-only, a refused card, a disagreeing MJD. */
  reason?: string;
}

export const DATE_KEYWORDS = ['DATE-OBS', 'DATE-BEG', 'DATE_OBS', 'DATEOBS', 'DATE-STA'] as const;
/** Time-of-day cards written as 'hh:mm:ss'. */
export const TIME_KEYWORDS = [
  'TIME-OBS',
  'TIME_OBS',
  'TIME-BEG',
  'UT',
  'UTSTART',
  'UT-START',
  'UT_START',
  'STRTTIME',
] as const;
/** ESO: seconds after 00:00 UTC. */
export const SECONDS_OF_DAY_KEYWORDS = ['TM-START', 'UTC'] as const;
/** Numeric epochs: [keyword, offset to MJD]. HST's EXPSTART is an MJD. */
export const EPOCH_KEYWORDS = [
  ['MJD-OBS', 0],
  ['MJD_OBS', 0],
  ['MJD-BEG', 0],
  ['EXPSTART', 0],
  ['JD', -JD_MINUS_MJD],
  ['JD-OBS', -JD_MINUS_MJD],
  ['JD_OBS', -JD_MINUS_MJD],
] as const;

/** Time scales other than UTC (FITS Standard 4.0 Table 30); UT and UT1 count as UTC here. */
const NON_UTC_TIMESYS = /^(TT|TDT|ET|TAI|IAT|GPS|TCG|TCB|TDB|BJD|HJD)$/i;
/** Earliest plausible exposure: the first astronomical photographs on glass plates. */
const EARLIEST_MS = Date.UTC(1850, 0, 1);
/** Camera clocks run a little ahead; anything later than this past `now` is a wrong clock. */
const FUTURE_SLACK_MS = 2 * MS_PER_DAY;

interface CalendarDate {
  text: string;
  year: number;
  month: number;
  day: number;
}
interface TimeOfDay {
  /** 'hh:mm[:ss[.f…]]' as written (zero-padded). */
  text: string;
  ms: number;
}

function calendarDate(year: number, month: number, day: number): CalendarDate | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { text, year, month, day };
}

function timeOfDay(h: string, m: string, s: string | undefined, fraction: string | undefined): TimeOfDay | null {
  const hours = Number(h);
  const minutes = Number(m);
  const seconds = s === undefined ? 0 : Number(s);
  // 60 is a leap second; Date.UTC carries it into the next minute, which is as close as ms get.
  if (hours > 23 || minutes > 59 || seconds > 60) return null;
  const fractionMs = fraction ? Math.round(Number(fraction) * 1000) : 0;
  const text = `${h.padStart(2, '0')}:${m}${s === undefined ? '' : `:${s}${fraction ?? ''}`}`;
  return { text, ms: ((hours * 60 + minutes) * 60 + seconds) * 1000 + fractionMs };
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*Z?$/i;
const OLD_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;
const TIME = /^(\d{1,2})[:\s](\d{2})(?:[:\s](\d{2})(\.\d+)?)?\s*Z?$/i;

/** A DATE-OBS value: a date, maybe with a time; null when it is neither form. */
export function parseDateText(value: string): { date: CalendarDate; time: TimeOfDay | null } | null {
  const text = value.trim();
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, f] = iso;
    const date = calendarDate(Number(y), Number(mo), Number(d));
    if (!date) return null;
    if (h === undefined || mi === undefined) return { date, time: null };
    const time = timeOfDay(h, mi, s, f);
    return time ? { date, time } : null;
  }
  const old = OLD_DATE.exec(text);
  if (old) {
    const date = calendarDate(1900 + Number(old[3]), Number(old[2]), Number(old[1]));
    return date ? { date, time: null } : null;
  }
  return null;
}

export function parseTimeText(value: string): TimeOfDay | null {
  const match = TIME.exec(value.trim());
  if (!match) return null;
  const [, h, m, s, f] = match;
  return h !== undefined && m !== undefined ? timeOfDay(h, m, s, f) : null;
}

function secondsOfDay(seconds: number): TimeOfDay | null {
  if (!(seconds >= 0 && seconds < 86_400)) return null;
  const whole = Math.floor(seconds);
  const hh = String(Math.floor(whole / 3600)).padStart(2, '0');
  const mm = String(Math.floor((whole % 3600) / 60)).padStart(2, '0');
  const ss = String(whole % 60).padStart(2, '0');
  const fraction = seconds - whole;
  const fractionText = fraction > 0 ? (fraction.toFixed(3).slice(1) as string).replace(/0+$/, '') : '';
  return timeOfDay(hh, mm, ss, fractionText === '.' ? undefined : fractionText || undefined);
}

/** Digits after the decimal point, which bound how precisely an MJD or JD states the time. */
function decimals(value: number): number {
  const text = String(value);
  if (text.includes('e')) return 0;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** An epoch as ISO with no more precision than its digits carry (1e-5 day ≈ 0.9 s: whole seconds). */
export function isoFromMjd(mjd: number, digits: number): string {
  const resolutionSeconds = 86_400 / 10 ** digits;
  const fractionDigits = Math.max(0, Math.min(3, Math.floor(-Math.log10(resolutionSeconds))));
  // Round to the last digit shown, so that 08:49:29.99997 reads 08:49:30, not 08:49:29.
  const unitMs = 10 ** (3 - fractionDigits);
  const ms = Math.round(unixMsFromMjd(mjd) / unitMs) * unitMs;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDThh:mm:ss.sssZ
  return fractionDigits === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 20 + fractionDigits)}Z`;
}

/** Why an instant read from `keyword` cannot be an exposure (before 1850, in the future), or null. */
function implausibility(ms: number, now: Date | undefined, keyword: string, value: CardValue): string | null {
  if (ms < EARLIEST_MS) return `${keyword} ${show(value)} is before 1850`;
  const limit = (now ?? new Date()).getTime() + FUTURE_SLACK_MS;
  return ms > limit ? `${keyword} ${show(value)} is in the future` : null;
}

function timeFromCards(header: HeaderLike, refused: string[]): { time: TimeOfDay; key: string } | null {
  for (const key of TIME_KEYWORDS) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    const time = typeof raw === 'string' ? parseTimeText(raw) : null;
    if (time) return { time, key };
    refused.push(`${key} ${show(raw)} is not a time of day (hh:mm:ss)`);
  }
  for (const key of SECONDS_OF_DAY_KEYWORDS) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    const time = typeof raw === 'number' ? secondsOfDay(raw) : null;
    if (time) return { time, key };
    refused.push(`${key} ${show(raw)} is not seconds of the day`);
  }
  return null;
}

interface Epoch {
  mjd: number;
  key: string;
  /** Decimals written in the card: the precision the ISO string keeps. */
  digits: number;
}

function epochFromCards(header: HeaderLike, refused: string[]): Epoch | null {
  for (const [key, toMjd] of EPOCH_KEYWORDS) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw + toMjd > 0) {
      return { mjd: raw + toMjd, key, digits: decimals(raw) };
    }
    refused.push(`${key} ${show(raw)} is not a date`);
  }
  return null;
}

const join = (notes: string[]): string | undefined => (notes.length > 0 ? notes.join('; ') : undefined);

/** The start read from an MJD or JD card, exact to the card's own precision. */
function epochStart(epoch: Epoch, ms: number, notes: string[]): { start: ObservationStart } {
  const iso = isoFromMjd(epoch.mjd, epoch.digits);
  return { start: { iso, ms, dateOnly: false, mjd: epoch.mjd, source: epoch.key, reason: join(notes) } };
}

/** The start of the exposure, or a reason why the header does not say it. */
export function resolveObservationStart(
  header: HeaderLike,
  now?: Date,
): { start: ObservationStart | null; reason?: string } {
  const notes: string[] = [];
  const timesys = header.get('TIMESYS');
  // Not converted: TT and TAI differ from UTC by a minute or so, less than any catalog filter cares
  // about, and the conversion needs a leap-second table; the note keeps the difference visible.
  if (typeof timesys === 'string' && NON_UTC_TIMESYS.test(timesys.trim())) {
    notes.push(`TIMESYS ${show(timesys)}: times read as UTC`);
  }
  let dateOnly: { date: CalendarDate; key: string; raw: CardValue } | null = null;

  for (const key of DATE_KEYWORDS) {
    const raw = header.get(key);
    if (raw === undefined) continue;
    const parsed = typeof raw === 'string' ? parseDateText(raw) : null;
    if (!parsed) {
      notes.push(`${key} ${show(raw)} is not a date`);
      continue;
    }
    if (parsed.time) {
      const ms = Date.UTC(parsed.date.year, parsed.date.month - 1, parsed.date.day) + parsed.time.ms;
      const bad = implausibility(ms, now, key, raw);
      if (bad) {
        notes.push(bad);
        continue;
      }
      return {
        start: {
          iso: `${parsed.date.text}T${parsed.time.text}Z`,
          ms,
          dateOnly: false,
          source: key,
          reason: join(notes),
        },
      };
    }
    dateOnly ??= { date: parsed.date, key, raw };
  }

  const epoch = epochFromCards(header, notes);
  if (dateOnly) {
    const { date, key, raw } = dateOnly;
    const midnight = Date.UTC(date.year, date.month - 1, date.day);
    const card = timeFromCards(header, notes);
    if (card) {
      const ms = midnight + card.time.ms;
      if (epoch) {
        const differenceHours = Math.abs(mjdFromUnixMs(ms) - epoch.mjd) * 24;
        // Old pipelines wrote JD − 2400000 as MJD-OBS (ESO's EMMI frame: exactly 12 h off).
        if (differenceHours > 1 / 60)
          notes.push(`${epoch.key} disagrees with ${key} + ${card.key} by ${differenceHours.toFixed(2)} h`);
      }
      const bad = implausibility(ms, now, key, raw);
      if (!bad) {
        const iso = `${date.text}T${card.time.text}Z`;
        return { start: { iso, ms, dateOnly: false, source: `${key}+${card.key}`, reason: join(notes) } };
      }
      notes.push(bad);
    } else if (epoch) {
      const ms = Math.round(unixMsFromMjd(epoch.mjd));
      if (ms >= midnight && ms < midnight + MS_PER_DAY) return epochStart(epoch, ms, notes);
      notes.push(`${epoch.key} is not on the date of ${key} ${show(raw)}`);
    }
    if (implausibility(midnight, now, key, raw) === null) {
      notes.push(`${key} ${show(raw)} has a date but no time of day`);
      return { start: { iso: date.text, ms: midnight, dateOnly: true, source: key, reason: join(notes) } };
    }
  }

  if (epoch) {
    const ms = Math.round(unixMsFromMjd(epoch.mjd));
    const bad = implausibility(ms, now, epoch.key, epoch.mjd);
    if (!bad) return epochStart(epoch, ms, notes);
    notes.push(bad);
  }
  return { start: null, reason: join(notes) ?? `no ${DATE_KEYWORDS[0]}, DATE-BEG, MJD-OBS or JD` };
}
