/**
 * Which folders may become libraries. A path from the API is taken only when it is absolute, has no
 * `..` segment, exists, is a folder the server can read, and resolves (symbolic links followed) to
 * a place inside one of the allowed parents (AIMS_LIBRARY_ROOTS; by default the data folder), so
 * the web UI cannot be used to expose the server's file system. Folders named by whoever runs the
 * CLI on the catalog are checked the same way but not bounded (docs/decisions/0017).
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { isAbsolute, sep } from 'node:path';
import { LibraryError } from './library-errors.js';

export interface LibraryPathRules {
  /** Allowed parent folders; undefined: not bounded (the CLI). */
  allowedRoots: readonly string[] | undefined;
  /** The data folder: never a library, never inside one (it holds the catalog and the secrets). */
  dataDir: string;
}

const SEPARATORS = sep === '\\' ? /[/\\]/ : /\//;

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

const refuse = (message: string) => new LibraryError('LIBRARY_PATH_REFUSED', message, 'path');

/** The real path of a folder that may become a library, or a LibraryError saying why not. */
export async function checkLibraryPath(input: string, rules: LibraryPathRules): Promise<string> {
  const path = input.trim();
  if (!path || path.includes('\0')) throw refuse('must name a folder');
  if (!isAbsolute(path)) throw refuse(`'${path}' is not absolute: give the full path of the folder on the server`);
  if (path.split(SEPARATORS).includes('..')) throw refuse(`'${path}' contains '..': give the folder's own path`);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw refuse(`${path} cannot be read by the server (permission denied)`);
    throw refuse(`${path} does not exist on the server`);
  }
  const info = await stat(real);
  if (!info.isDirectory()) throw refuse(`${path} is not a folder`);
  try {
    await access(real, constants.R_OK | constants.X_OK);
  } catch {
    throw refuse(`${path} cannot be read by the server (permission denied)`);
  }
  const via = real === path ? '' : ` (it resolves to ${real})`;
  const data = await realpath(rules.dataDir).catch(() => rules.dataDir);
  if (isInside(data, real)) throw refuse(`${path}${via} holds the AIMS data folder, which is never served`);
  if (rules.allowedRoots) {
    const allowed = (await Promise.all(rules.allowedRoots.map((r) => realpath(r).catch(() => null)))).filter(
      (r): r is string => r !== null,
    );
    if (!allowed.some((r) => isInside(real, r)))
      throw refuse(
        `${path}${via} is outside the folders AIMS_LIBRARY_ROOTS allows (${rules.allowedRoots.join(', ') || 'none'})`,
      );
  }
  return real;
}
