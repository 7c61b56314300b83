/**
 * Reverse-proxy trust: only the configured proxies may speak for the client in X-Forwarded-For,
 * so a client cannot write its own address to walk past the sign-in rate limit or to put another
 * address in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { PASSWORD, startTestApi, type TestApi } from './support/http-app.js';

const CLIENT = '203.0.113.5';

/** Six wrong passwords, each claiming another client address in front of what the proxy saw. */
async function spoofedLogins(t: TestApi, proxySees: string, proxyAddress: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'user@example.org', password: 'wrong password!' },
      remoteAddress: proxyAddress,
      // What the client sent, then what the proxy appended.
      headers: { 'x-forwarded-for': `198.51.100.${i + 1}, ${proxySees}` },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

async function lastAuditIp(t: TestApi, action: string): Promise<string | null> {
  const res = await t.as('admin', { url: `/api/admin/audit?action=${action}&limit=1` });
  expect(res.statusCode).toBe(200);
  return res.json().items[0]?.ip ?? null;
}

for (const dialect of DIALECTS)
  describe(`reverse-proxy trust (${dialect})`, () => {
    describe('one proxy in front (AIMS_TRUST_PROXY=1)', () => {
      let t: TestApi;
      beforeAll(async () => {
        t = await startTestApi(dialect, {
          env: { AIMS_TRUST_PROXY: '1' },
          deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } },
        });
      });
      afterAll(() => t.close());

      it('rate-limits by the address the proxy saw, whatever the client wrote before it', async () => {
        expect(await spoofedLogins(t, CLIENT, '10.0.0.2')).toEqual([401, 401, 401, 401, 401, 429]);
        const someoneElse = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: PASSWORD },
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': '203.0.113.99' },
        });
        expect(someoneElse.statusCode).toBe(200);
      });

      it('writes the client address the proxy saw to the audit log', async () => {
        const res = await t.as('user', {
          method: 'POST',
          url: '/api/user/tokens',
          payload: { name: 'behind proxy' },
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': `192.0.2.66, ${CLIENT}` },
        });
        expect(res.statusCode).toBe(201);
        expect(await lastAuditIp(t, 'token.create')).toBe(CLIENT);
      });
      it('takes the scheme from a trusted proxy when it checks the Origin of a cookie request', async () => {
        const signIn = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: PASSWORD },
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': '203.0.113.77', 'x-forwarded-proto': 'https' },
        });
        expect(signIn.statusCode).toBe(200);
        expect(String(signIn.headers['set-cookie'])).toMatch(/Secure/);
        const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
        const post = (origin: string, remoteAddress: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/user/tokens',
            payload: { name: 'tls' },
            remoteAddress,
            headers: { cookie, origin, host: 'aims.example', 'x-forwarded-proto': 'https' },
          });
        expect((await post('https://aims.example', '10.0.0.2')).statusCode).toBe(201);
        expect((await post('http://aims.example', '10.0.0.2')).statusCode).toBe(403);
      });
    });

    describe('listed proxies (AIMS_TRUST_PROXY=10.0.0.0/8)', () => {
      let t: TestApi;
      beforeAll(async () => {
        t = await startTestApi(dialect, {
          env: { AIMS_TRUST_PROXY: '10.0.0.0/8' },
          deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } },
        });
      });
      afterAll(() => t.close());

      it('takes the first address that is not a listed proxy', async () => {
        expect(await spoofedLogins(t, `${CLIENT}, 10.1.2.3`, '10.0.0.2')).toEqual([401, 401, 401, 401, 401, 429]);
      });

      it('ignores X-Forwarded-For from anyone who is not a listed proxy', async () => {
        const res = await t.as('user', {
          method: 'POST',
          url: '/api/user/tokens',
          payload: { name: 'direct' },
          remoteAddress: '192.0.2.10',
          headers: { 'x-forwarded-for': '192.0.2.66' },
        });
        expect(res.statusCode).toBe(201);
        expect(await lastAuditIp(t, 'token.create')).toBe('192.0.2.10');
      });
    });

    describe('no proxy trusted (the default)', () => {
      let t: TestApi;
      beforeAll(async () => {
        t = await startTestApi(dialect, { deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } } });
      });
      afterAll(() => t.close());

      it('rate-limits and audits the connecting address, never X-Forwarded-For', async () => {
        expect(await spoofedLogins(t, CLIENT, '10.0.0.7')).toEqual([401, 401, 401, 401, 401, 429]);
        const res = await t.as('user', {
          method: 'POST',
          url: '/api/user/tokens',
          payload: { name: 'no proxy' },
          remoteAddress: '10.0.0.8',
          headers: { 'x-forwarded-for': CLIENT },
        });
        expect(res.statusCode).toBe(201);
        expect(await lastAuditIp(t, 'token.create')).toBe('10.0.0.8');
      });

      it('ignores X-Forwarded-Proto: no Secure cookie, and an https Origin is another site', async () => {
        const signIn = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: PASSWORD },
          remoteAddress: '10.0.0.9',
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(signIn.statusCode).toBe(200);
        expect(String(signIn.headers['set-cookie'])).not.toMatch(/Secure/);
        const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/user/tokens',
          payload: { name: 'forged proto' },
          headers: { cookie, origin: 'https://aims.example', host: 'aims.example', 'x-forwarded-proto': 'https' },
        });
        expect(res.statusCode).toBe(403);
      });
    });
  });
