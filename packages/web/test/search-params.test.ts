import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, formatSearch, parseSearch, queryFilters } from '../src/lib/search-params.js';

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
