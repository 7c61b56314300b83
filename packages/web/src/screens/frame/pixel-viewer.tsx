/**
 * The frame at full resolution with live stretch controls and a cursor readout (pixel, value,
 * RA/Dec from the header's WCS). Pixels come from the original file, so this needs download
 * permission; otherwise the server's stretched preview is shown and the readout explains why.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { previewUrl } from '../../api/endpoints.js';
import type { ImageDetail } from '../../api/types.js';
import { PreviewImage } from '../../components/preview-image.js';
import { formatDec, formatRa } from '../../lib/angles.js';
import { bytes as formatBytes } from '../../lib/format.js';
import {
  minmaxLimits,
  renderRgba,
  type StretchCurve,
  type StretchLimits,
  sortedSample,
  zscaleLimits,
} from '../../lib/stretch.js';
import { headerLike } from './header-like.js';
import { type FramePixels, loadPixels } from './load-pixels.js';

/** Originals up to this size are fetched as soon as the frame opens; larger ones on request. */
export const AUTO_LOAD_BYTES = 32 * 1024 * 1024;

interface Wcs {
  pixelToSky(x: number, y: number): { ra: number; dec: number } | null;
}

interface Readout {
  x: number;
  y: number;
  value: number | undefined;
  ra?: number;
  dec?: number;
}

function useWcs(image: ImageDetail): Wcs | null | undefined {
  const [wcs, setWcs] = useState<Wcs | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const hdu = image.header.find((h) => h.index === (image.hdu_index ?? 0)) ?? image.header[0];
    const primary = image.header[0];
    if (!hdu) {
      setWcs(null);
      return;
    }
    void import('@aims/fits').then(
      (fits) => {
        if (!live) return;
        try {
          const w = fits.wcsFromHeader(headerLike(hdu.cards, hdu === primary ? [] : (primary?.cards ?? [])));
          setWcs(w ? { pixelToSky: (x, y) => w.pixelToSky(x, y) } : null);
        } catch {
          setWcs(null);
        }
      },
      () => live && setWcs(null),
    );
    return () => {
      live = false;
    };
  }, [image]);
  return wcs;
}

export function PixelViewer({ image, canDownload }: { image: ImageDetail; canDownload: boolean }) {
  const size = image.size_bytes ?? 0;
  const [wanted, setWanted] = useState(canDownload && size <= AUTO_LOAD_BYTES);
  const [pixels, setPixels] = useState<FramePixels | null>(null);
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [curve, setCurve] = useState<StretchCurve>('asinh');
  const [limitsMode, setLimitsMode] = useState<StretchLimits>('zscale');
  const [readout, setReadout] = useState<Readout | null>(null);
  const [preview, setPreview] = useState<'loading' | 'shown' | 'missing'>('loading');
  const canvas = useRef<HTMLCanvasElement>(null);
  const wcs = useWcs(image);

  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    setError(null);
    setProgress({ received: 0, total: size || null });
    loadPixels(
      image.id,
      image.hdu_index ?? 0,
      (received, total) => setProgress({ received, total }),
      controller.signal,
    ).then(
      (p) => {
        setPixels(p);
        setProgress(null);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setProgress(null);
      },
    );
    return () => controller.abort();
  }, [wanted, image.id, image.hdu_index, size]);

  const sample = useMemo(() => (pixels ? sortedSample(pixels.data) : null), [pixels]);
  const limits = useMemo<[number, number] | null>(
    () => (sample ? (limitsMode === 'zscale' ? zscaleLimits(sample) : minmaxLimits(sample)) : null),
    [sample, limitsMode],
  );

  useEffect(() => {
    const element = canvas.current;
    if (!pixels || !limits || !element) return;
    element.width = pixels.width;
    element.height = pixels.height;
    const context = element.getContext('2d');
    if (!context) return;
    const imageData = context.createImageData(pixels.width, pixels.height);
    renderRgba(pixels.data, pixels.width, pixels.height, curve, limits, imageData.data);
    context.putImageData(imageData, 0, 0);
  }, [pixels, limits, curve]);

  /** Readout at FITS pixel (x, y): 1-based, row 1 at the bottom. */
  const readAt = (x: number, y: number) => {
    if (!pixels) return;
    const cx = Math.min(pixels.width, Math.max(1, x));
    const cy = Math.min(pixels.height, Math.max(1, y));
    const value = pixels.data[(cy - 1) * pixels.width + (cx - 1)];
    const sky = wcs?.pixelToSky(cx, cy) ?? null;
    setReadout({ x: cx, y: cy, value, ...(sky ? { ra: sky.ra, dec: sky.dec } : {}) });
  };

  const onMove = (event: React.MouseEvent<HTMLCanvasElement>) => {
    if (!pixels) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const column = Math.floor(((event.clientX - rect.left) / rect.width) * pixels.width);
    const rowFromTop = Math.floor(((event.clientY - rect.top) / rect.height) * pixels.height);
    if (column < 0 || column >= pixels.width || rowFromTop < 0 || rowFromTop >= pixels.height) return;
    readAt(column + 1, pixels.height - rowFromTop);
  };

  // Keyboard: arrow keys walk the readout over the pixels (Shift: 10 at a time).
  const onKey = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    if (!pixels) return;
    const step = event.shiftKey ? 10 : 1;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!move) return;
    event.preventDefault();
    const from = readout ?? { x: Math.ceil(pixels.width / 2), y: Math.ceil(pixels.height / 2) };
    readAt(from.x + move[0]!, from.y + move[1]!);
  };

  return (
    <section className="panel viewer" aria-labelledby="viewer-title">
      <div className="panel-head">
        <h2 id="viewer-title">Image</h2>
        {pixels && (
          <>
            <fieldset className="segmented">
              <legend className="visually-hidden">Stretch curve</legend>
              {(['linear', 'log', 'asinh'] as const).map((c) => (
                <button key={c} type="button" aria-pressed={curve === c} onClick={() => setCurve(c)}>
                  {c}
                </button>
              ))}
            </fieldset>
            <fieldset className="segmented">
              <legend className="visually-hidden">Display limits</legend>
              {(['zscale', 'minmax'] as const).map((m) => (
                <button key={m} type="button" aria-pressed={limitsMode === m} onClick={() => setLimitsMode(m)}>
                  {m}
                </button>
              ))}
            </fieldset>
            {limits && (
              <span className="muted num">
                {limits[0].toFixed(1)} … {limits[1].toFixed(1)}
              </span>
            )}
          </>
        )}
      </div>
      <div className="viewer-stage">
        {pixels ? (
          <canvas
            ref={canvas}
            className="viewer-canvas"
            onMouseMove={onMove}
            onMouseLeave={() => setReadout(null)}
            onKeyDown={onKey}
            tabIndex={0}
            // Fit the stage, keep the aspect ratio, enlarge small frames (pixelated).
            style={{
              aspectRatio: `${pixels.width} / ${pixels.height}`,
              width: `min(100%, calc((100vh - 260px) * ${pixels.width / pixels.height}))`,
            }}
            aria-label={`Frame ${image.file_name}, ${pixels.width} × ${pixels.height} pixels`}
            role="img"
          />
        ) : (
          <PreviewImage
            className="viewer-preview"
            src={previewUrl(image.id, 'medium')}
            alt={`Preview of ${image.file_name}`}
            onLoad={() => setPreview('shown')}
            onError={() => setPreview('missing')}
            fallback={
              <p className="viewer-empty">
                The server has no preview of this frame yet (previews are rendered at ingest).
                {canDownload ? ' Load the pixels below to see the frame.' : ''}
              </p>
            }
          />
        )}
      </div>
      <div className="readout num" aria-live="off">
        {pixels && readout && (
          <>
            <span>
              x {readout.x} y {readout.y}
            </span>
            <span>
              value{' '}
              {readout.value === undefined || Number.isNaN(readout.value) ? 'blank' : readout.value.toPrecision(6)}
            </span>
            {readout.ra !== undefined && (
              <span>
                RA {formatRa(readout.ra, 2)} Dec {formatDec(readout.dec, 1)}
              </span>
            )}
            {wcs === null && <span className="muted">no WCS in the header: no sky coordinates</span>}
          </>
        )}
        {pixels && !readout && (
          <span className="muted">
            Move the cursor over the image (or focus it and use the arrow keys) for pixel values
            {wcs ? ' and RA/Dec' : ''}.
          </span>
        )}
        {progress && (
          <span role="status">
            <span className="spinner inline" aria-hidden="true" /> Loading pixels… {formatBytes(progress.received)}
            {progress.total ? ` of ${formatBytes(progress.total)}` : ''}
          </span>
        )}
        {error && (
          <span className="field-error" role="alert">
            Could not read the pixels: {error}
          </span>
        )}
        {!pixels && !progress && canDownload && (
          <span>
            {preview === 'shown' ? "Showing the server's preview (asinh, zscale). " : ''}
            <button type="button" className="btn btn-small" onClick={() => setWanted(true)}>
              Load pixels ({formatBytes(size)})
            </button>{' '}
            for stretch controls and values under the cursor.
          </span>
        )}
        {!canDownload && (
          <span className="muted">
            {preview === 'shown' ? "Showing the server's stretched preview (asinh, zscale). " : ''}Stretch controls,
            pixel values and RA/Dec under the cursor work on the original file, which your account may not download.
          </span>
        )}
      </div>
    </section>
  );
}
