/** Reading the catalog: pages of a search with the fields asked for, and one image in full. */
import type { Db } from '../db/connection.js';
import type { ImageFilters, SortSpec } from '../db/image-filters.js';
import { type ImagePage, queryImages } from '../db/image-query.js';
import { getImage } from '../db/images.repository.js';
import type { ApiFieldName } from '../domain/image-fields.js';
import { catalogNotFound } from './errors.js';

/** A validated search: filters, order, and the item fields to keep (null: every field). */
export interface ImageSearch {
  filters: ImageFilters;
  sort: SortSpec;
  fields: ApiFieldName[] | null;
}

/** One page: offset or keyset cursor; a bad cursor or filter throws ImageQueryError. */
export async function searchImages(
  db: Db,
  search: ImageSearch & { limit: number; offset: number; cursor?: string | undefined },
): Promise<{
  total: number;
  total_exact: boolean;
  items: Array<Partial<ImagePage['items'][number]>>;
  next_cursor: string | null;
}> {
  // The page reads and maps only the asked fields' columns.
  const page = await queryImages(db, search.filters, {
    sort: search.sort,
    limit: search.limit,
    offset: search.offset,
    cursor: search.cursor,
    fields: search.fields,
  });
  return {
    total: page.total ?? 0,
    total_exact: page.total_exact,
    items: page.items,
    next_cursor: page.next_cursor,
  };
}

/** One image with its headers, quality components and other paths; CATALOG_NOT_FOUND if none. */
export async function imageDetail(db: Db, id: number) {
  const image = await getImage(db, id);
  if (!image) throw catalogNotFound(`no image ${id}`);
  return image;
}
