/** Selected frames (or every match) → a ZIP from POST /api/downloads, with a progress bar. */
import { useRef, useState } from 'react';
import { type DownloadProgress, downloadZip, saveBlob } from '../../api/download.js';
import type { ImageFilters } from '../../api/types.js';
import { bytes } from '../../lib/format.js';

interface Props {
  selectedIds: number[];
  filters: ImageFilters;
  total: number;
  /** The count stopped: more than this many frames match. */
  moreThan?: number | undefined;
  onClear(): void;
}

export function DownloadBar({ selectedIds, filters, total, moreThan, onClear }: Props) {
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const start = async (selection: { ids: number[] } | { filters: ImageFilters }) => {
    setError(null);
    setDone(null);
    controller.current = new AbortController();
    try {
      const { blob, fileName } = await downloadZip(selection, setProgress, controller.current.signal);
      saveBlob(blob, fileName);
      setDone(`${fileName} · ${bytes(blob.size)}`);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setError((e as Error).message);
    } finally {
      setProgress(null);
      controller.current = null;
    }
  };

  if (progress) {
    const percent = progress.total ? Math.floor((100 * progress.received) / progress.total) : undefined;
    return (
      <div className="download-bar" role="status" aria-live="polite">
        <progress max={100} value={percent} aria-label="Download progress" />
        <span className="num">
          {bytes(progress.received)}
          {progress.total ? ` of ${bytes(progress.total)} (${percent}%)` : ''}
        </span>
        <button type="button" className="btn btn-small" onClick={() => controller.current?.abort()}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div className="download-bar">
      {selectedIds.length > 0 ? (
        <>
          <span>{selectedIds.length.toLocaleString('en-US')} selected</span>
          <button type="button" className="btn btn-primary btn-small" onClick={() => void start({ ids: selectedIds })}>
            Download ZIP
          </button>
          <button type="button" className="btn btn-small" onClick={onClear}>
            Clear selection
          </button>
        </>
      ) : (
        total > 0 && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void start({ filters })}
            title="A ZIP of every frame that matches the filters"
          >
            Download all{' '}
            {moreThan === undefined ? total.toLocaleString('en-US') : `more than ${moreThan.toLocaleString('en-US')}`}{' '}
            as ZIP
          </button>
        )
      )}
      {done && (
        <span className="muted" role="status">
          Saved {done}
        </span>
      )}
      {error && (
        <span className="field-error" role="alert">
          Download failed: {error}
        </span>
      )}
    </div>
  );
}
