import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionTokens } from '../../src/auth/session-token.js';
import { DIALECTS } from '../support/databases.js';
import { JWT_SECRET, PASSWORD, startTestApi, type TestApi } from './support/http-app.js';

const DAY_MS = 86_400_000;

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  return all.find((c: string) => c.startsWith('aims_session='));
}

for (const dialect of DIALECTS)
  describe(`server-side sessions (${dialect})`, () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi(dialect, { env: { AIMS_SESSION_MAX_DAYS: '3' } });
    });
    afterAll(() => t.close());

    async function signIn() {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'user@example.org', password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const token: string = res.json().access_token;
      const cookie = sessionCookie(res)!.split(';')[0]!;
      return { token, cookie, sid: String(decodeJwt(token).sid) };
    }
    const me = (headers: Record<string, string>) => t.app.inject({ url: '/api/user/me', headers });

    it('ends the session on sign-out: the same bearer JWT and cookie get 401', async () => {
      const { token, cookie } = await signIn();
      const other = await signIn();
      expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
      expect((await me({ cookie })).statusCode).toBe(200);

      const out = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(out.statusCode).toBe(204);
      expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
      // The cookie carries the same session.
      const viaCookie = await me({ cookie });
      expect(viaCookie.statusCode).toBe(401);
      expect(sessionCookie(viaCookie)).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
      // Another sign-in of the same account is a session of its own.
      expect((await me({ authorization: `Bearer ${other.token}` })).statusCode).toBe(200);
    });

    it('ends the session when signing out with the cookie alone', async () => {
      const { token, cookie } = await signIn();
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect(out.statusCode).toBe(204);
      expect((await me({ cookie })).statusCode).toBe(401);
      expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
    });

    it('keeps API tokens working after the session that created them signed out', async () => {
      const { token } = await signIn();
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/user/tokens',
        payload: { name: 'after-logout' },
        headers: { authorization: `Bearer ${token}` },
      });
      expect(created.statusCode).toBe(201);
      const apiToken: string = created.json().token;
      await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
      expect((await me({ authorization: `Bearer ${apiToken}` })).statusCode).toBe(200);
    });

    it('refuses a validly signed JWT that names no session', async () => {
      const tokens = new SessionTokens(JWT_SECRET);
      const unknown = await tokens.sign(t.ids.user, 'no-such-session');
      expect((await me({ authorization: `Bearer ${unknown}` })).statusCode).toBe(401);
      // A session of another account does not lend itself to this one.
      const { sid } = await signIn();
      const borrowed = await tokens.sign(t.ids.admin, sid);
      expect((await me({ authorization: `Bearer ${borrowed}` })).statusCode).toBe(401);
    });

    it('ends a session AIMS_SESSION_MAX_DAYS after sign-in, even when its cookie was renewed', async () => {
      const before = Date.now();
      const { sid } = await signIn();
      const row = await t.database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', sid)
        .executeTakeFirstOrThrow();
      expect(Number(row.user_id)).toBe(t.ids.user);
      expect(Number(row.expires_at) - Number(row.created_at)).toBe(3 * DAY_MS);
      expect(Number(row.created_at)).toBeGreaterThanOrEqual(before);

      // A cookie old enough to be renewed: the renewal keeps the session and so its end.
      const tokens = new SessionTokens(JWT_SECRET);
      const old = await tokens.sign(t.ids.user, sid, Math.floor(Date.now() / 1000) - 45 * 60);
      const renewedRes = await me({ cookie: `aims_session=${old}` });
      expect(renewedRes.statusCode).toBe(200);
      const renewed = sessionCookie(renewedRes)!.split(';')[0]!;
      const renewedToken = renewed.slice('aims_session='.length);
      expect(renewedToken).not.toBe(old);
      expect(decodeJwt(renewedToken).sid).toBe(sid);

      // The absolute end arrives (moved into the past rather than waited for).
      await t.database.db
        .updateTable('sessions')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', sid)
        .execute();
      expect((await me({ cookie: renewed })).statusCode).toBe(401);
      expect((await me({ authorization: `Bearer ${renewedToken}` })).statusCode).toBe(401);
    });
  });
