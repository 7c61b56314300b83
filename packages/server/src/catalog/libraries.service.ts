/**
 * The rules of libraries: who may add which folder (library-paths.ts), no library inside another,
 * configured ones (AIMS_IMAGE_DIR/--images) changed only in the configuration, and what removing
 * one does to its frames.
 *
 *   addLibrary(db, rules, input, origin)       a new library (origin 'admin' or 'cli')
 *   editLibrary(db, id, patch)                 its settings
 *   removeLibrary(db, id, frames)              → how many frames it had, and whether they went
 *   registerConfiguredLibraries(db, config)    the configured image folders as libraries (at start)
 *   registerCliLibrary(db, folder, dataDir)    `aims ingest DIR`: DIR as a library unless one holds it
 *   libraryFor(libraries, path)                the library a path lies in
 */
import { basename } from 'node:path';
import type { Config } from '../config/config.js';
import type { Db } from '../db/connection.js';
import {
  countFramesByRoot,
  deleteFramesOfRoot,
  deleteLibrary,
  getLibrary,
  insertLibrary,
  listLibraries,
  updateLibrary,
} from '../db/libraries.repository.js';
import type { Library, LibraryOrigin, LibrarySettings } from '../domain/library.js';
import { LibraryError } from './library-errors.js';
import { checkLibraryPath, isInside, type LibraryPathRules } from './library-paths.js';

export type LibraryInput = { path: string } & Partial<LibrarySettings>;

/** The settings a configured library takes from the configuration; the others stay editable. */
const CONFIGURED_SETTINGS = ['exclude', 'rescan_seconds', 'use_polling', 'paused'] as const;

export function libraryFor<L extends Pick<Library, 'path'>>(libraries: readonly L[], path: string): L | undefined {
  return libraries.find((l) => isInside(path, l.path));
}

function checkTimezone(timezone: string | null | undefined): void {
  if (!timezone) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new LibraryError(
      'LIBRARY_BAD_SETTING',
      `'${timezone}' is not an IANA time zone (e.g. Europe/Berlin)`,
      'timezone',
    );
  }
}

function overlapOf(libraries: readonly Library[], path: string): string | null {
  for (const l of libraries) {
    if (isInside(path, l.path)) return `${path} lies in library ${l.id} (${l.path})`;
    if (isInside(l.path, path)) return `${path} holds library ${l.id} (${l.path})`;
  }
  return null;
}

export async function addLibrary(
  db: Db,
  rules: LibraryPathRules,
  input: LibraryInput,
  origin: Exclude<LibraryOrigin, 'config'>,
): Promise<Library> {
  const path = await checkLibraryPath(input.path, rules);
  checkTimezone(input.timezone);
  const overlap = overlapOf(await listLibraries(db), path);
  if (overlap) throw new LibraryError('LIBRARY_OVERLAPS', `${overlap}: a file may belong to one library only`, 'path');
  return insertLibrary(db, path, origin, {
    name: input.name?.trim() || basename(path) || path,
    exclude: input.exclude ?? [],
    rescan_seconds: input.rescan_seconds ?? null,
    use_polling: input.use_polling ?? false,
    paused: input.paused ?? false,
    timezone: input.timezone || null,
    longitude_deg: input.longitude_deg ?? null,
  });
}

async function existing(db: Db, id: number): Promise<Library> {
  const library = await getLibrary(db, id);
  if (!library) throw new LibraryError('LIBRARY_NOT_FOUND', `no library ${id}`);
  return library;
}

export async function editLibrary(db: Db, id: number, patch: Partial<LibrarySettings>): Promise<Library> {
  const library = await existing(db, id);
  if (library.origin === 'config') {
    const fixed = CONFIGURED_SETTINGS.find((s) => patch[s] !== undefined);
    if (fixed)
      throw new LibraryError(
        'LIBRARY_CONFIGURED',
        `library ${id} is set by AIMS_IMAGE_DIR or --images: change ${fixed} in the configuration (AIMS_EXCLUDE, AIMS_RESCAN_SECONDS, AIMS_USE_POLLING) and restart`,
      );
  }
  checkTimezone(patch.timezone);
  const clean = { ...patch, ...(patch.name !== undefined ? { name: patch.name.trim() || library.name } : {}) };
  if (clean.timezone === '') clean.timezone = null;
  return (await updateLibrary(db, id, clean)) ?? (await existing(db, id));
}

export interface RemovedLibrary {
  library: Library;
  /** Frames recorded under the library's folder. */
  frames: number;
  /** Whether they were removed from the catalog (else they stay, but are no longer served). */
  frames_removed: boolean;
}

export async function removeLibrary(db: Db, id: number, frames: 'keep' | 'remove'): Promise<RemovedLibrary> {
  const library = await existing(db, id);
  if (library.origin === 'config')
    throw new LibraryError(
      'LIBRARY_CONFIGURED',
      `library ${id} is set by AIMS_IMAGE_DIR or --images: remove ${library.path} from the configuration and restart`,
    );
  await deleteLibrary(db, id);
  if (frames === 'remove') return { library, frames: await deleteFramesOfRoot(db, library.path), frames_removed: true };
  const count = (await countFramesByRoot(db, [library.path])).get(library.path) ?? 0;
  return { library, frames: count, frames_removed: false };
}

/**
 * The configured image folders as libraries, their exclusions, schedule and polling from the
 * configuration. A library configured before but not any more stays, managed in the UI from now on.
 */
export async function registerConfiguredLibraries(
  db: Db,
  config: Pick<Config, 'imageDirs' | 'exclude' | 'usePolling'>,
): Promise<Library[]> {
  const libraries = await listLibraries(db);
  const fromConfig = { exclude: config.exclude, rescan_seconds: null, use_polling: config.usePolling, paused: false };
  for (const dir of config.imageDirs) {
    const same = libraries.find((l) => l.path === dir);
    if (same) await updateLibrary(db, same.id, { ...fromConfig, origin: 'config' });
    else
      await insertLibrary(db, dir, 'config', {
        ...fromConfig,
        name: basename(dir) || dir,
        timezone: null,
        longitude_deg: null,
      });
  }
  for (const l of libraries)
    if (l.origin === 'config' && !config.imageDirs.includes(l.path)) await updateLibrary(db, l.id, { origin: 'admin' });
  return listLibraries(db);
}

/**
 * `aims ingest DIR`: whoever runs the CLI on the catalog is trusted with the file system, so the
 * folder is not bound by AIMS_LIBRARY_ROOTS, only checked to be a readable folder. Returns the
 * library that holds DIR (an existing one, or the new one); a folder that holds libraries itself
 * is refused, as it is in the API.
 */
export async function registerCliLibrary(
  db: Db,
  folder: string,
  dataDir: string,
): Promise<{ library: Library; added: boolean }> {
  const path = await checkLibraryPath(folder, { allowedRoots: undefined, dataDir });
  const holder = libraryFor(await listLibraries(db), path);
  if (holder) return { library: holder, added: false };
  return { library: await addLibrary(db, { allowedRoots: undefined, dataDir }, { path }, 'cli'), added: true };
}
