import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (…/main) and the shared fixtures beside it. */
export const REPO_ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const FIXTURES_DIR = resolve(REPO_ROOT, '../shared/fixtures');

/** Every file under the shared fixtures, except the manifest. */
export function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith('.md')) out.push(path);
    }
  };
  if (existsSync(FIXTURES_DIR)) walk(FIXTURES_DIR);
  return out;
}

export function fixture(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

/** Debian's python3 (the pyenv one on PATH has no astropy). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
