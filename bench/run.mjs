#!/usr/bin/env node
// Runs every bench/*.bench.mjs in turn, each in its own process so that one cannot warm up or
// slow down another. Build first: `npm run build:lib` (the benches import the compiled dist/).
// Usage: node bench/run.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && f.includes(filter))
  .sort();
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n=== ${bench} ===\n`);
  const run = spawnSync(process.execPath, [join(dir, bench)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`${bench} failed (exit ${run.status ?? run.signal})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
