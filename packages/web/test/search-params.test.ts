import { describe, expect, it } from 'vitest';
import {
  headerConditions,
  keywordError,
  normalizeKeyword,
  normalizeValue,
  valueError,
  withHeaderCondition,
  withoutHeaderCondition,
} from '../src/lib/header-conditions.js';
import { activeFilterCount, DEFAULT_SORT, formatSearch, parseSearch, queryFilters } from '../src/lib/search-params.js';

describe('the search in the URL', () => {
  it('round-trips every filter, the sort and the view', () => {
    const state = {
      filters: {
        object: 'M 13',
        night: '2024-05-01',
        date: '2024-05-02',
        start_time: '22:00',
        end_time: '04:00',
        min_temp: -20,
        max_temp: -5,
        min_quality: 60,
        camera: 'ZWO ASI294MM Pro',
        telescope: 'Winer',
        filter_name: 'Ha',
        image_type: 'light' as const,
        ra: 154.9,
        dec: -19.5,
        radius: 0.25,
      },
      sort: '-quality_score',
      view: 'grid' as const,
    };
    const text = formatSearch(state);
    expect(text).toContain('object=M+13');
    expect(parseSearch(text)).toEqual(state);
  });

  it('drops values the API would refuse instead of sending them', () => {
    const state = parseSearch(
      '?date=yesterday&start_time=25:00&min_quality=150&ra=400&image_type=galaxy&sort=drop%20table&view=cards&telescope=%20&min_temp=abc',
    );
    expect(state).toEqual({ filters: {}, sort: DEFAULT_SORT, view: 'table' });
    expect(formatSearch(state)).toBe('');
  });

  it('keeps a half-typed cone in the URL but sends only a complete one', () => {
    const half = parseSearch('?ra=10&dec=20&filter_name=R');
    expect(half.filters).toEqual({ ra: 10, dec: 20, filter_name: 'R' });
    expect(queryFilters(half.filters)).toEqual({ filter_name: 'R' });
    const full = parseSearch('?ra=10&dec=20&radius=0.5');
    expect(queryFilters(full.filters)).toEqual({ ra: 10, dec: 20, radius: 0.5 });
  });
});

describe('header conditions in the URL', () => {
  it('reads the API form, upper-cases the keyword and writes it back unchanged', () => {
    const state = parseSearch(
      '?header.focpos>=12340&header.FILTER=Ha&header.CCD-TEMP<=-9,5&header.EXPTIME=%3E%3D30&header.ESO%20DET%20DIT=2',
    );
    expect(state.filters).toEqual({
      'header.FOCPOS>': '12340',
      'header.FILTER': 'Ha',
      'header.CCD-TEMP<': '-9.5',
      'header.EXPTIME>': '30',
      'header.ESO DET DIT': '2',
    });
    expect(headerConditions(state.filters)).toEqual([
      { key: 'FOCPOS', op: '>=', value: '12340' },
      { key: 'FILTER', op: '=', value: 'Ha' },
      { key: 'CCD-TEMP', op: '<=', value: '-9.5' },
      { key: 'EXPTIME', op: '>=', value: '30' },
      { key: 'ESO DET DIT', op: '=', value: '2' },
    ]);
    const text = formatSearch(state);
    expect(text).toContain('header.FOCPOS%3E=12340');
    expect(text).toContain('header.CCD-TEMP%3C=-9.5');
    expect(parseSearch(text)).toEqual(state);
    // What the API gets: the same parameters.
    expect(queryFilters(state.filters)).toEqual(state.filters);
    expect(activeFilterCount(state.filters)).toBe(5);
  });

  it('drops conditions the server would refuse', () => {
    const state = parseSearch(
      '?header.FOCPOS>=abc&header.BAD!KEY=1&header.=5&header.GAIN<=&header.OBJECT=&filter_name=R',
    );
    expect(state.filters).toEqual({ filter_name: 'R' });
  });

  it('keeps one condition per keyword and operator: a range is two, a second = replaces the first', () => {
    let filters = withHeaderCondition({}, { key: 'FOCPOS', op: '>=', value: '100' });
    filters = withHeaderCondition(filters, { key: 'FOCPOS', op: '<=', value: '200' });
    filters = withHeaderCondition(filters, { key: 'FILTER', op: '=', value: 'R' });
    filters = withHeaderCondition(filters, { key: 'FILTER', op: '=', value: 'Ha' });
    expect(filters).toEqual({ 'header.FOCPOS>': '100', 'header.FOCPOS<': '200', 'header.FILTER': 'Ha' });
    expect(withoutHeaderCondition(filters, { key: 'FOCPOS', op: '<=', value: '200' })).toEqual({
      'header.FOCPOS>': '100',
      'header.FILTER': 'Ha',
    });
  });

  it('says why a keyword or a value cannot be searched', () => {
    expect(keywordError(normalizeKeyword('  ccd-temp '))).toBeNull();
    expect(normalizeKeyword('hierarch  eso det dit')).toBe('ESO DET DIT');
    expect(keywordError('')).toMatch(/required/);
    expect(keywordError('FOC/POS')).toMatch(/letters, digits/);
    expect(keywordError('A'.repeat(71))).toMatch(/up to 70/);
    expect(valueError('>=', 'abc')).toBe('≥ needs a number, e.g. 12340 or -9.5');
    expect(valueError('<=', normalizeValue('<=', '-9,5'))).toBeNull();
    expect(valueError('=', 'Light Frame')).toBeNull();
    expect(valueError('=', '')).toMatch(/required/);
  });
});
