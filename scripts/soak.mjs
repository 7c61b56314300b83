#!/usr/bin/env node
// `npm run soak`: the soak test (packages/server/test/faults/soak.test.ts) for longer than the test
// suite runs it. A writer adds, renames, rewrites and deletes FITS files for the given time while
// `aims serve`, its rescans, `aims ingest` and API readers run; then the catalog must match the
// files exactly and the server's memory after GC must not have grown.
// Usage: npm run soak [-- --seconds 600] [-- --dialects sqlite,postgres]   (default 300 s, both)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '300' }, dialects: { type: 'string' } },
});
const seconds = Number(values.seconds);
if (!Number.isInteger(seconds) || seconds < 5 || seconds > 86_400) {
  process.stderr.write(`soak: --seconds must be a whole number from 5 to 86400, got '${values.seconds}'\n`);
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'packages/server/test/faults/soak.test.ts'],
  {
    stdio: 'inherit',
    cwd: root,
    env: {
      ...process.env,
      AIMS_SOAK_SECONDS: String(seconds),
      ...(values.dialects ? { AIMS_TEST_DIALECTS: values.dialects } : {}),
    },
  },
);
process.exitCode = run.status ?? 1;
