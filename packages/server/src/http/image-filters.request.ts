/**
 * The image filters, sort and field list of one HTTP request (query string or JSON body), read into
 * the catalog's terms: `filtersFrom`, `sortFrom`, `fieldsFrom`. The filter types and their rules are
 * in db/image-filters.ts; the SQL they become is in db/image-query.ts.
 */
import { type ImageFilters, parseHeaderFilter, validateImageFilters } from '../db/image-filters.js';
import type { ImageType } from '../domain/image.js';
import type { ApiFieldName } from '../domain/image-fields.js';
import { badParameter } from './errors.js';
import { filterProperties, IMAGE_ITEM_FIELDS } from './schemas/images.schemas.js';

const FILTER_KEYS = Object.keys(filterProperties);

/**
 * The catalog filters of a validated query string or request body (header.* included). A filter
 * the catalog refuses throws ImageQueryError, which the error handler answers 400 naming it.
 */
export function filtersFrom(input: Record<string, unknown>): ImageFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (input[key] !== undefined) filters[key] = input[key];
  const header = Object.entries(input)
    .filter(([key]) => key.startsWith('header.'))
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => parseHeaderFilter(key, String(v))));
  if (header.length) filters.header = header;
  if (typeof filters.image_type === 'string') filters.image_type = filters.image_type.toLowerCase() as ImageType;
  return validateImageFilters(filters as ImageFilters);
}

/** `fields=id,date_obs,…` → the list to keep (id always first), or null for every field. */
export function fieldsFrom(fields: string | undefined): ApiFieldName[] | null {
  if (fields === undefined || fields.trim() === '') return null;
  const list = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of list)
    if (!Object.hasOwn(IMAGE_ITEM_FIELDS, f)) throw badParameter('fields', `has an unknown field '${f}'`);
  return ['id', ...new Set((list as ApiFieldName[]).filter((f) => f !== 'id'))];
}
