/**
 * What every e2e spec shares: the `aims serve` that e2e/global-setup.ts started, its first
 * admin, the night of frames it wrote, and where screenshots go.
 *
 *   e2eUrl()          the server's base URL (AIMS_E2E_URL)
 *   writtenFrames()   the frames as e2e/support/write-night.mjs wrote them (AIMS_E2E_FRAMES)
 *   ADMIN, SHOTS
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One frame of the night, in the order written. */
export interface WrittenFrame {
  path: string;
  kind: 'light' | 'dark' | 'flat';
  object: string | null;
  filter: string;
  dateObs: string;
  ccdTemp: number;
}

export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
export const ADMIN = { email: 'admin@observatory.example', password: 'a long night of photons' };

export function e2eUrl(): string {
  const value = process.env.AIMS_E2E_URL;
  if (!value) throw new Error('AIMS_E2E_URL is not set: run through playwright.config.ts (global setup)');
  return value;
}

export function writtenFrames(): WrittenFrame[] {
  const path = process.env.AIMS_E2E_FRAMES;
  if (!path) throw new Error('AIMS_E2E_FRAMES is not set: run through playwright.config.ts (global setup)');
  return JSON.parse(readFileSync(path, 'utf8')) as WrittenFrame[];
}
