import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { JWT_SECRET, login, PASSWORD, startTestApi, type TestApi } from './support/http-app.js';

const GOOGLE_CLIENT_ID = 'aims-test.apps.googleusercontent.com';

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return list.find((c) => c.startsWith(`${name}=`));
}

for (const dialect of DIALECTS)
  describe(`auth (${dialect})`, () => {
    describe('with an empty catalog (open sign-up)', () => {
      let t: TestApi;
      beforeAll(async () => {
        t = await startTestApi(dialect, { personas: false, deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } } });
      });
      afterAll(() => t.close());

      it('makes the first sign-up an admin and returns a session', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: 'First@Example.org', password: PASSWORD },
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        expect(body.token_type).toBe('bearer');
        expect(body.user).toMatchObject({ email: 'first@example.org', role: 'admin', can_download: true });
        expect(body.user.password_hash).toBeUndefined();
        const cookie = cookieOf(res, 'aims_session');
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        const me = await t.app.inject({
          url: '/api/user/me',
          headers: { authorization: `Bearer ${body.access_token}` },
        });
        expect(me.json().email).toBe('first@example.org');
      });

      it('refuses short passwords and bad addresses naming the field, duplicates with 409', async () => {
        const short = await t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: 'x@example.org', password: 'short' },
        });
        expect(short.statusCode).toBe(400);
        expect(short.json()).toEqual({
          error: 'Bad Request',
          message: 'password must be at least 10 characters',
          parameter: 'password',
        });
        const bad = await t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: 'not-an-address', password: PASSWORD },
        });
        expect(bad.json().parameter).toBe('email');
        const dup = await t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: 'FIRST@example.org', password: PASSWORD },
        });
        expect(dup.statusCode).toBe(409);
      });

      it('rate-limits login attempts per address', async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: 'first@example.org', password: 'wrong password!' },
            remoteAddress: '10.9.9.9',
          });
          statuses.push(res.statusCode);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        const other = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'first@example.org', password: PASSWORD },
          remoteAddress: '10.9.9.10',
        });
        expect(other.statusCode).toBe(200);
      });
    });

    describe('sign-up policies', () => {
      it('approval: later accounts wait inactive until an admin activates them', async () => {
        const t = await startTestApi(dialect, { env: { AIMS_SIGNUP: 'approval' } });
        try {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { email: 'newbie@example.org', password: PASSWORD },
          });
          expect(res.statusCode).toBe(202);
          expect(res.json()).toMatchObject({ status: 'pending_approval' });
          const listed = (await t.as('admin', { url: '/api/admin/users' })).json().items;
          const newbie = listed.find((u: { email: string }) => u.email === 'newbie@example.org');
          expect(newbie).toMatchObject({ is_active: false });
          const early = await t.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: 'newbie@example.org', password: PASSWORD },
          });
          expect(early.statusCode).toBe(403);
          const activate = await t.as('admin', {
            method: 'PUT',
            url: `/api/admin/users/${newbie.id}`,
            payload: { is_active: true },
          });
          expect(activate.statusCode).toBe(200);
          expect(await login(t.app, 'newbie@example.org')).toMatch(/^ey/);
        } finally {
          await t.close();
        }
      });

      it('approval: a taken address gets the answer a new one gets, and its account is untouched', async () => {
        const t = await startTestApi(dialect, {
          env: { AIMS_SIGNUP: 'approval' },
          deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } },
        });
        try {
          const signup = (email: string, remoteAddress: string) =>
            t.app.inject({
              method: 'POST',
              url: '/api/auth/signup',
              payload: { email, password: 'another long password', display_name: 'Probe' },
              remoteAddress,
            });
          const fresh = await signup('unknown@example.org', '10.3.0.1');
          const taken = await signup('user@example.org', '10.3.0.2');
          const takenInactive = await signup('DEACTIVATED@example.org', '10.3.0.3');
          for (const res of [fresh, taken, takenInactive]) {
            expect(res.statusCode).toBe(202);
            expect(res.body).toBe(fresh.body);
            expect(res.headers['set-cookie']).toBeUndefined();
          }
          expect(fresh.json()).toEqual({ status: 'pending_approval', message: expect.stringMatching(/sign in/) });
          // Nothing changed for the existing accounts: same password, same state.
          expect(await login(t.app, 'user@example.org')).toMatch(/^ey/);
          const users = (await t.as('admin', { url: '/api/admin/users' })).json().items;
          expect(users.find((u: { email: string }) => u.email === 'user@example.org')).toMatchObject({
            is_active: true,
            display_name: null,
          });
          expect(users.find((u: { email: string }) => u.email === 'deactivated@example.org').is_active).toBe(false);
          // Probing many addresses from one client runs into the sign-up rate limit.
          const statuses: number[] = [];
          for (let i = 0; i < 6; i++) statuses.push((await signup(`probe${i}@example.org`, '10.3.0.9')).statusCode);
          expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
        } finally {
          await t.close();
        }
      });

      it('open: a taken address is a 409 that says to sign in, counted by the rate limit', async () => {
        const t = await startTestApi(dialect, { deps: { rateLimit: { max: 5, timeWindowMs: 60_000 } } });
        try {
          const statuses: number[] = [];
          let first: { json(): { message: string } } | undefined;
          for (let i = 0; i < 6; i++) {
            const res = await t.app.inject({
              method: 'POST',
              url: '/api/auth/signup',
              payload: { email: 'user@example.org', password: PASSWORD },
              remoteAddress: '10.4.0.1',
            });
            first ??= res;
            statuses.push(res.statusCode);
          }
          expect(statuses).toEqual([409, 409, 409, 409, 409, 429]);
          expect(first?.json().message).toMatch(/has an account already: sign in/);
        } finally {
          await t.close();
        }
      });

      it('closed and domain allow-list refuse with 403', async () => {
        const closed = await startTestApi(dialect, { env: { AIMS_SIGNUP: 'closed' }, personas: false });
        const domains = await startTestApi(dialect, { env: { AIMS_ALLOWED_DOMAINS: 'obs.example' }, personas: false });
        try {
          const payload = { email: 'someone@elsewhere.org', password: PASSWORD };
          const a = await closed.app.inject({ method: 'POST', url: '/api/auth/signup', payload });
          expect(a.statusCode).toBe(403);
          const b = await domains.app.inject({ method: 'POST', url: '/api/auth/signup', payload });
          expect(b.statusCode).toBe(403);
          expect(b.json().message).toMatch(/obs\.example/);
          const c = await domains.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { email: 'someone@OBS.example', password: PASSWORD },
          });
          expect(c.statusCode).toBe(201);
        } finally {
          await closed.close();
          await domains.close();
        }
      });
    });

    describe('sessions, tokens and changes that apply at once', () => {
      let t: TestApi;
      beforeAll(async () => {
        t = await startTestApi(dialect);
      });
      afterAll(() => t.close());

      it('answers a wrong password and an unknown address alike', async () => {
        const wrong = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: 'not the password' },
        });
        const unknown = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'nobody@example.org', password: 'not the password' },
        });
        expect(wrong.statusCode).toBe(401);
        expect(unknown.statusCode).toBe(401);
        expect(unknown.json()).toEqual(wrong.json());
      });

      it('rejects forged, expired and malformed bearer tokens', async () => {
        const forged = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(String(t.ids.admin))
          .setIssuer('aims')
          .setAudience('aims-api')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
        const expired = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(String(t.ids.admin))
          .setIssuer('aims')
          .setAudience('aims-api')
          .setIssuedAt(1_000_000)
          .setExpirationTime(1_000_100)
          .sign(new TextEncoder().encode(JWT_SECRET));
        for (const authorization of [
          `Bearer ${forged}`,
          `Bearer ${expired}`,
          'Basic YTpi',
          'Bearer',
          'Bearer aims_nope',
        ])
          expect((await t.app.inject({ url: '/api/user/me', headers: { authorization } })).statusCode).toBe(401);
      });

      it('applies a role change and a deactivation to tokens issued before', async () => {
        const token = await login(t.app, 'user@example.org');
        const asUser = { authorization: `Bearer ${token}` };
        expect((await t.app.inject({ url: '/api/admin/users', headers: asUser })).statusCode).toBe(403);
        await t.as('admin', { method: 'PUT', url: `/api/admin/users/${t.ids.user}`, payload: { role: 'admin' } });
        expect((await t.app.inject({ url: '/api/admin/users', headers: asUser })).statusCode).toBe(200);
        await t.as('admin', {
          method: 'PUT',
          url: `/api/admin/users/${t.ids.user}`,
          payload: { role: 'user', is_active: false },
        });
        const refused = await t.app.inject({ url: '/api/user/me', headers: asUser });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().message).toMatch(/deactivated/);
        await t.as('admin', { method: 'PUT', url: `/api/admin/users/${t.ids.user}`, payload: { is_active: true } });
        expect((await t.app.inject({ url: '/api/user/me', headers: asUser })).statusCode).toBe(200);
        const log = await t.as('admin', { url: '/api/admin/audit?action=user.update' });
        expect(log.json().items[0]).toMatchObject({
          action: 'user.update',
          actor_email: 'admin@example.org',
          target: `user:${t.ids.user}`,
          details: { changes: { is_active: { from: false, to: true } } },
        });
      });

      it('creates, uses, lists and revokes API tokens, storing only a hash', async () => {
        const created = await t.as('user', { method: 'POST', url: '/api/user/tokens', payload: { name: 'pipeline' } });
        expect(created.statusCode).toBe(201);
        const { token, id } = created.json();
        expect(token).toMatch(/^aims_[A-Za-z0-9_-]{43}$/);
        const me = await t.app.inject({ url: '/api/user/me', headers: { authorization: `Bearer ${token}` } });
        expect(me.json().email).toBe('user@example.org');
        const stored = await t.database.db.selectFrom('api_tokens').selectAll().execute();
        expect(JSON.stringify(stored)).not.toContain(token);
        const list = await t.as('user', { url: '/api/user/tokens' });
        expect(list.json().items).toEqual([expect.objectContaining({ id, name: 'pipeline' })]);
        expect(list.body).not.toContain(token);
        // Someone else's token cannot be revoked by id.
        expect((await t.as('downloader', { method: 'DELETE', url: `/api/user/tokens/${id}` })).statusCode).toBe(404);
        expect((await t.as('user', { method: 'DELETE', url: `/api/user/tokens/${id}` })).statusCode).toBe(204);
        const after = await t.app.inject({ url: '/api/user/me', headers: { authorization: `Bearer ${token}` } });
        expect(after.statusCode).toBe(401);
      });

      it('refuses cross-site unsafe requests that ride on the session cookie', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: PASSWORD },
        });
        const cookie = cookieOf(res, 'aims_session')!.split(';')[0]!;
        const base = { method: 'POST' as const, url: '/api/user/tokens', payload: { name: 'c' } };
        const crossSite = await t.app.inject({ ...base, headers: { cookie, origin: 'https://evil.example' } });
        expect(crossSite.statusCode).toBe(403);
        const bare = await t.app.inject({ ...base, headers: { cookie } });
        expect(bare.statusCode).toBe(403);
        const sameOrigin = await t.app.inject({
          ...base,
          headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
        });
        expect(sameOrigin.statusCode).toBe(201);
        const customHeader = await t.app.inject({ ...base, headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });
        expect(customHeader.statusCode).toBe(201);
        // Reads with the cookie need nothing more.
        expect((await t.app.inject({ url: '/api/user/me', headers: { cookie } })).statusCode).toBe(200);
        const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
        expect(out.statusCode).toBe(204);
        expect(cookieOf(out, 'aims_session')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
      });

      it('compares scheme, host and port of the Origin, not the host alone', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'user@example.org', password: PASSWORD },
        });
        const cookie = cookieOf(res, 'aims_session')!.split(';')[0]!;
        const post = (origin: string, host: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/user/tokens',
            payload: { name: 'o' },
            headers: { cookie, origin, host },
          });
        // Served over plain HTTP: an https page of the same host is another origin.
        const otherScheme = await post('https://aims.example', 'aims.example');
        expect(otherScheme.statusCode).toBe(403);
        expect(otherScheme.json().message).toMatch(
          /https:\/\/aims\.example is not http:\/\/aims\.example.*AIMS_TRUST_PROXY/,
        );
        expect((await post('http://aims.example:8081', 'aims.example')).statusCode).toBe(403);
        expect((await post('http://aims.example', 'aims.example:8081')).statusCode).toBe(403);
        expect((await post('http://other.example', 'aims.example')).statusCode).toBe(403);
        expect((await post('null', 'aims.example')).statusCode).toBe(403);
        expect((await post('http://aims.example', 'aims.example')).statusCode).toBe(201);
        expect((await post('http://aims.example:8081', 'aims.example:8081')).statusCode).toBe(201);
        expect((await post('http://aims.example', 'aims.example:80')).statusCode).toBe(201);
      });

      it('sends security headers, a request id, and no CORS header', async () => {
        const res = await t.app.inject({
          url: '/api/health',
          headers: { origin: 'https://elsewhere.example', 'x-request-id': 'abc-123' },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-request-id']).toBe('abc-123');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.json()).toMatchObject({ status: 'ok', database: { ok: true, dialect } });
      });
    });

    describe("Google Sign-In (keys of a local JWKS standing in for Google's)", () => {
      let t: TestApi;
      let sign: (
        claims: Record<string, unknown>,
        options?: { aud?: string; iss?: string; exp?: number },
      ) => Promise<string>;
      beforeAll(async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256');
        const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
        const keys = createLocalJWKSet({ keys: [jwk] });
        t = await startTestApi(dialect, { env: { GOOGLE_CLIENT_ID }, deps: { googleKeys: keys } });
        sign = (claims, o = {}) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
            .setIssuer(o.iss ?? 'https://accounts.google.com')
            .setAudience(o.aud ?? GOOGLE_CLIENT_ID)
            .setIssuedAt()
            .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 600)
            .sign(privateKey);
      });
      afterAll(() => t.close());

      const google = (token: string) => t.app.inject({ method: 'POST', url: '/api/auth/google', payload: { token } });

      it('creates an account for a verified Google address, then signs the same account in', async () => {
        const token = await sign({ sub: 'g-1', email: 'Star@Gmail.com', email_verified: true, name: 'Star Gazer' });
        const first = await google(token);
        expect(first.statusCode).toBe(200);
        expect(first.json().user).toMatchObject({ email: 'star@gmail.com', google_linked: true, role: 'user' });
        const again = await google(await sign({ sub: 'g-1', email: 'star@gmail.com', email_verified: true }));
        expect(again.json().user.id).toBe(first.json().user.id);
      });

      it('links a Google identity to an existing account with the same address', async () => {
        const res = await google(await sign({ sub: 'g-2', email: 'user@example.org', email_verified: true }));
        expect(res.json().user).toMatchObject({ id: t.ids.user, google_linked: true });
      });

      it('refuses wrong audience, wrong issuer, expiry, unverified e-mail, other keys', async () => {
        const other = await generateKeyPair('RS256');
        const foreign = await new SignJWT({ sub: 'g-3', email: 'x@gmail.com', email_verified: true })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setIssuer('https://accounts.google.com')
          .setAudience(GOOGLE_CLIENT_ID)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(other.privateKey);
        const cases = [
          await sign({ sub: 'g-3', email: 'x@gmail.com', email_verified: true }, { aud: 'someone-else' }),
          await sign({ sub: 'g-3', email: 'x@gmail.com', email_verified: true }, { iss: 'https://evil.example' }),
          await sign(
            { sub: 'g-3', email: 'x@gmail.com', email_verified: true },
            { exp: Math.floor(Date.now() / 1000) - 3600 },
          ),
          await sign({ sub: 'g-3', email: 'x@gmail.com', email_verified: false }),
          foreign,
        ];
        for (const token of cases) expect((await google(token)).statusCode).toBe(401);
        expect((await google('short')).statusCode).toBe(400);
      });

      it('refuses a Google account whose local account is deactivated', async () => {
        const res = await google(await sign({ sub: 'g-9', email: 'deactivated@example.org', email_verified: true }));
        expect(res.statusCode).toBe(403);
      });
    });
  });
