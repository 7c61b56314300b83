import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateUser } from '../../src/db/users.repository.js';
import { EventBus } from '../../src/util/events.js';
import { DIALECTS } from '../support/databases.js';
import { login, startTestApi, type TestApi } from './support/http-app.js';

for (const dialect of DIALECTS)
  describe(`server-sent events over a real port (${dialect})`, () => {
    let t: TestApi;
    let base: string;
    const events = new EventBus();
    beforeAll(async () => {
      t = await startTestApi(dialect, {
        deps: {
          events,
          ingest: { queue: () => ({ pending: 7, active: 1 }), watcherState: () => 'watching', rescan: async () => {} },
          streamRecheckMs: 50,
        },
      });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    afterAll(() => t.close());

    it('refuses anonymous and deactivated callers', async () => {
      expect((await fetch(`${base}/api/events`)).status).toBe(401);
      const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${t.tokens.deactivated}` } });
      expect(res.status).toBe(403);
    });

    it('streams the queue state, then every event published on the bus, until the client leaves', async () => {
      const abort = new AbortController();
      const res = await fetch(`${base}/api/events`, {
        headers: { authorization: `Bearer ${t.tokens.user}` },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil('event: watcher.state');
      expect(text).toContain('event: queue.depth\ndata: {"pending":7,"active":1}\n\n');
      expect(events.listenerCount()).toBe(1);
      events.publish('image.ingested', { image_id: 42, file_path: '/data/a.fits', duplicate: false });
      events.publish('ingest.failed', { file_path: '/data/b.fits', state: 'rejected', reason: 'not a FITS file' });
      events.publish('watcher.state', { state: 'polling' });
      await readUntil('"polling"');
      expect(text).toMatch(
        /id: 3\nevent: image\.ingested\ndata: \{"image_id":42,"file_path":"\/data\/a\.fits","duplicate":false\}\n\n/,
      );
      // Failures name paths and reasons: administrators only.
      expect(text).not.toContain('ingest.failed');
      expect(text).toContain('id: 4\nevent: watcher.state');
      abort.abort();
      await reader.cancel().catch(() => undefined);
      for (let i = 0; i < 50 && events.listenerCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.listenerCount()).toBe(0);
    });

    it('sends failures to administrators', async () => {
      const abort = new AbortController();
      const res = await fetch(`${base}/api/events`, {
        headers: { authorization: `Bearer ${t.tokens.admin}` },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: watcher.state')) text += decoder.decode((await reader.read()).value);
      events.publish('ingest.failed', { file_path: '/data/b.fits', state: 'rejected', reason: 'not a FITS file' });
      while (!text.includes('not a FITS file')) text += decoder.decode((await reader.read()).value);
      expect(text).toContain(
        'event: ingest.failed\ndata: {"file_path":"/data/b.fits","state":"rejected","reason":"not a FITS file"}',
      );
      abort.abort();
      await reader.cancel().catch(() => undefined);
    });

    /** Opens a stream with these headers and resolves once it has ended (or rejects after 3 s). */
    async function streamUntilEnd(headers: Record<string, string>, whileOpen: () => Promise<void>) {
      const res = await fetch(`${base}/api/events`, { headers });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: watcher.state')) text += decoder.decode((await reader.read()).value);
      await whileOpen();
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        void reader.cancel();
      }, 3000);
      for (;;) {
        const { done } = await reader.read().catch(() => ({ done: true }));
        if (done) break;
      }
      clearTimeout(deadline);
      return !timedOut;
    }

    it('ends an open stream when its session signs out', async () => {
      const token = await login(t.app, 'user@example.org');
      const listeners = events.listenerCount();
      let closedByServer = false;
      const ended = await streamUntilEnd({ authorization: `Bearer ${token}` }, async () => {
        const out = await fetch(`${base}/api/auth/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(out.status).toBe(204);
        closedByServer = true;
      });
      expect(closedByServer && ended).toBe(true);
      for (let i = 0; i < 50 && events.listenerCount() > listeners; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.listenerCount()).toBe(listeners);
    });

    it('ends an open stream when its account is deactivated, and keeps the others', async () => {
      const abort = new AbortController();
      const other = await fetch(`${base}/api/events`, {
        headers: { authorization: `Bearer ${t.tokens.user}` },
        signal: abort.signal,
      });
      expect(other.status).toBe(200);
      const ended = await streamUntilEnd({ authorization: `Bearer ${t.tokens.downloader}` }, async () => {
        await updateUser(t.database, t.ids.downloader, { isActive: false });
      });
      expect(ended).toBe(true);
      // The user's stream is still open: it has not ended after several re-checks.
      const reader = other.body!.getReader();
      await new Promise((r) => setTimeout(r, 300));
      events.publish('watcher.state', { state: 'polling' });
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('"polling"')) {
        const { value, done } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      abort.abort();
      await reader.cancel().catch(() => undefined);
    });
  });
