/**
 * OpenID Connect sign-in end to end: a real provider (oidc-provider) on 127.0.0.1, AIMS doing the
 * authorization code flow with PKCE, and a scripted browser going through the provider's own login
 * and consent pages (fetch and form posts, cookies kept by hand). Nothing is mocked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestApi, type TestApi } from './support/http-app.js';

const CLIENT_ID = 'aims-test';
const CLIENT_SECRET = 'aims-test-client-secret-0123456789';
const REDIRECT = 'http://aims.test/api/auth/oidc/callback';

/** A browser's cookie jar, for one origin. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function startProvider(): Promise<{ issuer: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test', alg: 'RS256', use: 'sig' }] },
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The login page accepts any login name; it becomes the account id, and its e-mail follows.
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        email: `${id}@observatory.example`,
        email_verified: id !== 'unverified',
        name: `Observer ${id}`,
      }),
    }),
    cookies: { keys: ['provider-cookie-key-for-tests'] },
  });
  server.on('request', provider.callback());
  return { issuer, server };
}

/** Follows the provider's redirects and pages like a browser until it is sent back to AIMS. */
async function signInAtProvider(authorizeUrl: string, login: string): Promise<URL> {
  const jar = new Jar();
  let url = authorizeUrl;
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    jar.take(res.headers);
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT)) return next;
      [url, method, body] = [next.href, 'GET', undefined];
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
    if (!form?.[1]) throw new Error(`no form on the provider page: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      fields.set(m[1]!, m[2]!);
    if (/name="login"/.test(html)) {
      fields.set('login', login);
      fields.set('password', 'any password');
    }
    [url, method, body] = [new URL(form[1].replace(/&amp;/g, '&'), url).href, 'POST', fields];
  }
  throw new Error('too many steps at the provider');
}

for (const dialect of DIALECTS)
  describe(`OpenID Connect sign-in against oidc-provider (${dialect})`, () => {
    let provider: { issuer: string; server: Server };
    let t: TestApi;
    beforeAll(async () => {
      provider = await startProvider();
      t = await startTestApi(dialect, {
        env: {
          AIMS_OIDC_ISSUER: provider.issuer,
          AIMS_OIDC_CLIENT_ID: CLIENT_ID,
          AIMS_OIDC_CLIENT_SECRET: CLIENT_SECRET,
          AIMS_OIDC_REDIRECT_URL: REDIRECT,
        },
      });
    });
    afterAll(async () => {
      await t.close();
      await new Promise((resolve) => provider.server.close(resolve));
    });

    /** AIMS's /login: where it sends the browser, and the state cookie it sets. */
    async function start(returnTo = '/nights') {
      const res = await t.app.inject({ url: `/api/auth/oidc/login?return_to=${encodeURIComponent(returnTo)}` });
      expect(res.statusCode).toBe(302);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
      return { location: String(res.headers.location), cookie };
    }

    it('signs a new observer in through the provider pages, with PKCE, and starts a session', async () => {
      const { location, cookie } = await start();
      const authorize = new URL(location);
      expect(authorize.origin).toBe(provider.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(authorize.searchParams.get('state')).toBeTruthy();
      expect(authorize.searchParams.get('nonce')).toBeTruthy();

      const back = await signInAtProvider(location, 'vega');
      expect(back.searchParams.get('code')).toBeTruthy();
      const callback = await t.app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie } });
      expect(callback.statusCode).toBe(302);
      expect(callback.headers.location).toBe('/nights');
      const session = String(callback.headers['set-cookie']).match(/aims_session=([^;]+)/)?.[1];
      expect(session).toBeTruthy();
      const me = await t.app.inject({ url: '/api/user/me', headers: { cookie: `aims_session=${session}` } });
      expect(me.json()).toMatchObject({
        email: 'vega@observatory.example',
        display_name: 'Observer vega',
        oidc_linked: true,
        role: 'user',
      });

      // The same identity again: the same account.
      const again = await start('/');
      const back2 = await signInAtProvider(again.location, 'vega');
      const second = await t.app.inject({ url: `${back2.pathname}${back2.search}`, headers: { cookie: again.cookie } });
      expect(second.statusCode).toBe(302);
      const users = (await t.as('admin', { url: '/api/admin/users' })).json().items;
      expect(users.filter((u: { email: string }) => u.email === 'vega@observatory.example')).toHaveLength(1);
    });

    it('refuses a callback without the state cookie, with a forged state, or an unverified e-mail', async () => {
      const { location, cookie } = await start();
      const back = await signInAtProvider(location, 'altair');
      const noCookie = await t.app.inject({ url: `${back.pathname}${back.search}` });
      expect(noCookie.statusCode).toBe(401);
      const forged = new URL(back);
      forged.searchParams.set('state', 'forged-state');
      const wrongState = await t.app.inject({ url: `${forged.pathname}${forged.search}`, headers: { cookie } });
      expect(wrongState.statusCode).toBe(401);
      const tampered = await t.app.inject({
        url: `${back.pathname}${back.search}`,
        headers: { cookie: cookie.replace(/=(.)/, '=x$1') },
      });
      expect(tampered.statusCode).toBe(401);

      const other = await start();
      const unverified = await signInAtProvider(other.location, 'unverified');
      const res = await t.app.inject({
        url: `${unverified.pathname}${unverified.search}`,
        headers: { cookie: other.cookie },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/not verified/);
    });

    it('never redirects off-site after sign-in, nor fails after issuing the session', async () => {
      // A tab is dropped by browsers (`//evil.example`); CR LF cannot go into a Location header.
      for (const returnTo of ['//evil.example/phish', '/\t/evil.example/', '/\\evil.example', '/\r\n/x']) {
        const { location, cookie } = await start(returnTo);
        const back = await signInAtProvider(location, 'deneb');
        const res = await t.app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie } });
        expect(res.statusCode, JSON.stringify(returnTo)).toBe(302);
        expect(res.headers.location).toBe('/');
        expect(String(res.headers['set-cookie'])).toMatch(/aims_session=[^;]+/);
      }
    });
  });
