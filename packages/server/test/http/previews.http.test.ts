/**
 * GET /api/images/{id}/preview when the preview must be rendered: a full queue answers 503 with
 * Retry-After, a client that leaves stops its render, and closing the server does not wait for a
 * render that would never end. Real port, real worker threads; the test worker never ends a render
 * of a file named `stuck…` (support/preview-gate.worker.mjs).
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewRenders, type PreviewRenders } from '../../src/catalog/preview-renders.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS } from '../support/databases.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { makeImage } from '../support/images.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';
import { startTestApi, type TestApi } from './support/http-app.js';

const GATE_WORKER = join(REPO_ROOT, 'packages/server/test/support/preview-gate.worker.mjs');
/** `gated…` renders once `<path>.go` exists; `stuck…` never ends (support/preview-gate.worker.mjs). */
const NAMES = ['gated.fits', 'stuck-1.fits', 'stuck-2.fits', 'stuck-3.fits'];

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const dialect of DIALECTS)
  describe(`previews rendered on demand over HTTP (${dialect})`, () => {
    let t: TestApi;
    let renders: PreviewRenders;
    let base: string;
    let scratch: string;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      scratch = realpathSync(mkdtempSync(join(tmpdir(), 'aims-preview-http-')));
      const root = join(scratch, 'images');
      mkdirSync(root);
      const [frame] = writeSyntheticNight(join(scratch, 'src'), { count: 1, width: 64, height: 48, seed: 7 });
      for (const name of NAMES) writeFileSync(join(root, name), readFileSync(frame!.path));
      renders = createPreviewRenders({
        previewDir: join(scratch, 'previews'),
        renders: 1,
        queue: 0,
        workerFile: GATE_WORKER,
      });
      t = await startTestApi(dialect, {
        env: { AIMS_IMAGE_DIR: root, AIMS_PREVIEW_DIR: join(scratch, 'previews') },
        deps: { previews: renders },
      });
      for (const [i, name] of NAMES.entries())
        ids[name] = (
          await insertImage(t.database, makeImage({ root, rel_path: name, sha256: `${i + 1}`.repeat(64) }))
        ).id;
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await t.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    const preview = (name: string, signal?: AbortSignal) =>
      fetch(`${base}/api/images/${ids[name]}/preview`, {
        headers: { authorization: `Bearer ${t.tokens.user}` },
        ...(signal ? { signal } : {}),
      });

    it('renders once for two concurrent requests of one image, and answers both', async () => {
      const both = [preview('gated.fits'), preview('gated.fits')];
      await until(() => renders.stats().waiting === 2, 'both requests waiting on one render');
      writeFileSync(join(scratch, 'images', 'gated.fits.go'), '');
      const answers = await Promise.all(both);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const [first, second] = await Promise.all(answers.map(async (a) => Buffer.from(await a.arrayBuffer())));
      expect(first!.equals(second!)).toBe(true);
      expect(renders.stats()).toMatchObject({ started: 1, inFlight: 0 });
    });

    it('answers 503 with Retry-After when every render slot is taken, and stops a render its client left', async () => {
      const leaving = new AbortController();
      const first = preview('stuck-1.fits', leaving.signal).catch(() => null);
      await until(() => renders.stats().running === 1, 'the first render running');
      const refused = await preview('stuck-2.fits');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ error: 'Service Unavailable' });

      leaving.abort();
      await first;
      await until(() => renders.stats().running === 0, 'the render stopped');
      expect(renders.stats()).toMatchObject({ started: 2, abandoned: 1, inFlight: 0 });
    });

    it('closes without waiting for a render that never ends', async () => {
      const pending = preview('stuck-3.fits');
      await until(() => renders.stats().running === 1, 'a render running');
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        t.app.close().then(() => 'closed'),
        new Promise((r) => {
          timer = setTimeout(() => r('still waiting after 20 s'), 20_000);
        }),
      ]);
      clearTimeout(timer);
      expect(closed).toBe('closed');
      const res = await pending;
      expect(res.status).toBe(503);
      expect(renders.stats()).toMatchObject({ inFlight: 0, running: 0 });
    });
  });
