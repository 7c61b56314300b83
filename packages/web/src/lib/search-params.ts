/**
 * The search as a URL: every filter of the API plus sort and view, so that a search can be shared
 * and the Back button works. Only valid values survive the trip from the URL to the form. Header
 * conditions keep the API's form (`header.FOCPOS>=12340` is parameter `header.FOCPOS>`), keyword
 * upper-cased.
 */
import { IMAGE_TYPES, type ImageFilters, type ImageType } from '../api/types.js';
import { headerCondition, isHeaderParam, withHeaderCondition } from './header-conditions.js';

export type ViewMode = 'table' | 'grid';

export interface SearchState {
  filters: ImageFilters;
  sort: string;
  view: ViewMode;
}

export const DEFAULT_SORT = '-date_obs';

const TEXT_KEYS = ['camera', 'telescope', 'filter_name', 'object'] as const;
const DAY_KEYS = ['date', 'date_from', 'date_to', 'night'] as const;
const TIME_KEYS = ['start_time', 'end_time'] as const;
const NUMBER_KEYS = ['min_temp', 'max_temp', 'min_quality', 'ra', 'dec', 'radius'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const NUMBER_RANGES: Record<(typeof NUMBER_KEYS)[number], [number, number]> = {
  min_temp: [-300, 300],
  max_temp: [-300, 300],
  min_quality: [0, 100],
  ra: [0, 360],
  dec: [-90, 90],
  radius: [1e-9, 180],
};

export function parseSearch(search: string): SearchState {
  const params = new URLSearchParams(search);
  const filters: ImageFilters = {};
  for (const key of TEXT_KEYS) {
    const v = params.get(key)?.trim();
    if (v) filters[key] = v.slice(0, 200);
  }
  for (const key of DAY_KEYS) {
    const v = params.get(key);
    if (v && DAY.test(v)) filters[key] = v;
  }
  for (const key of TIME_KEYS) {
    const v = params.get(key);
    if (v && TIME.test(v)) filters[key] = v;
  }
  for (const key of NUMBER_KEYS) {
    const raw = params.get(key);
    if (raw === null || raw.trim() === '') continue;
    const v = Number(raw);
    const [lo, hi] = NUMBER_RANGES[key];
    if (Number.isFinite(v) && v >= lo && v <= hi) filters[key] = v;
  }
  const type = params.get('image_type');
  if (type && (IMAGE_TYPES as readonly string[]).includes(type)) filters.image_type = type as ImageType;
  let withHeader = filters;
  for (const [param, value] of params) {
    if (!isHeaderParam(param)) continue;
    const condition = headerCondition(param, value);
    if (condition) withHeader = withHeaderCondition(withHeader, condition);
  }
  const sort = params.get('sort');
  return {
    filters: withHeader,
    sort: sort && /^-?[a-z_]{1,40}$/.test(sort) ? sort : DEFAULT_SORT,
    view: params.get('view') === 'grid' ? 'grid' : 'table',
  };
}

export function formatSearch(state: SearchState): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.filters))
    if (value !== undefined && value !== '') params.set(key, String(value));
  if (state.sort !== DEFAULT_SORT) params.set('sort', state.sort);
  if (state.view !== 'table') params.set('view', state.view);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function activeFilterCount(filters: ImageFilters): number {
  return Object.keys(filters).filter((k) => k !== 'dec' && k !== 'radius').length;
}

/**
 * The filters the API gets: a cone only when RA, Dec and radius are all there (the form keeps a
 * half-typed cone in the URL so that it survives while the user fills in the rest).
 */
export function queryFilters(filters: ImageFilters): ImageFilters {
  if (filters.ra !== undefined && filters.dec !== undefined && filters.radius !== undefined) return filters;
  const { ra: _ra, dec: _dec, radius: _radius, ...rest } = filters;
  return rest;
}
