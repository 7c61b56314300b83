/**
 * Runs once per Vitest run, before any test file. It finds the test data that lives outside the
 * repository and hands the answer to the test-support modules through `provide`, so every package
 * agrees on one folder and a missing folder is reported once, not once per test:
 *
 * - the shared FITS fixtures: `AIMS_SHARED_FIXTURES`, default `../shared/fixtures` beside the
 *   repository;
 * - astropy's own test data (`astropy/io/fits/tests/data`, `astropy/wcs/tests/data`): the installed
 *   Debian python3-astropy, else the package unpacked with `apt-get download` + `dpkg -x` into
 *   `AIMS_ASTROPY_DEB_CACHE` (default /tmp/aims-astropy-deb).
 *
 * A clone without them still passes: the tests that read them skip, and this prints one line naming
 * what it looked for. Under `CI=true` a missing folder fails the run instead, because CI must never
 * pass by skipping. The unit tier (`AIMS_TEST_TIER=unit`) reads neither and looks for neither.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const INSTALLED_ASTROPY = '/usr/lib/python3/dist-packages/astropy';

export default async function setup(project: TestProject): Promise<void> {
  const unitTier = process.env.AIMS_TEST_TIER === 'unit';
  const fixturesDir = resolve(REPO_ROOT, process.env.AIMS_SHARED_FIXTURES ?? '../shared/fixtures');
  const fixturesPresent = !unitTier && existsSync(fixturesDir);
  const astropy = unitTier ? { dir: '', missing: 'the unit tier reads no astropy data' } : findAstropyPackage();
  if (!unitTier) {
    const missing = [
      fixturesPresent
        ? undefined
        : `the shared FITS fixtures (${fixturesDir} does not exist; set AIMS_SHARED_FIXTURES)`,
      astropy.missing && `astropy's test data (${astropy.missing})`,
    ].filter((m) => m !== undefined && m !== '');
    if (missing.length && process.env.CI === 'true') throw new Error(`CI=true requires ${missing.join(' and ')}`);
    for (const m of missing) console.warn(`\nSkipping the tests that read ${m}.\n`);
  }
  // MariaDB/MySQL: the store tests run on it when it answers, and skip it (one line) when not.
  const mysqlWanted = !unitTier && /\b(mysql|mariadb)\b/.test(process.env.AIMS_TEST_DIALECTS ?? 'mysql');
  const mysqlUrl = new URL(process.env.AIMS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  const mysqlReachable = mysqlWanted && (await answers(mysqlUrl.hostname, Number(mysqlUrl.port || 3306)));
  if (mysqlWanted && !mysqlReachable) {
    const why = `MariaDB/MySQL does not answer on ${mysqlUrl.host} (set AIMS_TEST_MYSQL_URL)`;
    if (process.env.CI === 'true') throw new Error(`CI=true requires the MySQL store tests: ${why}`);
    console.warn(`\nSkipping the MySQL store tests: ${why}.\n`);
  }
  project.provide('mysqlReachable', mysqlReachable);
  project.provide('repoRoot', REPO_ROOT);
  project.provide('testTier', unitTier ? 'unit' : 'all');
  project.provide('sharedFixturesDir', fixturesDir);
  project.provide('sharedFixturesPresent', fixturesPresent);
  project.provide('sharedFixtureFiles', fixturesPresent ? filesUnder(fixturesDir) : []);
  project.provide('astropyPackageDir', astropy.dir);
}

/** Whether something accepts a TCP connection at host:port within two seconds. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ host, port, timeout: 2000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolveAnswer(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
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

/** The astropy package folder that holds its FITS and WCS test data, or why there is none. */
function findAstropyPackage(): { dir: string; missing: string } {
  const hasData = (dir: string) =>
    existsSync(join(dir, 'io/fits/tests/data')) && existsSync(join(dir, 'wcs/tests/data'));
  if (hasData(INSTALLED_ASTROPY)) return { dir: INSTALLED_ASTROPY, missing: '' };
  const cache = resolve(process.env.AIMS_ASTROPY_DEB_CACHE ?? '/tmp/aims-astropy-deb');
  const unpacked = join(cache, 'x', INSTALLED_ASTROPY);
  if (hasData(unpacked)) return { dir: unpacked, missing: '' };
  mkdirSync(cache, { recursive: true });
  const run = spawnSync('sh', ['-c', 'apt-get download python3-astropy && dpkg -x python3-astropy_*.deb x'], {
    cwd: cache,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (hasData(unpacked)) return { dir: unpacked, missing: '' };
  const why = run.stderr.trim().split('\n').at(-1) || run.error?.message || `exit code ${run.status}`;
  return { dir: '', missing: `python3-astropy is not installed and could not be unpacked into ${cache}: ${why}` };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The repository root (absolute). */
    repoRoot: string;
    /** `unit` under `npm run test:unit` (no database, no Python, no data outside the repository). */
    testTier: 'unit' | 'all';
    /** The folder of the shared FITS fixtures (absolute), whether or not it exists. */
    sharedFixturesDir: string;
    /** Whether that folder exists; tests that read it skip when it does not. */
    sharedFixturesPresent: boolean;
    /** Every file under it except the manifest, sorted; empty when it is missing. */
    sharedFixtureFiles: string[];
    /** The astropy package folder holding io/fits/tests/data and wcs/tests/data; '' when missing. */
    astropyPackageDir: string;
    /** Whether the MariaDB/MySQL server of the store tests answered (false in the unit tier). */
    mysqlReachable: boolean;
  }
}
