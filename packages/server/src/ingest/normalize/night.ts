/**
 * The observing night: the local date on which the night began. A frame taken before the rollover
 * hour (default noon) belongs to the previous date, so 03:00 on the 24th is the night of the 23rd.
 * Local time is the site's mean solar time (longitude / 15 h), which needs no time-zone database and
 * is right at every site on Earth, or else the configured IANA time zone (daylight saving included).
 */

const MS_PER_HOUR = 3_600_000;

export interface NightOptions {
  longitudeDeg: number | null;
  timezone?: string;
  rolloverHour: number;
}

export interface NightResult {
  night: string | null;
  reason?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock time in a zone, as milliseconds of a UTC calendar with the same reading. */
export function wallClockMs(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((ms % 1000) + 1000) % 1000);
}

function dateOf(wallMs: number, rolloverHour: number): string {
  return new Date(wallMs - rolloverHour * MS_PER_HOUR).toISOString().slice(0, 10);
}

export function observingNight(ms: number, options: NightOptions): NightResult {
  const { longitudeDeg, timezone, rolloverHour } = options;
  if (longitudeDeg !== null) {
    return { night: dateOf(ms + (longitudeDeg / 15) * MS_PER_HOUR, rolloverHour) };
  }
  if (timezone) {
    try {
      return {
        night: dateOf(wallClockMs(ms, timezone), rolloverHour),
        reason: `local time from the time zone ${timezone} (no site longitude)`,
      };
    } catch {
      return { night: null, reason: `time zone '${timezone}' is not a known IANA zone` };
    }
  }
  return { night: null, reason: 'no site longitude and no time zone configured' };
}
