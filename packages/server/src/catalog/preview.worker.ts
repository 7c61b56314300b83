import type { PreviewFormat, PreviewSize } from '../util/preview-paths.js';
import type { ThreadTask } from '../util/thread-task.js';
import { taskStarted } from '../util/thread-task.js';
import { renderMissingPreview } from './previews.js';

export interface PreviewJob {
  previewDir: string;
  /** The original, resolved inside the image roots. */
  path: string;
  sha256: string;
  /** The one preview to render. */
  size: PreviewSize;
  format: PreviewFormat;
  maxInflateRatio?: number;
}

/**
 * Entry point of a preview worker thread (preview-renders.ts): renders one preview of one frame.
 * Resolves to whether the file held an image to render.
 */
export default async function renderInThread({ control, task }: ThreadTask<PreviewJob>): Promise<boolean> {
  taskStarted(control);
  const { previewDir, path, sha256, size, format, maxInflateRatio } = task;
  const rendered = await renderMissingPreview(
    previewDir,
    { path, sha256 },
    size,
    maxInflateRatio === undefined ? { format } : { format, maxInflateRatio },
  );
  return rendered !== null;
}
