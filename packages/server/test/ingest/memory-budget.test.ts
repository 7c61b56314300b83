import { describe, expect, it } from 'vitest';
import { acquireMemory, budgetBytes, createMemoryBudget, freeBytes } from '../../src/ingest/memory-budget.js';

const KB = 1024;

describe('memory budget', () => {
  it('never lends more than the budget, and every taker gets its share and gives it back', async () => {
    const budget = createMemoryBudget(100 * KB);
    let inUse = 0;
    let most = 0;
    let finished = 0;
    let seed = 5;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const takers = Array.from({ length: 200 }, async () => {
      const bytes = (1 + Math.floor(next() * 60)) * KB;
      const hold = Math.floor(next() * 3);
      const release = await acquireMemory(budget, bytes);
      inUse += bytes;
      most = Math.max(most, inUse);
      expect(inUse).toBeLessThanOrEqual(100 * KB);
      await new Promise((r) => setTimeout(r, hold));
      inUse -= bytes;
      release();
      release(); // a second call gives nothing back twice
      finished++;
    });
    await Promise.all(takers);
    expect(finished).toBe(200);
    // Takers did overlap (the bound was exercised), and everything came back.
    expect(most).toBeGreaterThan(60 * KB);
    expect(freeBytes(budget)).toBe(100 * KB);
  });

  it('gives a request over the whole budget the whole budget, once the others are done', async () => {
    const budget = createMemoryBudget(64 * KB);
    expect(budgetBytes(budget)).toBe(64 * KB);
    const small = await acquireMemory(budget, 10 * KB);
    expect(freeBytes(budget)).toBe(54 * KB);
    let granted = false;
    const huge = acquireMemory(budget, 10_000 * KB).then((release) => {
      granted = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(granted).toBe(false);
    small();
    const release = await huge;
    expect(freeBytes(budget)).toBe(0);
    release();
    expect(freeBytes(budget)).toBe(64 * KB);
  });

  it('refuses a budget that cannot hold anything', () => {
    expect(() => createMemoryBudget(0)).toThrow(RangeError);
    expect(() => createMemoryBudget(Number.NaN)).toThrow(RangeError);
  });
});
