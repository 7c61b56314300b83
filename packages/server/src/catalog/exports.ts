/** Exports of a search: every match, sorted, as CSV or JSON, produced line by line (flat memory). */
import type { Db } from '../db/connection.js';
import { countImages, iterateImages } from '../db/image-query.js';
import { CSV_EXPORT_FIELDS } from '../domain/image-fields.js';
import { csvRow } from '../util/csv.js';
import type { ImageSearch } from './images.service.js';

export type ExportFormat = 'csv' | 'json';

export interface CatalogExport {
  fileName: string;
  mediaType: string;
  lines: AsyncIterable<string>;
}

async function* exportLines(db: Db, search: ImageSearch, format: ExportFormat): AsyncGenerator<string> {
  const { filters, sort, fields } = search;
  if (format === 'csv') {
    const columns = fields ?? CSV_EXPORT_FIELDS;
    yield csvRow(columns);
    // Only the exported fields' columns are read.
    for await (const image of iterateImages(db, filters, { sort, fields: columns }))
      yield csvRow(columns.map((c) => (image as Record<string, unknown>)[c]));
    return;
  }
  yield '[';
  let first = true;
  for await (const image of iterateImages(db, filters, { sort, fields })) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(image)}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * Every match of a search as a file. The filters are tried once (a count) before anything is
 * produced, so that a filter the catalog refuses fails the request instead of a half-sent file.
 */
export async function exportImages(
  db: Db,
  search: ImageSearch,
  format: ExportFormat,
  now = new Date(),
): Promise<CatalogExport> {
  await countImages(db, search.filters);
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return {
    fileName: `aims-images-${stamp}.${format}`,
    mediaType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    lines: exportLines(db, search, format),
  };
}
