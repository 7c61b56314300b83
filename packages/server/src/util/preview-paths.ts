import { join } from 'node:path';

/**
 * Where the previews of a frame live: keyed by content hash, two levels of fan-out so that no
 * folder holds more than a few thousand files (`previews/ab/cd/<sha256>-thumb.webp`). Shared by
 * the code that writes previews (ingest) and the API that serves them.
 */
export function previewLocation(previewDir: string, sha256: string): { dir: string; name: string } {
  return { dir: join(previewDir, sha256.slice(0, 2), sha256.slice(2, 4)), name: sha256 };
}

export const PREVIEW_SUFFIX = { thumb: 'thumb', medium: 'medium' } as const;
export type PreviewSize = keyof typeof PREVIEW_SUFFIX;
export const PREVIEW_FORMATS = ['webp', 'png'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/** The file of one preview size and format. */
export function previewPath(previewDir: string, sha256: string, size: PreviewSize, format: PreviewFormat): string {
  const { dir, name } = previewLocation(previewDir, sha256);
  return join(dir, `${name}-${PREVIEW_SUFFIX[size]}.${format}`);
}
