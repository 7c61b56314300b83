import { describe, expect, it } from 'vitest';
import {
  type NightBasis,
  type NightOptions,
  observingNight,
  wallClockMs,
} from '../../../src/ingest/normalize/night.js';

const at = (iso: string) => Date.parse(iso);

/** The header's longitude (SITELONG), then AIMS_TIMEZONE: the bases of the two original sources. */
function site(longitudeDeg: number | null, timezone?: string, rolloverHour = 12): NightOptions {
  const bases: NightBasis[] = [];
  if (longitudeDeg !== null) bases.push({ kind: 'longitude', longitudeDeg, source: 'SITELONG' });
  if (timezone) bases.push({ kind: 'timezone', timezone, source: 'AIMS_TIMEZONE' });
  return { bases, rolloverHour };
}

describe('observing night', () => {
  it.each<[string, string, number, number, string]>([
    // [case, UTC time, longitude, rollover hour, night]
    ['03:00 local at Greenwich belongs to the previous date', '2024-01-10T03:00:00Z', 0, 12, '2024-01-09'],
    ['20:00 local at Greenwich is the same date', '2024-01-10T20:00:00Z', 0, 12, '2024-01-10'],
    ['east: 03:00 local at +150° (UTC 17:00 the day before)', '2024-01-09T17:00:00Z', 150, 12, '2024-01-09'],
    ['east: 20:00 local at +150°', '2024-01-09T10:00:00Z', 150, 12, '2024-01-09'],
    ['east: noon local at +150° starts the next night', '2024-01-10T02:00:00Z', 150, 12, '2024-01-10'],
    ['west: 21:09 local in Minnesota (UTC 03:35 the next day)', '2013-03-11T03:35:20Z', -96.453, 12, '2013-03-10'],
    ['west: 02:34 local in Minnesota', '2013-03-11T09:00:00Z', -96.453, 12, '2013-03-10'],
    ['west: 11:59 local still the previous night', '2013-03-11T18:24:00Z', -96.453, 12, '2013-03-10'],
    ['west: 12:01 local the next night', '2013-03-11T18:27:00Z', -96.453, 12, '2013-03-11'],
    ['rollover 0: the local calendar date', '2024-01-10T03:00:00Z', 0, 0, '2024-01-10'],
    ['rollover 6: 05:00 local is the previous night', '2024-01-10T05:00:00Z', 0, 6, '2024-01-09'],
    ['rollover 6: 07:00 local is the new date', '2024-01-10T07:00:00Z', 0, 6, '2024-01-10'],
    ['date line: +179.9° at 01:00 local', '2024-03-01T13:00:00Z', 179.9, 12, '2024-03-01'],
    ['year boundary', '2024-01-01T04:00:00Z', -70, 12, '2023-12-31'],
  ])('%s', (_case, iso, longitudeDeg, rolloverHour, night) => {
    expect(observingNight(at(iso), site(longitudeDeg, undefined, rolloverHour))).toEqual({ night, source: 'SITELONG' });
  });

  it('uses the configured time zone, daylight saving included, when there is no longitude', () => {
    // 08:00 UTC on 1 July is 03:00 CDT (UTC−5) in Chicago: the night of 30 June.
    expect(observingNight(at('2024-07-01T08:00:00Z'), site(null, 'America/Chicago'))).toEqual({
      night: '2024-06-30',
      source: 'AIMS_TIMEZONE',
      reason: 'local time from the time zone America/Chicago (no site longitude)',
    });
    // 17:30 UTC is 12:30 CDT: past the rollover, the night of 1 July.
    expect(observingNight(at('2024-07-01T17:30:00Z'), site(null, 'America/Chicago')).night).toBe('2024-07-01');
    // In winter Chicago is UTC−6: 17:30 UTC is 11:30 CST, still the previous night.
    expect(observingNight(at('2024-01-15T17:30:00Z'), site(null, 'America/Chicago')).night).toBe('2024-01-14');
    expect(observingNight(at('2024-01-15T13:00:00Z'), site(null, 'Australia/Sydney')).night).toBe('2024-01-15');
  });

  it('prefers the site longitude to the time zone', () => {
    expect(observingNight(at('2024-01-10T03:00:00Z'), site(0, 'Asia/Tokyo')).night).toBe('2024-01-09');
  });

  it('says why there is no night', () => {
    expect(observingNight(at('2024-01-10T03:00:00Z'), site(null))).toEqual({
      night: null,
      reason: 'no site longitude and no time zone configured',
    });
    expect(observingNight(at('2024-01-10T03:00:00Z'), site(null, 'Mars/Olympus'))).toEqual({
      night: null,
      reason: "time zone 'Mars/Olympus' (AIMS_TIMEZONE) is not a known IANA zone",
    });
  });

  it('reads wall-clock time in a zone', () => {
    expect(new Date(wallClockMs(at('2024-07-01T08:00:00.250Z'), 'America/Chicago')).toISOString()).toBe(
      '2024-07-01T03:00:00.250Z',
    );
  });
});
