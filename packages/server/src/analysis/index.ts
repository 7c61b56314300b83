/**
 * Pixel analysis, the folder's public surface in one place (tests use it). Inside the server the
 * ingest worker (`ingest/frame.job.ts`), previews on demand, the pipeline's scoring and
 * `aims rescore` import the modules they need directly. Definitions of every metric and of the
 * score: docs/quality.md.
 */
export { type AnalyzeHduOptions, analyzeHdu, type HduAnalysis } from './analyze-hdu.js';
export { type Background, estimateBackground } from './background.js';
export { BAND_COUNT, measureFrameByRows, type RowReader } from './frame-bands.js';
export {
  analyzeFrame,
  DEFAULT_MAX_PIXELS,
  emptyMetrics,
  type FrameAnalysis,
  type FrameImage,
  type MeasureOptions,
  measureFrame,
} from './frame-metrics.js';
export {
  type CutoutOptions,
  MAX_CUTOUT_SIZE,
  orientationFromCd,
  type PreviewFile,
  type PreviewOptions,
  renderCutout,
  renderPreviews,
  renderPreviewsByRows,
} from './preview.js';
export {
  DEFAULT_QUALITY_THRESHOLD,
  MIN_COMPARABLES,
  QUALITY_VERSION,
  type ScoreOptions,
  scoreFrame,
} from './score.js';
export { detectStars, type Star, type StarDetection } from './stars.js';
export type { Stretch } from './stretch.js';
