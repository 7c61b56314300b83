import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { CatalogImage } from '../db/image.mapper.js';
import { type PreviewFormat, type PreviewSize, previewPath } from '../util/preview-paths.js';
import type { AppContext } from './app-context.js';
import { resolveImageFile } from './file-access.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The preview file of an image: WebP when the client takes it, else PNG; rendered on demand
 * (when the app was given a renderer) if ingest has not written it. Null when there is none.
 */
export async function previewFile(
  ctx: AppContext,
  image: CatalogImage & { paths?: Array<{ root: string; rel_path: string }> },
  size: PreviewSize,
  log: FastifyBaseLogger,
  accept = '',
): Promise<string | null> {
  const formats: PreviewFormat[] = accept.includes('image/webp') ? ['webp', 'png'] : ['png', 'webp'];
  for (const format of formats) {
    const path = previewPath(ctx.config.previewDir, image.sha256, size, format);
    if (await exists(path)) return path;
  }
  if (!ctx.previews) return null;
  const file = await resolveImageFile(ctx.config.imageDirs, image).catch(() => null);
  if (!file) return null;
  try {
    const rendered = await ctx.previews({ id: image.id, path: file.path, sha256: image.sha256 }, size);
    // Only ever serve files from the preview folder.
    if (rendered && !relative(ctx.config.previewDir, rendered).startsWith('..')) return rendered;
  } catch (error) {
    log.warn({ err: error, image_id: image.id }, 'preview rendering failed');
  }
  return null;
}
