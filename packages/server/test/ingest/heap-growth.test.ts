/**
 * boundHeapGrowth(), which `aims serve` and `aims worker` call at start: the old generation of a
 * process that keeps promoting short-lived objects stays near what is live, where V8's own
 * heuristics let it grow to several times that (the memory bench's burst, docs/performance.md).
 * V8's flags belong to the whole process, so each case runs in a child of its own.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixtures.js';

const CHILD = join(REPO_ROOT, 'packages/server/test/support/heap-growth.child.mjs');

function run(mode: 'bounded' | 'default'): { liveMb: number; maxMb: number } {
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', CHILD, mode], { encoding: 'utf8' }));
}

describe('heap growth', () => {
  it('keeps the old generation within a bounded factor of what is live', () => {
    const bounded = run('bounded');
    const unbounded = run('default');
    expect(bounded.liveMb).toBeGreaterThan(35);
    // 40 MB live and up to 10 MB of held objects: 1.3 × 50 MB, plus V8's minimum step of growth.
    expect(bounded.maxMb).toBeLessThan(2.5 * bounded.liveMb);
    // The workload does grow the heap without the bound (about 220 MB on Node 20).
    expect(unbounded.maxMb).toBeGreaterThan(bounded.maxMb * 1.5);
  });
});
