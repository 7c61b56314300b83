/**
 * The observing night: the local date on which the night began. A frame taken before the rollover
 * hour (default noon) belongs to the previous date, so 03:00 on the 24th is the night of the 23rd.
 * Local time is the site's mean solar time (longitude / 15 h), which needs no time-zone database and
 * is right at every site on Earth, or else the configured IANA time zone (daylight saving included).
 */

const MS_PER_HOUR = 3_600_000;

/**
 * One way to find local time: a longitude (mean solar time) or an IANA time zone, with the name
 * recorded as the night's source and, when it is not the header's own longitude, why it was used.
 */
export type NightBasis =
  | { kind: 'longitude'; longitudeDeg: number; source: string; reason?: string }
  | { kind: 'timezone'; timezone: string; source: string; reason?: string };

export interface NightOptions {
  /** Tried in order; the first that works dates the night. */
  bases: readonly NightBasis[];
  rolloverHour: number;
}

export interface NightResult {
  night: string | null;
  /** The basis used (its `source`). */
  source?: string;
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
  const { bases, rolloverHour } = options;
  const problems: string[] = [];
  for (const basis of bases) {
    if (basis.kind === 'longitude') {
      const night = dateOf(ms + (basis.longitudeDeg / 15) * MS_PER_HOUR, rolloverHour);
      return { night, source: basis.source, ...(basis.reason ? { reason: basis.reason } : {}) };
    }
    try {
      const night = dateOf(wallClockMs(ms, basis.timezone), rolloverHour);
      const reason = basis.reason ?? `local time from the time zone ${basis.timezone} (no site longitude)`;
      return { night, source: basis.source, reason: problems.length ? `${reason}; ${problems.join('; ')}` : reason };
    } catch {
      problems.push(`time zone '${basis.timezone}' (${basis.source}) is not a known IANA zone`);
    }
  }
  return {
    night: null,
    reason: problems.length ? problems.join('; ') : 'no site longitude and no time zone configured',
  };
}
