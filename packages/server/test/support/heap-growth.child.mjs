/**
 * For test/ingest/heap-growth.test.ts, run with --expose-gc: holds about 40 MB, then allocates
 * objects that live long enough to be promoted and die there, and prints the live old space after
 * a full collection and the largest old space seen meanwhile (MB). With the argument `bounded` it
 * calls boundHeapGrowth() first, as `aims serve` does.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { boundHeapGrowth } from '../../dist/util/heap-growth.js';

if (process.argv[2] === 'bounded') boundHeapGrowth();
const oldUsed = () =>
  (getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0) / 2 ** 20;
const live = [];
for (let i = 0; i < 400; i++) live.push(new Array(12_500).fill(i + 0.5));
globalThis.gc();
const liveMb = oldUsed();
let held = [];
let maxMb = 0;
const until = Date.now() + 2500;
while (Date.now() < until) {
  for (let k = 0; k < 2000; k++) held.push({ name: `frame ${k} ${Date.now()}`, values: [k, k + 1, k + 2] });
  if (held.length > 100_000) held = held.slice(50_000);
  await new Promise((r) => setImmediate(r));
  maxMb = Math.max(maxMb, oldUsed());
}
process.stdout.write(JSON.stringify({ liveMb, maxMb, held: held.length + live.length }));
