/**
 * Previews rendered on demand in worker threads: one render per image however many ask, a cap
 * and a bounded queue, cancellation when every asker left, the time budget, and a close that
 * does not wait for renders. Real worker threads and real FITS files; a test worker holds renders
 * back (gated) or never ends them (stuck) where a test needs them in flight.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogError } from '../../src/catalog/errors.js';
import { createPreviewRenders, type PreviewRenders } from '../../src/catalog/preview-renders.js';
import { TimeBudgetExceeded } from '../../src/util/thread-pool.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

const GATE_WORKER = join(REPO_ROOT, 'packages/server/test/support/preview-gate.worker.mjs');

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('previews rendered on demand in worker threads', () => {
  let dir: string;
  let renders: PreviewRenders | undefined;
  /** A real frame at `name` in the scratch folder, with a made-up content hash. */
  const frame = (name: string, seed: number) => {
    const [written] = writeSyntheticNight(join(dir, `src-${seed}`), { count: 1, width: 64, height: 48, seed });
    const path = join(dir, name);
    writeFileSync(path, readFileSync(written!.path));
    return { id: seed, path, sha256: seed.toString(16).padStart(64, '0') };
  };
  const start = (options: Partial<Parameters<typeof createPreviewRenders>[0]> = {}) => {
    renders = createPreviewRenders({
      previewDir: join(dir, 'previews'),
      renders: 1,
      queue: 4,
      workerFile: GATE_WORKER,
      ...options,
    });
    return renders;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aims-renders-'));
  });
  afterEach(async () => {
    await renders?.close();
    renders = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a preview once for concurrent requests, and only the size and format asked for', async () => {
    const r = start({ renders: 2 });
    const image = frame('gated.fits', 1);
    const thumb = r.render(image, 'thumb');
    const again = r.render(image, 'thumb');
    const medium = r.render(image, 'medium', undefined, 'webp');
    await until(() => r.stats().waiting === 3 && r.stats().running === 2, 'three waiting on two renders');
    writeFileSync(`${image.path}.go`, '');
    const [thumbPath, againPath, mediumPath] = await Promise.all([thumb, again, medium]);
    expect(thumbPath).toMatch(/-thumb\.png$/);
    expect(againPath).toBe(thumbPath);
    expect(mediumPath).toMatch(/-medium\.webp$/);
    expect((await sharp(thumbPath!).metadata()).width).toBe(64);
    expect((await sharp(mediumPath!).metadata()).format).toBe('webp');
    expect(existsSync(thumbPath!.replace(/png$/, 'webp'))).toBe(false);
    expect(existsSync(mediumPath!.replace(/webp$/, 'png'))).toBe(false);
    expect(r.stats()).toMatchObject({ started: 2, abandoned: 0, inFlight: 0, queued: 0, running: 0 });
  });

  it('drops a queued render and stops a running one when nobody waits any more', async () => {
    const r = start();
    const stuck = new AbortController();
    const queued = new AbortController();
    const running = r.render(frame('stuck.fits', 2), 'thumb', stuck.signal);
    await until(() => r.stats().running === 1, 'the stuck render running');
    const waiting = r.render(frame('other.fits', 3), 'thumb', queued.signal);
    await until(() => r.stats().queued === 1, 'the second render queued');

    queued.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(r.stats()).toMatchObject({ abandoned: 1, queued: 0, running: 1 });

    stuck.abort(new Error('client left'));
    await expect(running).rejects.toThrow('client left');
    await until(() => r.stats().running === 0, 'the stuck render stopped');
    expect(r.stats()).toMatchObject({ abandoned: 2, inFlight: 0 });
    // The one thread was stopped and replaced: the next render is done.
    expect(await r.render(frame('after.fits', 4), 'thumb')).toMatch(/-thumb\.png$/);
  });

  it('keeps a render going while one of its askers still waits', async () => {
    const r = start();
    const image = frame('gated-shared.fits', 5);
    const leaving = new AbortController();
    const first = r.render(image, 'thumb', leaving.signal);
    const second = r.render(image, 'thumb');
    await until(() => r.stats().waiting === 2, 'two askers');
    leaving.abort(new Error('client left'));
    await expect(first).rejects.toThrow('client left');
    expect(r.stats()).toMatchObject({ abandoned: 0, inFlight: 1, waiting: 1 });
    writeFileSync(`${image.path}.go`, '');
    expect(await second).toMatch(/-thumb\.png$/);
  });

  it('answers busy, with a time to retry, beyond the cap and its queue', async () => {
    const r = start({ queue: 1 });
    const running = r.render(frame('stuck-a.fits', 6), 'thumb');
    await until(() => r.stats().running === 1, 'one running');
    const queued = r.render(frame('stuck-b.fits', 7), 'thumb');
    await until(() => r.stats().queued === 1, 'one queued');
    const refused = await r.render(frame('third.fits', 8), 'thumb').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CatalogError);
    expect(refused).toMatchObject({ code: 'CATALOG_BUSY', retryAfterSeconds: 5 });
    expect(r.stats().started).toBe(2);

    // Closing does not wait for them: both askers are told the server is going away.
    await r.close();
    for (const asked of [running, queued])
      await expect(asked).rejects.toMatchObject({ code: 'CATALOG_BUSY', message: 'the server is shutting down' });
  });

  it('stops a render over the file time budget', async () => {
    const r = start({ timeBudgetMs: 300 });
    await expect(r.render(frame('stuck.fits', 9), 'thumb')).rejects.toBeInstanceOf(TimeBudgetExceeded);
    expect(await r.render(frame('next.fits', 10), 'thumb')).toMatch(/-thumb\.png$/);
  });

  it('keeps the inflate ratio budget in the thread', async () => {
    const r = start({ maxInflateRatio: 100 });
    const header = [
      'SIMPLE  =                    T',
      'BITPIX  =                   16',
      'NAXIS   =                    2',
    ]
      .concat(['NAXIS1  =                 8192', 'NAXIS2  =                 4096', 'END'])
      .map((card) => card.padEnd(80))
      .join('')
      .padEnd(2880, ' ');
    const path = join(dir, 'bomb.fits.gz');
    writeFileSync(path, gzipSync(Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(8192 * 4096 * 2)])));
    await expect(r.render({ id: 11, path, sha256: 'ee'.repeat(32) }, 'thumb')).rejects.toThrow(
      /100× its compressed size/,
    );
  });
});
