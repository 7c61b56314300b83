/**
 * The shared FITS fixtures, as the Vitest global setup (scripts/vitest.global-setup.ts) found them.
 * Tests import this through their package's `test/support/fixtures.ts`, never across packages.
 * Tests that read them use `describeWithFixtures` / `itWithFixtures`: a clone without the folder skips
 * them (the run prints one line naming it), and CI=true fails the run instead.
 */
import { join } from 'node:path';
import { describe, inject, it } from 'vitest';

/** The repository root. */
export const REPO_ROOT = inject('repoRoot');
/** `AIMS_SHARED_FIXTURES`, default `../shared/fixtures` beside the repository. */
export const FIXTURES_DIR = inject('sharedFixturesDir');
/** False in a clone without the shared fixtures: the tests that need them skip. */
export const HAVE_FIXTURES = inject('sharedFixturesPresent');

/** `describe` and `it` for tests that read the shared fixtures: skipped when they are missing. */
export const describeWithFixtures = describe.skipIf(!HAVE_FIXTURES);
export const itWithFixtures = it.skipIf(!HAVE_FIXTURES);

/** Every file under the shared fixtures, except the manifest; empty when the folder is missing. */
export function fixtureFiles(): string[] {
  return inject('sharedFixtureFiles');
}

export function fixture(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

/** Debian's python3 (the pyenv one on PATH has no astropy). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
