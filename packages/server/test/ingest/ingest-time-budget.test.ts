/**
 * The per-file time budget: a worker thread stuck in synchronous code on one file is stopped and
 * replaced, the file fails for good with its reason in the ledger, the memory it held is given
 * back, and the other files are ingested by the replacement thread (the pool has one thread, so
 * they could not be otherwise).
 */
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLedger } from '../../src/db/ingest-ledger.repository.js';
import { candidateFromStats } from '../../src/ingest/discovery.js';
import { createMemoryBudget, freeBytes } from '../../src/ingest/memory-budget.js';
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import { createFramePool } from '../../src/ingest/worker-pool.js';
import { compiledExecArgv, createThreadPool } from '../../src/util/thread-pool.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

const STUCK_WORKER = join(REPO_ROOT, 'packages/server/test/support/stuck-frame.worker.mjs');
const ORDER_WORKER = join(REPO_ROOT, 'packages/server/test/support/order.worker.mjs');
const BUDGET_MS = 500;

describe('a frame over its time budget', () => {
  it('fails with a reason; its thread is replaced and the memory it held given back', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-budget-'));
    const pool = createFramePool(1, { workerFile: STUCK_WORKER, fileTimeBudgetMs: BUDGET_MS });
    try {
      const [stuck, good] = writeSyntheticNight(work, { count: 2, width: 32, height: 32, seed: 3 });
      const stuckPath = join(work, 'stuck.fits');
      renameSync(stuck!.path, stuckPath);
      const budget = createMemoryBudget(10 * 1024 * 1024);
      const job = (absPath: string) => ({
        absPath,
        skipAnalysis: false,
        normalize: { nightRolloverHour: 12 },
        memory: { budget, retainBytes: 1024 * 1024 },
      });
      const outcome = await pool.run(job(stuckPath));
      expect(outcome).toMatchObject({ ok: false, retry: false, code: 'TIME_BUDGET' });
      expect(outcome.ok === false && outcome.reason).toContain('AIMS_FILE_TIME_BUDGET');
      expect(freeBytes(budget)).toBe(10 * 1024 * 1024);
      // The one thread is free again: the next file is read.
      expect(await pool.run(job(good!.path))).toMatchObject({ ok: true });
    } finally {
      await pool.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a catalog-only pool, several files queued on its one thread', () => {
  it('fails the file over its budget and hands the files queued behind it to the replacement thread', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-budget-'));
    const pool = createFramePool(1, { workerFile: STUCK_WORKER, fileTimeBudgetMs: BUDGET_MS, skipAnalysis: true });
    try {
      const [stuck, ...good] = writeSyntheticNight(work, { count: 4, width: 32, height: 32, seed: 5 });
      const stuckPath = join(work, 'stuck.fits');
      renameSync(stuck!.path, stuckPath);
      const job = (absPath: string) => ({ absPath, skipAnalysis: true, normalize: { nightRolloverHour: 12 } });
      // All four are handed to the thread at once: three wait in its queue behind the stuck one.
      const outcomes = await Promise.all([stuckPath, ...good.map((f) => f.path)].map((p) => pool.run(job(p))));
      expect(outcomes[0]).toMatchObject({ ok: false, retry: false, code: 'TIME_BUDGET' });
      expect(outcomes.slice(1).map((o) => o.ok)).toEqual([true, true, true]);
    } finally {
      await pool.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('takes the tasks in the order they were run', async () => {
    const pool = createThreadPool({
      filename: ORDER_WORKER,
      threads: 1,
      tasksPerThread: 4,
      execArgv: compiledExecArgv(process.execArgv),
    });
    try {
      // piscina's default puts a task it cannot hand to a full thread at the back of its queue.
      const done = await Promise.all(
        Array.from({ length: 40 }, (_, i) => pool.run<{ task: number; taken: number }>(i)),
      );
      expect(done.map((d) => d.taken)).toEqual(done.map((d) => d.task));
    } finally {
      await pool.close();
    }
  });

  it('withdraws a cancelled task still queued and stops the thread of a cancelled running one', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aims-budget-'));
    const pool = createThreadPool({
      filename: STUCK_WORKER,
      threads: 1,
      tasksPerThread: 4,
      execArgv: compiledExecArgv(process.execArgv),
    });
    try {
      const [stuck, good] = writeSyntheticNight(work, { count: 2, width: 32, height: 32, seed: 6 });
      const stuckPath = join(work, 'stuck.fits');
      renameSync(stuck!.path, stuckPath);
      const job = (absPath: string) => ({ absPath, skipAnalysis: true, normalize: { nightRolloverHour: 12 } });
      const stopStuck = new AbortController();
      const stopGood = new AbortController();
      const running = pool.run(job(stuckPath), { signal: stopStuck.signal });
      const waiting = pool.run(job(good!.path), { signal: stopGood.signal });
      await new Promise((r) => setTimeout(r, 200));
      expect(pool.counts()).toEqual({ queued: 1, running: 1 });
      stopGood.abort(new Error('not wanted any more'));
      await expect(waiting).rejects.toThrow('not wanted any more');
      stopStuck.abort(new Error('stop it'));
      await expect(running).rejects.toThrow('stop it');
      // The spinning thread was terminated and replaced: the pool reads files again.
      expect(await pool.run(job(good!.path))).toMatchObject({ ok: true });
    } finally {
      await pool.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS)
  describe(`the file time budget in the ledger (${dialect})`, () => {
    const t = useTestDatabase(dialect);
    let work: string;
    beforeEach(() => {
      work = mkdtempSync(join(tmpdir(), 'aims-budget-'));
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    it('records the reason, does not retry, and ingests the rest', async () => {
      const frames = writeSyntheticNight(join(work, 'night'), { count: 3, width: 32, height: 32, seed: 4 });
      renameSync(frames[0]!.path, join(work, 'night', 'stuck-1.fits'));
      const pool = createFramePool(1, { workerFile: STUCK_WORKER, fileTimeBudgetMs: BUDGET_MS });
      const pipeline = new IngestPipeline({
        database: t.database,
        pool,
        stableMs: 0,
        skipAnalysis: true,
        normalize: { nightRolloverHour: 12 },
      });
      try {
        const root = join(work, 'night');
        const names = ['stuck-1.fits', ...frames.slice(1).map((f) => f.path.slice(root.length + 1))];
        await pipeline.enqueue(
          names.map((relPath) => candidateFromStats(root, join(root, relPath), statSync(join(root, relPath)))),
        );
        await pipeline.drain();
      } finally {
        await pool.close();
      }
      const ledger = await listLedger(t.database);
      const byName = Object.fromEntries(ledger.items.map((e) => [e.rel_path, e]));
      expect(byName['stuck-1.fits']).toMatchObject({ state: 'failed', retryable: false });
      expect(byName['stuck-1.fits']!.reason).toMatch(/time budget of 0\.5 s \(AIMS_FILE_TIME_BUDGET\)/);
      expect(ledger.items.filter((e) => e.state === 'ingested')).toHaveLength(2);
    });
  });
