/**
 * Opening an original for download: only files that resolve (symlinks followed) to a regular file
 * inside one of the configured image roots. A path with `..`, a symlink pointing out of the roots,
 * or a root that is no longer configured is refused, whatever the catalog says.
 */
import { constants, lstatSync, realpathSync } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export class FileAccessError extends Error {
  override readonly name = 'FileAccessError';
  constructor(
    readonly code: 'FILE_OUTSIDE_ROOTS' | 'FILE_MISSING' | 'FILE_NOT_REGULAR' | 'FILE_BAD_PATH',
    message: string,
  ) {
    super(message);
  }
}

export interface LocatedFile {
  /** The real path (symlinks resolved), inside an image root. */
  path: string;
  size: number;
  mtime: Date;
}

const realRoots = new Map<string, Promise<string | null>>();
function realRoot(root: string): Promise<string | null> {
  let real = realRoots.get(root);
  if (!real) {
    real = realpath(root).catch(() => null);
    realRoots.set(root, real);
    // A root that does not exist yet may appear later (a mounted share): do not cache the miss.
    void real.then((r) => r === null && realRoots.delete(root));
  }
  return real;
}

const realRootsSync = new Map<string, string>();
function realRootSync(root: string): string | null {
  let real = realRootsSync.get(root) ?? null;
  if (real === null) {
    // A root that does not exist yet may appear later (a mounted share): a miss is not kept.
    real = orNull(() => realpathSync(root));
    if (real !== null) realRootsSync.set(root, real);
  }
  return real;
}

/**
 * Path separators of this system. A backslash is one only on Windows: on Linux `..\x.fits` is a
 * file name like any other (and may sit in an image folder), not a climb.
 */
const SEPARATORS = sep === '\\' ? /[/\\]/ : /\//;

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Finds `root/relPath` if, once resolved, it is a regular file inside one of `roots`. */
export async function locateInsideRoots(roots: string[], root: string, relPath: string): Promise<LocatedFile> {
  if (relPath.includes('\0') || isAbsolute(relPath) || relPath.split(SEPARATORS).includes('..'))
    throw new FileAccessError('FILE_BAD_PATH', `refusing path '${relPath}'`);
  const candidate = resolve(root, relPath);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw new FileAccessError('FILE_MISSING', `${candidate} does not exist`);
  }
  const allowed = (await Promise.all(roots.map(realRoot))).filter((r): r is string => r !== null);
  if (!allowed.some((r) => inside(real, r)))
    throw new FileAccessError('FILE_OUTSIDE_ROOTS', `${candidate} resolves outside the image folders`);
  const info = await stat(real).catch(() => null);
  if (!info) throw new FileAccessError('FILE_MISSING', `${candidate} does not exist`);
  if (!info.isFile()) throw new FileAccessError('FILE_NOT_REGULAR', `${candidate} is not a regular file`);
  return { path: real, size: info.size, mtime: info.mtime };
}

/**
 * Opens a located file for reading. O_NOFOLLOW: if the resolved path has been swapped for a
 * symlink since it was located, refuse it rather than follow it out of the roots.
 */
export async function openLocated(file: LocatedFile): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    throw new FileAccessError('FILE_MISSING', `${file.path} cannot be opened`);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new FileAccessError('FILE_NOT_REGULAR', `${file.path} is not a regular file`);
  }
  return handle;
}

/** The first readable path of an image: its own, then its copies. */
export async function resolveImageFile(
  roots: string[],
  image: { root: string; rel_path: string; paths?: Array<{ root: string; rel_path: string; kind?: string }> },
): Promise<LocatedFile> {
  const candidates = [image, ...(image.paths ?? []).filter((p) => p.kind === undefined || p.kind === 'copy')];
  let firstError: unknown;
  for (const c of candidates) {
    try {
      return await locateInsideRoots(roots, c.root, c.rel_path);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

/** Whether a discovered file may be read for the catalog; when not, the reason for the ledger. */
export type IngestPathVerdict = { ok: true; realPath: string } | { ok: false; reason: string } | { ok: 'gone' };

/**
 * Decides whether the file at `absPath` may be ingested. It must resolve (symlinks followed, the
 * roots themselves resolved too) to a place inside one of `roots`, and must not itself be a
 * symbolic link: a link inside the roots would catalogue its target a second time under another
 * name, and its target, being inside the roots, is catalogued under its own path anyway. 'gone'
 * when nothing is at the path (the caller's stability check records that).
 *
 * Synchronous: it runs in the worker thread that reads the file right after (FrameJob.gate),
 * where an lstat, a realpath and a stat through promises took 70–80 µs of CPU a file and
 * synchronous calls 15–17 µs (2,000 files, load 6).
 */
export function checkIngestPath(roots: readonly string[], absPath: string): IngestPathVerdict {
  const own = orNull(() => lstatSync(absPath));
  if (!own) return { ok: 'gone' };
  // The C library's realpath: one readlink a component; Node's own walks them in JavaScript with
  // an lstat each (12-25 against 6-8 µs a file here, load 3).
  const real = orNull(() => realpathSync.native(absPath));
  const allowed = roots.map(realRootSync).filter((r): r is string => r !== null);
  return ingestPathVerdict(own.isSymbolicLink(), real, allowed);
}

function ingestPathVerdict(link: boolean, real: string | null, allowed: string[]): IngestPathVerdict {
  // A regular file removed between the two calls is gone, not refused: it may come back.
  if (real === null)
    return link ? { ok: false, reason: 'symbolic link to a file that does not exist' } : { ok: 'gone' };
  const root = allowed.find((r) => inside(real, r));
  if (!root)
    return {
      ok: false,
      reason: link
        ? 'symbolic link to a file outside the image roots'
        : 'the path leads outside the image roots (through a linked folder)',
    };
  if (link)
    return {
      ok: false,
      reason: `symbolic link to ${relative(root, real).split(sep).join('/')} inside the image roots: the target is catalogued under its own path`,
    };
  return { ok: true, realPath: real };
}

function orNull<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
