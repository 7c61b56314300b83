/**
 * The folders originals are served from: the configured image folders and every library. Kept in
 * memory, read again from the catalog at most every few seconds and at once when a file is found
 * outside them, so a library that another process registered (`aims ingest`, another replica) is
 * served from its first request, and a removed one stops being served within seconds.
 */
import type { Db } from '../db/connection.js';
import { listLibraries } from '../db/libraries.repository.js';
import { FileAccessError, type LocatedFile, resolveImageFile } from './file-access.js';

/** How long a read of the libraries table is trusted. */
const MAX_AGE_MS = 5000;

export interface ServedRoots {
  /** The roots as last read (read again when older than a few seconds). */
  list(): Promise<string[]>;
  /** Reads the roots again now. */
  refresh(): Promise<string[]>;
}

export function servedRoots(database: Db, configured: readonly string[]): ServedRoots {
  let roots: string[] | undefined;
  let readAt = 0;
  let reading: Promise<string[]> | undefined;
  const refresh = () => {
    reading ??= listLibraries(database)
      .then((libraries) => {
        roots = [...new Set([...configured, ...libraries.map((l) => l.path)])];
        readAt = Date.now();
        return roots;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  return {
    list: async () => (roots && Date.now() - readAt < MAX_AGE_MS ? roots : refresh()),
    refresh,
  };
}

/** The fixed roots of a process that has no catalog to ask (tests, tools). */
export function fixedRoots(roots: readonly string[]): ServedRoots {
  const list = async () => [...roots];
  return { list, refresh: list };
}

type ImageFileRef = Parameters<typeof resolveImageFile>[1];

/** resolveImageFile over the served roots; a file outside them asks the catalog once more. */
export async function resolveServedFile(served: ServedRoots, image: ImageFileRef): Promise<LocatedFile> {
  try {
    return await resolveImageFile(await served.list(), image);
  } catch (error) {
    if (!(error instanceof FileAccessError) || error.code !== 'FILE_OUTSIDE_ROOTS') throw error;
    return resolveImageFile(await served.refresh(), image);
  }
}
