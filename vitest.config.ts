import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit` sets AIMS_TEST_TIER=unit: pure tests only, no PostgreSQL, no Python oracles,
 * no shared fixtures, no browser, well under a minute. These files are not pure by what they start
 * (a database, the app, the `aims` binary) or what they compare against (Python, fpack, the fixture
 * corpus); scripts/vitest.unit-setup.ts refuses PostgreSQL and Python in that tier, so a file missing
 * from this list fails loudly there instead of slowing it down.
 */
const NOT_UNIT = [
  'packages/server/test/db/**',
  // Faults on real services: a private PostgreSQL restarted, tmpfs filled and unmounted, a soak.
  'packages/server/test/faults/**',
  'packages/server/test/ingest/{commit-group,ingest-*,inflate-budget}.test.ts',
  'packages/server/test/http/**',
  // Store tests of the catalog and account rules (both dialects).
  'packages/server/test/catalog/{calibration,downloads,exports,fixity,frame-record}.test.ts',
  // Worker threads from the build (dist/), with test workers that hold renders back.
  'packages/server/test/catalog/preview-renders.test.ts',
  'packages/server/test/auth/accounts.service.test.ts',
  '**/*.command.test.ts',
  '**/*fixtures.test.ts',
  '**/*.astropy.test.ts',
  '**/*.fpack.test.ts',
  '**/*fuzz.test.ts',
  // Real files on disk: a sparse 14 GB file, gzip streams through the thread pool.
  'packages/fits/test/node.test.ts',
  // Python oracles (astropy, SEP) and fpack written files.
  'packages/fits/test/compression/{hcompress,plio,rice}.test.ts',
  'packages/fits/test/wcs/wcs.{headers,properties}.test.ts',
  'packages/fits/test/write.test.ts',
  'packages/server/test/analysis/{preview,sep-crosscheck,synthetic-frames}.test.ts',
  'packages/server/test/ingest/normalize/ephemeris.test.ts',
];
const unitTier = process.env.AIMS_TEST_TIER === 'unit';

// One Vitest run covers every package. The `source` condition resolves workspace packages to their
// TypeScript sources, so tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/test/**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'packages/web/e2e/**', ...(unitTier ? NOT_UNIT : [])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Finds the test data outside the repository once and tells every test file (see the file).
    globalSetup: ['scripts/vitest.global-setup.ts'],
    setupFiles: unitTier ? ['scripts/vitest.unit-setup.ts'] : [],
  },
});
