import { type Stats, statSync } from 'node:fs';

export type Stability =
  | { state: 'stable'; sizeBytes: number; mtimeMs: number }
  | { state: 'changed'; sizeBytes: number; mtimeMs: number; inode: number }
  | { state: 'settling'; waitMs: number }
  | { state: 'gone' };

/**
 * A camera writes a frame over seconds; reading it half-written would record a truncated file. A
 * file is taken only when its size and mtime are what discovery saw and that mtime is at least
 * `stableMs` old. (Whether the length covers what the headers declare is checked after parsing.)
 */
export function checkStability(
  absPath: string,
  seen: { sizeBytes: number; mtimeMs: number },
  stableMs: number,
  now = Date.now(),
): Stability {
  // Synchronous: it runs in the worker thread that reads the file next (FrameJob.gate).
  let s: Stats;
  try {
    s = statSync(absPath);
  } catch {
    return { state: 'gone' };
  }
  const mtimeMs = Math.trunc(s.mtimeMs);
  if (s.size !== seen.sizeBytes || mtimeMs !== seen.mtimeMs)
    return { state: 'changed', sizeBytes: s.size, mtimeMs, inode: s.ino };
  const age = now - mtimeMs;
  if (age < stableMs) return { state: 'settling', waitMs: stableMs - age };
  return { state: 'stable', sizeBytes: s.size, mtimeMs };
}
