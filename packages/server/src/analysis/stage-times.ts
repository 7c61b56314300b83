/**
 * Milliseconds a frame spent in each stage of its analysis (summed over bands and row chunks). The
 * ingest worker returns them with every frame, so that a benchmark or a debug log can say where
 * the time went without a profiler. Previews are encoded side by side: `previewEncode` is the
 * wall time of all of them together.
 */
export type AnalysisStage = 'read' | 'background' | 'detection' | 'measurement' | 'previewRender' | 'previewEncode';
export type StageTimes = Partial<Record<AnalysisStage, number>>;

/** Adds the time since `since` to `stage` and returns now (the start of the next stage). */
export function lap(times: StageTimes | undefined, stage: AnalysisStage, since: number): number {
  const now = performance.now();
  if (times) times[stage] = (times[stage] ?? 0) + (now - since);
  return now;
}
