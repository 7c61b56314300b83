/**
 * The original file → pixel values in the browser, with the zero-dependency FITS reader of
 * @aims/fits (loaded with this screen only). Gzipped files are inflated with the browser's
 * DecompressionStream; tile-compressed (fpack) images are decoded by the reader.
 */
import { CSRF_HEADER, errorFrom } from '../../api/client.js';
import { downloadUrl } from '../../api/endpoints.js';

export interface FramePixels {
  width: number;
  height: number;
  data: Float32Array | Float64Array;
}

async function fetchBytes(
  id: number,
  onProgress: (received: number, total: number | null) => void,
  signal: AbortSignal,
) {
  const response = await fetch(downloadUrl(id), { credentials: 'same-origin', headers: CSRF_HEADER, signal });
  if (!response.ok) throw await errorFrom(response);
  const total = Number(response.headers.get('content-length')) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function loadPixels(
  id: number,
  hduIndex: number,
  onProgress: (received: number, total: number | null) => void,
  signal: AbortSignal,
): Promise<FramePixels> {
  const [fits, raw] = await Promise.all([import('@aims/fits'), fetchBytes(id, onProgress, signal)]);
  // Gzip magic bytes, whatever the file is called.
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? await gunzip(raw) : raw;
  const source = fits.bufferSource(bytes);
  const structure = await fits.readStructure(source);
  const hdu = structure.hdus[hduIndex] ?? structure.hdus.find((h) => h.axes.length >= 2);
  if (!hdu || hdu.axes.length < 2) throw new Error('the file has no 2-D image to show');
  const pixels = await fits.readImage(source, hdu, { plane: 0 });
  return { width: pixels.width, height: pixels.height, data: pixels.data };
}
