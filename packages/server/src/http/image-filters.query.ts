import {
  type ImageFilters,
  ImageQueryError,
  parseHeaderFilter,
  parseSort,
  type SortSpec,
  validateImageFilters,
} from '../db/image-filters.js';
import type { ImageType } from '../domain/image.js';
import { badParameter } from './errors.js';
import { filterProperties, IMAGE_ITEM_FIELDS } from './schemas/images.schemas.js';

/** ImageQueryError (a filter the schema let through but the catalog refuses) → 400 naming it. */
export function queryHttpError(error: unknown): unknown {
  if (!(error instanceof ImageQueryError)) return error;
  return badParameter(error.field, error.message.slice(error.field.length + 2));
}

const FILTER_KEYS = Object.keys(filterProperties);

/** The catalog filters of a validated query string or request body (header.* included). */
export function filtersFrom(input: Record<string, unknown>): ImageFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (input[key] !== undefined) filters[key] = input[key];
  try {
    const header = Object.entries(input)
      .filter(([key]) => key.startsWith('header.'))
      .flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => parseHeaderFilter(key, String(v))),
      );
    if (header.length) filters.header = header;
    if (typeof filters.image_type === 'string') filters.image_type = filters.image_type.toLowerCase() as ImageType;
    return validateImageFilters(filters as ImageFilters);
  } catch (error) {
    throw queryHttpError(error);
  }
}

export function sortFrom(sort: string | undefined, order: string | undefined): SortSpec {
  try {
    return parseSort(sort, order);
  } catch (error) {
    throw queryHttpError(error);
  }
}

/** `fields=id,date_obs,…` → the list to keep (id always first), or null for every field. */
export function fieldsFrom(fields: string | undefined): string[] | null {
  if (fields === undefined || fields.trim() === '') return null;
  const list = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of list) if (!(f in IMAGE_ITEM_FIELDS)) throw badParameter('fields', `has an unknown field '${f}'`);
  return ['id', ...new Set(list.filter((f) => f !== 'id'))];
}

export function pick<T extends object>(item: T, fields: string[] | null): Partial<T> {
  if (!fields) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (item as Record<string, unknown>)[f];
  return out as Partial<T>;
}
