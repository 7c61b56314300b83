import type { CardValue } from '@aims/fits';
import { describe, expect, it } from 'vitest';
import { isoFromMjd, resolveObservationStart } from '../../../src/ingest/normalize/date-obs.js';
import { headerFromEntries } from '../../../src/ingest/normalize/header-view.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const start = (cards: Record<string, CardValue>) =>
  resolveObservationStart(headerFromEntries(Object.entries(cards)), NOW);

describe('observation start', () => {
  it.each<[string, Record<string, CardValue>, string, string]>([
    ['ISO with seconds (MaxIm DL)', { 'DATE-OBS': '2013-03-11T03:35:20' }, '2013-03-11T03:35:20Z', 'DATE-OBS'],
    [
      'ISO with microseconds (Seestar)',
      { 'DATE-OBS': '2025-03-27T05:45:00.734589' },
      '2025-03-27T05:45:00.734589Z',
      'DATE-OBS',
    ],
    ['ISO with Z (Kepler)', { 'DATE-OBS': '2009-05-02T00:40:13.625Z' }, '2009-05-02T00:40:13.625Z', 'DATE-OBS'],
    ['ISO with a space', { 'DATE-OBS': '2020-02-24 19:29:25' }, '2020-02-24T19:29:25Z', 'DATE-OBS'],
    ['ISO without seconds', { 'DATE-OBS': '2020-02-24T19:29' }, '2020-02-24T19:29Z', 'DATE-OBS'],
    ['DATE-BEG', { 'DATE-BEG': '2021-06-01T01:02:03.5' }, '2021-06-01T01:02:03.5Z', 'DATE-BEG'],
    [
      'date + TIME-OBS (HST)',
      { 'DATE-OBS': '2000-10-29', 'TIME-OBS': '22:02:51' },
      '2000-10-29T22:02:51Z',
      'DATE-OBS+TIME-OBS',
    ],
    [
      'dd/mm/yy + TIME-OBS (ASCA)',
      { 'DATE-OBS': '01/05/95', 'TIME-OBS': '22:42:07' },
      '1995-05-01T22:42:07Z',
      'DATE-OBS+TIME-OBS',
    ],
    [
      'dd/mm/yy + UT (POSS plate)',
      { 'DATE-OBS': '29/11/51', UT: '12:07:00.00' },
      '1951-11-29T12:07:00.00Z',
      'DATE-OBS+UT',
    ],
    ['date + UTSTART', { 'DATE-OBS': '2019-01-02', UTSTART: '3:04:05' }, '2019-01-02T03:04:05Z', 'DATE-OBS+UTSTART'],
    [
      'ESO dd/mm/yy + TM-START seconds',
      { 'DATE-OBS': '26/10/92', 'TM-START': 11048.0 },
      '1992-10-26T03:04:08Z',
      'DATE-OBS+TM-START',
    ],
    ['MJD-OBS alone', { 'MJD-OBS': 58353.367708333 }, '2018-08-23T08:49:30.000Z', 'MJD-OBS'],
    ['JD alone, 5 decimals: whole seconds', { JD: 2458353.86771 }, '2018-08-23T08:49:30Z', 'JD'],
    [
      'HST EXPSTART with a date-only DATE-OBS',
      { 'DATE-OBS': '1998-05-22', EXPSTART: 50955.23451147 },
      '1998-05-22T05:37:41.791Z',
      'EXPSTART',
    ],
  ])('%s', (_name, cards, iso, source) => {
    const result = start(cards);
    expect(result.start?.iso).toBe(iso);
    expect(result.start?.source).toBe(source);
    expect(result.start?.dateOnly).toBe(false);
  });

  it('converts to epoch milliseconds exactly', () => {
    expect(start({ 'DATE-OBS': '2025-03-27T05:45:00.734589' }).start?.ms).toBe(Date.UTC(2025, 2, 27, 5, 45, 0, 735));
    expect(start({ 'DATE-OBS': '26/10/92', 'TM-START': 11048.0 }).start?.ms).toBe(Date.UTC(1992, 9, 26, 3, 4, 8));
  });

  it('keeps a date without a time as a date, with a reason', () => {
    const result = start({ 'DATE-OBS': '13/03/95', 'TIME-OBS': 6.2728 });
    expect(result.start).toMatchObject({ iso: '1995-03-13', dateOnly: true, ms: Date.UTC(1995, 2, 13) });
    expect(result.start?.reason).toBe(
      "TIME-OBS 6.2728 is not a time of day (hh:mm:ss); DATE-OBS '13/03/95' has a date but no time of day",
    );
  });

  it('notes an MJD-OBS that disagrees with DATE-OBS + time (ESO wrote JD − 2400000)', () => {
    const result = start({ 'DATE-OBS': '26/10/92', 'MJD-OBS': 48921.62787, 'TM-START': 11048.0 });
    expect(result.start?.iso).toBe('1992-10-26T03:04:08Z');
    expect(result.start?.reason).toBe('MJD-OBS disagrees with DATE-OBS + TM-START by 12.00 h');
  });

  it('refuses an MJD that is not on the date of a date-only DATE-OBS', () => {
    const result = start({ 'DATE-OBS': '1998-05-22', 'MJD-OBS': 50957.5 });
    expect(result.start?.iso).toBe('1998-05-22');
    expect(result.start?.reason).toContain("MJD-OBS is not on the date of DATE-OBS '1998-05-22'");
  });

  it.each<[Record<string, CardValue>, string]>([
    [{}, 'no DATE-OBS, DATE-BEG, MJD-OBS or JD'],
    [{ 'DATE-OBS': 'yesterday' }, "DATE-OBS 'yesterday' is not a date"],
    [{ 'DATE-OBS': '2013-02-30T00:00:00' }, "DATE-OBS '2013-02-30T00:00:00' is not a date"],
    [{ 'DATE-OBS': '2013-03-11T25:00:00' }, "DATE-OBS '2013-03-11T25:00:00' is not a date"],
    [{ 'DATE-OBS': '2031-01-01T00:00:00' }, "DATE-OBS '2031-01-01T00:00:00' is in the future"],
    [{ 'DATE-OBS': '1601-01-01T00:00:00' }, "DATE-OBS '1601-01-01T00:00:00' is before 1850"],
    [{ 'DATE-OBS': 20130311 }, 'DATE-OBS 20130311 is not a date'],
  ])('refuses %j', (cards, reason) => {
    const result = start(cards);
    expect(result.start).toBeNull();
    expect(result.reason).toBe(reason);
  });

  it('notes a time scale other than UTC', () => {
    const result = start({ 'DATE-OBS': '2020-01-01T00:00:00', TIMESYS: 'TT' });
    expect(result.start?.iso).toBe('2020-01-01T00:00:00Z');
    expect(result.start?.reason).toBe("TIMESYS 'TT': times read as UTC");
    expect(start({ 'DATE-OBS': '2020-01-01T00:00:00', TIMESYS: 'UTC' }).start?.reason).toBeUndefined();
  });

  it('states MJD digits as precision', () => {
    expect(isoFromMjd(58353.5, 1)).toBe('2018-08-23T12:00:00Z');
    expect(isoFromMjd(58353.367708333, 9)).toBe('2018-08-23T08:49:30.000Z');
    expect(isoFromMjd(58353.3677083, 7)).toBe('2018-08-23T08:49:30.00Z');
    expect(isoFromMjd(58353.36771, 5)).toBe('2018-08-23T08:49:30Z');
  });
});
