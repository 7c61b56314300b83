/**
 * ZIP downloads through fetch, so that progress can be shown: the server sends an exact
 * Content-Length, and the body is read chunk by chunk. The chunks become a Blob the browser saves
 * (the whole ZIP is held by the browser until saved; for very large sets the "download by link"
 * of a single file or the API from a script is the better path, which the UI says).
 */
import { CSRF_HEADER, errorFrom } from './client.js';
import type { ImageFilters } from './types.js';

export interface DownloadProgress {
  received: number;
  /** Null when the server did not say (no Content-Length). */
  total: number | null;
}

export interface ZipResult {
  blob: Blob;
  fileName: string;
}

function fileNameOf(disposition: string | null): string {
  const star = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = disposition && /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? 'aims-images.zip';
}

/** `with_calibration`: the selected lights' calibration frames too, in lights/, darks/, flats/, biases/. */
export type ZipSelection = ({ ids: number[] } | { filters: ImageFilters }) & { with_calibration?: boolean };

export async function downloadZip(
  selection: ZipSelection,
  onProgress: (progress: DownloadProgress) => void,
  signal?: AbortSignal,
): Promise<ZipResult> {
  const response = await fetch('/api/downloads', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/zip', ...CSRF_HEADER },
    body: JSON.stringify(selection),
    signal,
  });
  if (!response.ok) throw await errorFrom(response);
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const fileName = fileNameOf(response.headers.get('content-disposition'));
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress({ received, total });
  if (!response.body) {
    const blob = await response.blob();
    onProgress({ received: blob.size, total: blob.size });
    return { blob, fileName };
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress({ received, total });
  }
  return { blob: new Blob(chunks, { type: 'application/zip' }), fileName };
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
