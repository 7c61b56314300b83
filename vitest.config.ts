import { defineConfig } from 'vitest/config';

// One Vitest run covers every package. The `source` condition resolves workspace packages to their
// TypeScript sources, so tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/test/**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'packages/web/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Finds the shared FITS fixtures once and tells every test file (see the file's comment).
    globalSetup: ['scripts/vitest.global-setup.ts'],
  },
});
