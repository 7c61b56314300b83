/**
 * The background fixity check on both dialects, with real files: the least recently verified
 * slice is read, results land per path, each run is recorded and audited, and the schedule runs
 * ticks on its own and stops cleanly.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FixitySchedule,
  fixityDegraded,
  fixityProblems,
  fixitySliceSize,
  fixitySummary,
  runFixity,
  runFixityTick,
} from '../../src/catalog/fixity.js';
import { listAudit } from '../../src/db/audit.repository.js';
import { lastRun } from '../../src/db/fixity.repository.js';
import { getImage, insertImage, linkCopy } from '../../src/db/images.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';
import { makeImage } from '../support/images.js';

const DAY_MS = 86_400_000;

describe('fixity slices', () => {
  it('spread the catalog over the ticks of the period, and catch up while some are overdue', () => {
    expect(fixitySliceSize(0, 0, 30)).toBe(0);
    expect(fixitySliceSize(1000, 0, 0)).toBe(0);
    // 30 days of hourly ticks: 720 ticks.
    expect(fixitySliceSize(720_000, 0, 30)).toBe(1000);
    expect(fixitySliceSize(720_001, 0, 30)).toBe(1001);
    expect(fixitySliceSize(10, 0, 30)).toBe(1);
    expect(fixitySliceSize(720_000, 50, 30)).toBe(1050);
    expect(fixitySliceSize(720_000, 5000, 30)).toBe(2000);
  });
});

for (const dialect of DIALECTS)
  describe(`fixity on ${dialect}`, () => {
    const t = useTestDatabase(dialect);
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'aims-fixity-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    /** A catalogued file with real bytes, verified `ageDays` ago. */
    async function catalogued(name: string, ageDays: number, now: number): Promise<number> {
      const bytes = Buffer.from(`frame ${name} `.repeat(100));
      mkdirSync(join(root, 'night'), { recursive: true });
      writeFileSync(join(root, 'night', name), bytes);
      const image = makeImage({ root, rel_path: `night/${name}` });
      image.sha256 = createHash('sha256').update(bytes).digest('hex');
      image.size_bytes = bytes.length;
      const written = await insertImage(t.database, image, { nowMs: now - ageDays * DAY_MS });
      return written.id;
    }

    it('reads the least recently verified slice and records what it found per path', async () => {
      const now = Date.UTC(2026, 11, 3, 12);
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push(await catalogued(`f${i}.fits`, 10 + i, now));
      // f5 (the oldest) now has other bytes; f4 lost its file; f3 has a copy.
      writeFileSync(join(root, 'night/f5.fits'), 'rot');
      rmSync(join(root, 'night/f4.fits'));
      writeFileSync(join(root, 'copy-of-f3.fits'), Buffer.from('frame f3.fits '.repeat(100)));
      await linkCopy(t.database, ids[3]!, root, 'copy-of-f3.fits');

      // Six images over 6 days with hourly ticks: one a tick, plus one while some are overdue.
      const report = await runFixityTick(t.database, 6, { now: () => now });
      expect(report).toMatchObject({ files: 2, ok: 0, changed: 1, missing: 1 });
      expect(report?.problems.map((p) => [p.file_path.slice(root.length), p.problem])).toEqual([
        ['/night/f5.fits', 'changed'],
        ['/night/f4.fits', 'missing'],
      ]);
      const next = await runFixityTick(t.database, 6, { now: () => now + 1000 });
      // f3 and its copy, then f2: the least recently verified first.
      expect(next?.files).toBe(3);
      expect(next?.ok).toBe(3);
      const f3 = await getImage(t.database, ids[3]!);
      expect(f3?.fixity_status).toBe('ok');
      expect(f3?.verified_at).toBe(new Date(now + 1000).toISOString());
      expect(f3?.paths.map((p) => [p.rel_path, p.fixity_status])).toEqual([['copy-of-f3.fits', 'ok']]);

      expect(await lastRun(t.database)).toMatchObject({ source: 'server', files: 3, ok: 3 });
      const audit = await listAudit(t.database, { limit: 20 });
      expect(audit.filter((a) => a.action === 'fixity.run')).toHaveLength(2);
      expect(audit.filter((a) => a.action === 'fixity.problem').map((a) => a.details?.problem)).toEqual([
        'missing',
        'changed',
      ]);

      const summary = await fixitySummary(t.database, 6);
      expect(summary.problems).toEqual({ changed: 1, missing: 1, unreadable: 0, checksum_bad: 0 });
      expect(fixityDegraded(summary)).toBe(true);
      const problems = await fixityProblems(t.database, 10);
      expect(problems.map((p) => p.problem).sort()).toEqual(['changed', 'missing']);
    });

    it('a share that is not mounted is unreadable, not missing', async () => {
      const now = Date.now();
      await catalogued('a.fits', 40, now);
      rmSync(root, { recursive: true, force: true });
      const report = await runFixityTick(t.database, 30);
      expect(report?.problems).toEqual([
        expect.objectContaining({ problem: 'unreadable', reason: expect.stringMatching(/not reachable/) }),
      ]);
    });

    it('records a run stopped after some files, and nothing for one stopped before its first', async () => {
      const now = Date.UTC(2026, 11, 3, 12);
      await catalogued('a.fits', 40, now);
      await catalogued('b.fits', 50, now);
      const before = await runFixity(
        t.database,
        { all: true },
        { source: 'server', now: () => now, shouldStop: () => true },
      );
      expect(before.files).toBe(0);
      expect(await lastRun(t.database)).toBeNull();
      expect((await listAudit(t.database, { limit: 20 })).filter((a) => a.action === 'fixity.run')).toEqual([]);

      let asked = 0;
      const partly = await runFixity(
        t.database,
        { all: true },
        { source: 'server', now: () => now, shouldStop: () => ++asked > 2 },
      );
      expect(partly.files).toBe(1);
      expect(await lastRun(t.database)).toMatchObject({ source: 'server', files: 1, ok: 1 });
    });

    it('runs ticks on a schedule and stops', async () => {
      await catalogued('a.fits', 40, Date.now());
      await catalogued('b.fits', 50, Date.now());
      const schedule = new FixitySchedule(t.database, { days: 30, firstTickMs: 0, tickMs: 20 });
      schedule.start();
      const start = Date.now();
      while (!(await lastRun(t.database)) && Date.now() - start < 20_000) {
        await new Promise((r) => setTimeout(r, 20));
      }
      // A tick that stop() interrupts before its first file records nothing, so the last run,
      // read after stop(), is always one that read files.
      await schedule.stop();
      const run = await lastRun(t.database);
      expect(run).toMatchObject({ source: 'server', ok: run?.files });
      expect(run?.files).toBeGreaterThan(0);
    });
  });
