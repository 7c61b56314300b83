/**
 * Downloads of originals: which file serves an image (its own path, else a copy, only inside the
 * image roots), and the plan of a ZIP (which images, under which names, which files are missing).
 * Streaming the ZIP is the HTTP layer's (http/zip-archive.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import type { CalibrationRules } from '../config/calibration.js';
import type { Db } from '../db/connection.js';
import type { CatalogImage } from '../db/image.mapper.js';
import type { ImageFilters } from '../db/image-filters.js';
import { countImages, iterateImages } from '../db/image-query.js';
import { getImage, getImages } from '../db/images.repository.js';
import { type ImageType, MANIFEST_FIELDS } from '../domain/image-fields.js';
import { type CalibrationSubject, calibrationSets } from './calibration.js';
import { CatalogError, catalogNotFound } from './errors.js';
import { FileAccessError, type LocatedFile, openLocated, type resolveImageFile } from './file-access.js';
import type { CatalogLog } from './log.js';
import { resolveServedFile, type ServedRoots } from './served-roots.js';

/**
 * At most this many files per ZIP: every entry's size is read before the first byte (for the exact
 * Content-Length) and the ZIP writer keeps one small record per entry for the central directory.
 */
export const MAX_ZIP_FILES = 100_000;

/** Ids per catalog read when a ZIP is asked for by ids. */
const IDS_PER_READ = 1000;

/** One file of a ZIP, as planned here and written by http/zip-archive.ts. */
export interface PlannedFile {
  /** Name inside the archive. */
  name: string;
  /** Opens the file when its turn comes (one descriptor at a time). */
  open(): Promise<FileHandle>;
  size: number;
  mtime: Date;
  /** The catalog's SHA-256 of the file. */
  catalogSha256: string;
  /** MANIFEST_FIELDS of the image, in order (the manifest's columns after the fixed ones). */
  metadata: unknown[];
}

/** A selected image whose file cannot be read: listed in the manifest as missing. */
export interface MissingFile {
  name: string;
  catalogSha256: string;
  metadata: unknown[];
}

export interface DownloadPlan {
  members: PlannedFile[];
  missing: MissingFile[];
  manifestFields: string[];
  /** Ids of the selected images, in order. */
  ids: number[];
}

/** What a ZIP needs to know about one image (100,000 full catalog items would be hundreds of MB). */
interface ZipImage {
  id: number;
  root: string;
  rel_path: string;
  file_name: string;
  sha256: string;
  image_type: ImageType | null;
  metadata: unknown[];
  /** What calibration matching reads, kept only for lights of a download with calibration. */
  subject?: CalibrationSubject;
}

function zipImage(image: CatalogImage, keepSubject = false): ZipImage {
  const zip: ZipImage = {
    id: image.id,
    root: image.root,
    rel_path: image.rel_path,
    file_name: image.file_name,
    sha256: image.sha256,
    image_type: image.image_type,
    metadata: MANIFEST_FIELDS.map((f) => image[f]),
  };
  if (keepSubject && image.image_type === 'light') zip.subject = calibrationSubject(image);
  return zip;
}

function calibrationSubject(image: CatalogImage): CalibrationSubject {
  const { id, image_type, date_obs_ms, night, camera, xbinning, ybinning, gain, offset } = image;
  const { exptime, ccd_temp, filter_name, rotator_angle_deg } = image;
  return {
    id,
    image_type,
    date_obs_ms,
    night,
    camera,
    xbinning,
    ybinning,
    gain,
    offset,
    exptime,
    ccd_temp,
    filter_name,
    rotator_angle_deg,
  };
}

/** The folders stacking tools expect (Siril, PixInsight's WBPP, DeepSkyStacker, APP). */
export const CALIBRATION_FOLDERS: Record<ImageType, string> = {
  light: 'lights',
  dark: 'darks',
  flat: 'flats',
  bias: 'biases',
  other: 'other',
};

/**
 * A file's name as a ZIP entry name that every unzip tool extracts where it should. On Linux a file
 * may be called `C:evil.fits` or `..\..\x.fits`; Windows tools read the first as a drive and the
 * second as a climb out of the target folder. Separators (`/`, `\`), colons and control characters
 * become `_`, so the name is a single segment; `.` and `..` alone, or nothing, get a leading `_`.
 */
export function zipEntryName(fileName: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  const flat = fileName.replace(/[/\\:\u0000-\u001f\u007f-\u009f]/g, '_');
  return flat === '' || flat === '.' || flat === '..' ? `_${flat}` : flat;
}

/**
 * The name of each file inside the ZIP: its own (made safe by zipEntryName), made unique with the
 * image id when two clash.
 */
export function uniqueNames(images: Array<Pick<CatalogImage, 'id' | 'file_name'>>): string[] {
  const safe = images.map((i) => zipEntryName(i.file_name));
  const counts = new Map<string, number>();
  for (const name of safe) counts.set(name, (counts.get(name) ?? 0) + 1);
  return images.map((i, index) => {
    const name = safe[index] ?? zipEntryName(i.file_name);
    if (counts.get(name) === 1) return name;
    const dot = name.indexOf('.');
    return dot > 0 ? `${name.slice(0, dot)}_${i.id}${name.slice(dot)}` : `${name}_${i.id}`;
  });
}

/** The readable file of an image, or null (the refusal is logged: a file outside the roots, gone). */
async function locate(
  roots: ServedRoots,
  image: Parameters<typeof resolveImageFile>[1],
  log: CatalogLog,
): Promise<LocatedFile | null> {
  try {
    return await resolveServedFile(roots, image);
  } catch (error) {
    if (!(error instanceof FileAccessError)) throw error;
    log.warn({ reason: error.code, detail: error.message }, 'original not served');
    return null;
  }
}

/** Image `id` and its readable original; CATALOG_NOT_FOUND when either is missing. */
export async function locateOriginal(
  db: Db,
  roots: ServedRoots,
  id: number,
  log: CatalogLog,
): Promise<{ image: CatalogImage; file: LocatedFile }> {
  const image = await getImage(db, id);
  if (!image) throw catalogNotFound(`no image ${id}`);
  const file = await locate(roots, image, log);
  if (!file) throw catalogNotFound(`the original file of image ${image.id} is not available`);
  return { image, file };
}

async function selectByIds(db: Db, ids: number[], keepSubjects = false): Promise<ZipImage[]> {
  const unique = [...new Set(ids)];
  const images: ZipImage[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_READ)
    for (const image of await getImages(db, unique.slice(i, i + IDS_PER_READ)))
      images.push(zipImage(image, keepSubjects));
  if (images.length < unique.length) {
    const found = new Set(images.map((i) => i.id));
    const absent = unique.filter((id) => !found.has(id));
    throw catalogNotFound(`no image ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ', …' : ''}`);
  }
  return images;
}

async function selectByFilters(db: Db, filters: ImageFilters, keepSubjects = false): Promise<ZipImage[]> {
  const total = await countImages(db, filters);
  if (total > MAX_ZIP_FILES) throw tooLarge(total, 'match: narrow the filters');
  const images: ZipImage[] = [];
  for await (const image of iterateImages(db, filters)) images.push(zipImage(image, keepSubjects));
  return images;
}

const tooLarge = (total: number, advice: string) =>
  new CatalogError('CATALOG_TOO_LARGE', `${total} files ${advice} to at most ${MAX_ZIP_FILES}`);

/** The selected frames' calibration frames that are not selected themselves (catalog/calibration.ts). */
async function calibrationOf(db: Db, images: ZipImage[], rules: CalibrationRules): Promise<ZipImage[]> {
  const lights = images.flatMap((i) => (i.subject ? [i.subject] : []));
  const sets = await calibrationSets(db, lights, rules);
  const selected = new Set(images.map((i) => i.id));
  const extra = [...sets.bias, ...sets.dark, ...sets.flat].filter((id) => !selected.has(id));
  if (images.length + extra.length > MAX_ZIP_FILES)
    throw tooLarge(images.length + extra.length, 'with their calibration: narrow the selection');
  return selectByIds(db, extra);
}

/** Names inside a ZIP with calibration: each frame in its type's folder, unique within it. */
function folderNames(images: ZipImage[]): string[] {
  const names: string[] = new Array(images.length);
  const byFolder = new Map<string, number[]>();
  for (const [index, image] of images.entries()) {
    const folder = CALIBRATION_FOLDERS[image.image_type ?? 'other'];
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), index]);
  }
  for (const [folder, indexes] of byFolder) {
    const unique = uniqueNames(indexes.map((i) => images[i] as ZipImage));
    for (const [k, index] of indexes.entries()) names[index] = `${folder}/${unique[k]}`;
  }
  return names;
}

export interface ZipOptions {
  /** Add the matching calibration frames; every file goes into its type's folder. */
  withCalibration?: CalibrationRules;
}

/**
 * The files of a ZIP of the images with `ids`, or of those matching `filters`: each under a unique
 * name, read from its own path or else from a copy; with calibration, the selected lights'
 * calibration frames too, each file in its type's folder (lights/, darks/, flats/, biases/).
 * CATALOG_NOT_FOUND when an id is unknown,
 * nothing matches or no file can be read; CATALOG_TOO_LARGE past MAX_ZIP_FILES.
 */
export async function planZip(
  db: Db,
  roots: ServedRoots,
  selection: { ids: number[] } | { filters: ImageFilters },
  log: CatalogLog,
  options: ZipOptions = {},
): Promise<DownloadPlan> {
  const rules = options.withCalibration;
  const chosen =
    'ids' in selection
      ? await selectByIds(db, selection.ids, rules !== undefined)
      : await selectByFilters(db, selection.filters, rules !== undefined);
  if (chosen.length === 0) throw catalogNotFound('no image matches');
  const calibration = rules ? await calibrationOf(db, chosen, rules) : [];
  const images = [...chosen, ...calibration];
  const names = rules ? folderNames(images) : uniqueNames(images);
  const manifestFields: string[] = [...MANIFEST_FIELDS];
  if (rules) {
    // Which files were asked for and which came with them as calibration.
    manifestFields.push('included_as');
    for (const [index, image] of images.entries())
      image.metadata.push(index < chosen.length ? 'selected' : 'calibration');
  }
  const members: PlannedFile[] = [];
  const missing: MissingFile[] = [];
  for (const [index, image] of images.entries()) {
    const metadata = image.metadata;
    // Copies are looked up only when the primary path fails (getImages has no paths).
    const file =
      (await locate(roots, image, log)) ??
      (await getImage(db, image.id).then((d) => (d ? locate(roots, d, log) : null)));
    const name = names[index] ?? zipEntryName(image.file_name);
    if (!file) {
      missing.push({ name, catalogSha256: image.sha256, metadata });
      continue;
    }
    members.push({
      name,
      size: file.size,
      mtime: file.mtime,
      catalogSha256: image.sha256,
      metadata,
      open: () => openLocated(file),
    });
  }
  if (members.length === 0) throw catalogNotFound('none of the selected files is available');
  return { members, missing, manifestFields, ids: images.map((i) => i.id) };
}
