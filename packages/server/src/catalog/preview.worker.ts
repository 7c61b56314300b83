import { pathToFileURL } from 'node:url';
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
 * Other pixel work on demand that shares these threads and their cap (SODA cutouts): the compiled
 * module's default export is called with `task` and its result returned. Loaded by its file path,
 * so that this folder does not depend on the callers' (vo/ imports catalog/, not the reverse).
 */
export interface ModuleJob {
  module: string;
  task: unknown;
}

/**
 * Entry point of a preview worker thread (preview-renders.ts): renders one preview of one frame,
 * resolving to whether the file held an image to render, or runs one ModuleJob.
 */
export default async function renderInThread({ control, task }: ThreadTask<PreviewJob | ModuleJob>): Promise<unknown> {
  if (!taskStarted(control)) return null;
  if ('module' in task) {
    const loaded = (await import(pathToFileURL(task.module).href)) as { default: (task: unknown) => Promise<unknown> };
    return loaded.default(task.task);
  }
  const { previewDir, path, sha256, size, format, maxInflateRatio } = task;
  const rendered = await renderMissingPreview(
    previewDir,
    { path, sha256 },
    size,
    maxInflateRatio === undefined ? { format } : { format, maxInflateRatio },
  );
  return rendered !== null;
}
