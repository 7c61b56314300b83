/**
 * Previews of catalogued frames: the files ingest wrote (WebP when the client takes it, else PNG),
 * and, when they are missing (a catalog ingested with --skip-analysis, a preview folder that was
 * not backed up), rendered on demand from the original.
 */
import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import { readImage } from '@aims/fits';
import { nodeInflate, openFits } from '@aims/fits/node';
import { pickImageHdu } from '../analysis/analyze-hdu.js';
import { renderPreviewsByRows } from '../analysis/preview.js';
import type { Db } from '../db/connection.js';
import { getImage } from '../db/images.repository.js';
import { type PreviewFormat, type PreviewSize, previewLocation, previewPath } from '../util/preview-paths.js';
import { CatalogError, catalogNotFound } from './errors.js';
import type { CatalogLog } from './log.js';
import { resolveServedFile, type ServedRoots } from './served-roots.js';

/**
 * Pixels per read when streaming a frame for its previews: about 16 MB of
 * values, whatever the frame's width (a fixed count of rows was 120 MB a read for a mosaic 60,000
 * pixels wide).
 */
const PIXELS_PER_READ = 4_000_000;

/**
 * Renders one missing preview of a frame, of `size` in `format` (PNG unless said); resolves to its
 * file, or null. `signal`: the caller left; the render may go on for others who wait for it.
 */
export type PreviewRenderer = (
  image: { id: number; path: string; sha256: string },
  size: PreviewSize,
  signal?: AbortSignal,
  format?: PreviewFormat,
) => Promise<string | null>;

export interface PreviewSources {
  previewDir: string;
  /** The image roots: originals are read only inside them. */
  roots: ServedRoots;
  /** Without a renderer only the previews ingest wrote are served. */
  render: PreviewRenderer | undefined;
}

/** An image's entries the previews depend on. */
type PreviewedImage = {
  id: number;
  sha256: string;
  root: string;
  rel_path: string;
  paths?: Array<{ root: string; rel_path: string; kind?: string }>;
};

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The preview file of an image, rendered on demand (when there is a renderer) if ingest has not
 * written it. Null when there is none.
 */
export async function findPreview(
  sources: PreviewSources,
  image: PreviewedImage,
  size: PreviewSize,
  log: CatalogLog,
  accept = '',
  signal?: AbortSignal,
): Promise<string | null> {
  const formats: PreviewFormat[] = accept.includes('image/webp') ? ['webp', 'png'] : ['png', 'webp'];
  for (const format of formats) {
    const path = previewPath(sources.previewDir, image.sha256, size, format);
    if (await exists(path)) return path;
  }
  if (!sources.render) return null;
  const file = await resolveServedFile(sources.roots, image).catch(() => null);
  if (!file) return null;
  try {
    const rendered = await sources.render(
      { id: image.id, path: file.path, sha256: image.sha256 },
      size,
      signal,
      formats[0],
    );
    // Only ever serve files from the preview folder.
    if (rendered && !relative(sources.previewDir, rendered).startsWith('..')) return rendered;
  } catch (error) {
    // Busy: the caller is told to come back. A caller that left needs no answer and no warning.
    if (error instanceof CatalogError) throw error;
    if (!signal?.aborted) log.warn({ err: error, image_id: image.id }, 'preview rendering failed');
  }
  return null;
}

/** The preview of image `id`; CATALOG_NOT_FOUND when there is no such image or no preview. */
export async function imagePreview(
  db: Db,
  sources: PreviewSources,
  request: { id: number; size: PreviewSize; accept?: string | undefined; signal?: AbortSignal },
  log: CatalogLog,
): Promise<{ path: string; sha256: string }> {
  const image = await getImage(db, request.id);
  if (!image) throw catalogNotFound(`no image ${request.id}`);
  const path = await findPreview(sources, image, request.size, log, request.accept, request.signal);
  if (!path) throw catalogNotFound(`no ${request.size} preview of image ${image.id}`);
  return { path, sha256: image.sha256 };
}

/**
 * Renders one preview of a catalogued file, the size and format asked for, and no other: the first
 * view of a frame's medium image costs one encode, not four (ingest wrote the WebP thumbnail; PNG
 * copies are for the rare client without WebP). Resolves to its file, or null when the file holds
 * no image. Runs in a preview worker thread (preview.worker.ts, started by preview-renders.ts),
 * never on the API's thread.
 */
export async function renderMissingPreview(
  previewDir: string,
  image: { path: string; sha256: string },
  size: PreviewSize,
  /**
   * `format`: PNG unless said. `maxInflateRatio` (AIMS_MAX_INFLATE_RATIO): a file swapped for a
   * gzip bomb since ingest stops here too.
   */
  options: { maxInflateRatio?: number; format?: PreviewFormat } = {},
): Promise<string | null> {
  const { maxInflateRatio, format = 'png' } = options;
  const fits = await openFits(image.path, maxInflateRatio === undefined ? {} : { gzip: { maxInflateRatio } });
  try {
    const hdu = pickImageHdu(fits.structure.hdus);
    if (!hdu) return null;
    const [width = 0, height = 0] = hdu.axes;
    const read = async (start: number, end: number) =>
      (await readImage(fits.source, hdu, { plane: 0, rows: { start, end }, inflate: nodeInflate })).data;
    const bayer = hdu.header.string('BAYERPAT') ?? null;
    const [file] = await renderPreviewsByRows(
      read,
      { width, height },
      {
        ...previewLocation(previewDir, image.sha256),
        bayerPattern: bayer,
        sizes: [size === 'thumb' ? 'thumbnail' : 'medium'],
        formats: [format],
      },
      Math.max(2, Math.floor(PIXELS_PER_READ / Math.max(1, width))),
    );
    return file?.path ?? previewPath(previewDir, image.sha256, size, format);
  } finally {
    await fits.close();
  }
}
