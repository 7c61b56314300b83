/**
 * Small file systems of the test's own, for faults of the disk: a tmpfs of a few megabytes that a
 * test fills up (a full disk) or unmounts (a share that goes away). Mounting needs root; without
 * the right, `mountTmpfs` resolves to the reason and the caller skips (fails under CI=true).
 *
 * Also `requireOrSkip`: the one line a fault test prints when this machine cannot stage its fault.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

export interface Tmpfs {
  dir: string;
  unmount(): void;
  mounted(): boolean;
}

/** Mounts a tmpfs of `sizeMb` on `dir` (created if needed); a string says why it could not. */
export function mountTmpfs(dir: string, sizeMb: number): Tmpfs | string {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return `cannot mount a tmpfs: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  const mounted = () => {
    try {
      return execFileSync('findmnt', ['-n', dir], { stdio: 'pipe' }).length > 0;
    } catch {
      return false;
    }
  };
  return {
    dir,
    mounted,
    unmount: () => {
      if (mounted()) execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    },
  };
}

/**
 * Fills the file system holding `dir` with one file until no byte is left (the writer gets ENOSPC),
 * and returns that file's path: removing it gives the space back.
 */
export function fillDisk(dir: string, name = 'filler.bin'): string {
  const path = `${dir}/${name}`;
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  let written = 0;
  writeFileSync(path, '');
  for (;;) {
    try {
      writeFileSync(path, chunk, { flag: 'a' });
      written += chunk.length;
    } catch {
      break;
    }
  }
  // The last chunk may have been cut short: fill the remaining bytes one small write at a time.
  const small = Buffer.alloc(512, 0x5a);
  for (;;) {
    try {
      writeFileSync(path, small, { flag: 'a' });
    } catch {
      break;
    }
  }
  if (!existsSync(path) || written === 0) throw new Error(`could not fill ${dir}`);
  return path;
}

/**
 * `reason` null: go on. Otherwise prints one line and returns true (skip) — or, under CI=true,
 * throws, because CI must never pass by skipping a fault it was meant to try.
 */
export function skipBecause(what: string, reason: string | null): boolean {
  if (reason === null) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true requires ${what}: ${reason}`);
  console.warn(`Skipping ${what}: ${reason}`);
  return true;
}
