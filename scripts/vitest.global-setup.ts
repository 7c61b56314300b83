/**
 * Runs once per Vitest run, before any test file. It decides where the shared FITS fixtures are
 * (`AIMS_SHARED_FIXTURES`, default `../shared/fixtures` beside the repository) and hands the answer
 * to the test-support modules through `provide`, so that every package agrees on one folder.
 *
 * A clone without the fixtures still passes: the tests that read them skip, and this prints one
 * line naming the folder it looked for. Under `CI=true` a missing folder fails the run instead,
 * because CI must never pass by skipping.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const REPO_ROOT = resolve(import.meta.dirname, '..');

export default function setup(project: TestProject): void {
  const dir = resolve(REPO_ROOT, process.env.AIMS_SHARED_FIXTURES ?? '../shared/fixtures');
  const present = existsSync(dir);
  if (!present) {
    if (process.env.CI === 'true')
      throw new Error(`shared FITS fixtures not found in ${dir}; CI=true requires them (set AIMS_SHARED_FIXTURES)`);
    console.warn(
      `\nSkipping the tests that read the shared FITS fixtures: ${dir} does not exist (set AIMS_SHARED_FIXTURES to their folder).\n`,
    );
  }
  project.provide('sharedFixturesDir', dir);
  project.provide('sharedFixturesPresent', present);
  project.provide('sharedFixtureFiles', present ? filesUnder(dir) : []);
  project.provide('repoRoot', REPO_ROOT);
}

/** Every file under dir, sorted, except the manifest (`*.md`). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith('.md')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the shared FITS fixtures (absolute), whether or not it exists. */
    sharedFixturesDir: string;
    /** Whether that folder exists; tests that read it skip when it does not. */
    sharedFixturesPresent: boolean;
    /** Every file under it except the manifest, sorted; empty when it is missing. */
    sharedFixtureFiles: string[];
    /** The repository root (absolute). */
    repoRoot: string;
  }
}
