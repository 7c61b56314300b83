/**
 * Files at rest that only the account running AIMS may read: the data folder, the catalog (it
 * holds password and token hashes) and the generated JWT secret.
 *
 *   ensurePrivateDir(dir, warn?)    creates the folder 0700, or tightens an existing looser one
 *   ensurePrivateFile(path, warn?)  creates an empty file 0600, or tightens an existing looser one
 *   tightenFile(path, warn?)        tightens a file when it exists and is looser than 0600
 *
 * `warn` gets one line for every mode that was changed, so an operator sees that a folder set up
 * by an earlier version (created with the umask's default, often 0755/0644) was readable by others.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export type Warn = (message: string) => void;

/** The default: a warning line on stderr (the CLI and tests have no logger at this point). */
export const warnOnStderr: Warn = (message) => process.emitWarning(message, { code: 'AIMS_PERMISSIONS' });

function tighten(path: string, mode: number, kind: string, warn: Warn): boolean {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if ((current & 0o077) === 0) return false;
  // Group and other bits are taken away; the owner keeps its own bits and gets the ones it needs.
  const next = (current & 0o700) | mode;
  chmodSync(path, next);
  const octal = (m: number) => m.toString(8).padStart(4, '0');
  warn(`${kind} ${path} was open to other accounts (mode ${octal(current)}); changed to ${octal(next)}`);
  return true;
}

export function ensurePrivateDir(dir: string, warn: Warn = warnOnStderr): void {
  // `mode` applies only to folders mkdir creates (and is masked by the umask, which can only
  // take bits away); an existing folder is tightened below.
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE, 'data folder', warn);
}

export function tightenFile(path: string, warn: Warn = warnOnStderr): boolean {
  return tighten(path, PRIVATE_FILE_MODE, 'file', warn);
}

export function ensurePrivateFile(path: string, warn: Warn = warnOnStderr): void {
  try {
    // 'wx' creates the file with 0600 from the start, so there is no moment at which it is open to others.
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    tightenFile(path, warn);
  }
}
