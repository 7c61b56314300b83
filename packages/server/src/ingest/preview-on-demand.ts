import { readImage } from '@aims/fits';
import { nodeInflate, openFits } from '@aims/fits/node';
import { renderPreviewsByRows } from '../analysis/preview.js';
import { type PreviewSize, previewLocation, previewPath } from '../util/preview-paths.js';
import { pickImageHdu } from './frame.job.js';

/** Rows per read when streaming a frame for its previews: bounded memory for any frame size. */
const ROWS_PER_READ = 512;

/**
 * Renders the previews of a catalogued file that has none yet (ingested with --skip-analysis, or a
 * preview folder that was not backed up). Resolves to the PNG of the size asked for, or null when
 * the file holds no image.
 */
export async function renderMissingPreview(
  previewDir: string,
  image: { path: string; sha256: string },
  size: PreviewSize,
): Promise<string | null> {
  const fits = await openFits(image.path);
  try {
    const hdu = pickImageHdu(fits.structure.hdus);
    if (!hdu) return null;
    const [width = 0, height = 0] = hdu.axes;
    const read = async (start: number, end: number) =>
      (await readImage(fits.source, hdu, { plane: 0, rows: { start, end }, inflate: nodeInflate })).data;
    const bayer = hdu.header.string('BAYERPAT') ?? null;
    await renderPreviewsByRows(
      read,
      { width, height },
      { ...previewLocation(previewDir, image.sha256), bayerPattern: bayer },
      ROWS_PER_READ,
    );
    return previewPath(previewDir, image.sha256, size, 'png');
  } finally {
    await fits.close();
  }
}
