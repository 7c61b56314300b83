/**
 * Every route × every kind of caller, with the exact status each must get; then bad input for
 * every route that takes any. Runs on each dialect, and once more with AIMS_PUBLIC_READ=true.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SessionTokens } from '../../src/auth/session-token.js';
import { createSession } from '../../src/db/sessions.repository.js';
import { EventBus } from '../../src/util/events.js';
import { previewPath } from '../../src/util/preview-paths.js';
import { DIALECTS } from '../support/databases.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { type Catalog, REAL_FILES, seedCatalog } from './support/catalog.js';
import { JWT_SECRET, PERSONAS, type Persona, startTestApi, type TestApi } from './support/http-app.js';

/** New sessions for every persona (the deactivated one cannot sign in, so none goes through login). */
async function freshSessions(t: TestApi): Promise<void> {
  const sessions = new SessionTokens(JWT_SECRET);
  for (const persona of ['admin', 'user', 'downloader', 'deactivated'] as const) {
    const sid = await createSession(t.database, t.ids[persona], 3600);
    t.tokens[persona] = await sessions.sign(t.ids[persona], sid);
  }
}

type Statuses = [anonymous: number, user: number, downloader: number, admin: number, deactivated: number];
interface Row {
  name: string;
  request: (c: Catalog, t: TestApi) => InjectOptions;
  private: Statuses;
  /** With AIMS_PUBLIC_READ=true, when different. */
  publicRead?: Statuses;
  /** Ends the caller's session: the rows after it need fresh ones. */
  signsOut?: true;
}

const ALL = (s: number): Statuses => [s, s, s, s, s];
const READ: Statuses = [401, 200, 200, 200, 403];
const READ_PUBLIC: Statuses = [200, 200, 200, 200, 403];
const USER = (ok: number): Statuses => [401, ok, ok, ok, 403];
const DOWNLOAD: Statuses = [401, 403, 200, 200, 403];
const ADMIN = (ok: number): Statuses => [401, 403, 403, ok, 403];

const real = (c: Catalog) => c.ids[REAL_FILES[0]!]!;

const ROUTES: Row[] = [
  { name: 'GET /api/health', request: () => ({ url: '/api/health' }), private: ALL(200) },
  { name: 'GET /api/openapi.json', request: () => ({ url: '/api/openapi.json' }), private: ALL(200) },
  { name: 'GET /api/docs', request: () => ({ url: '/api/docs' }), private: ALL(200) },
  { name: 'GET /api/auth/config', request: () => ({ url: '/api/auth/config' }), private: ALL(200) },
  {
    name: 'POST /api/auth/login',
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'user@example.org', password: 'wrong-password' },
    }),
    private: ALL(401),
  },
  {
    name: 'POST /api/auth/signup',
    request: () => ({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'user@example.org', password: 'long enough password' },
    }),
    private: ALL(409),
  },
  {
    name: 'POST /api/auth/google (not configured)',
    request: () => ({ method: 'POST', url: '/api/auth/google', payload: { token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' } }),
    private: ALL(404),
  },
  {
    name: 'GET /api/auth/oidc/login (not configured)',
    request: () => ({ url: '/api/auth/oidc/login' }),
    private: ALL(404),
  },
  {
    name: 'GET /api/auth/oidc/callback (not configured)',
    request: () => ({ url: '/api/auth/oidc/callback?code=x&state=y' }),
    private: ALL(404),
  },
  {
    name: 'POST /api/auth/logout',
    request: () => ({ method: 'POST', url: '/api/auth/logout' }),
    private: ALL(204),
    signsOut: true,
  },
  { name: 'GET /api/user/me', request: () => ({ url: '/api/user/me' }), private: USER(200) },
  { name: 'GET /api/user/tokens', request: () => ({ url: '/api/user/tokens' }), private: USER(200) },
  {
    name: 'POST /api/user/tokens',
    request: () => ({ method: 'POST', url: '/api/user/tokens', payload: { name: 'matrix' } }),
    private: USER(201),
  },
  {
    name: 'DELETE /api/user/tokens/{id}',
    request: () => ({ method: 'DELETE', url: '/api/user/tokens/987654' }),
    private: USER(404),
  },
  {
    name: 'GET /api/images',
    request: () => ({ url: '/api/images?telescope=winer' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/images?format=csv',
    request: () => ({ url: '/api/images?format=csv' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/images/facets',
    request: () => ({ url: '/api/images/facets' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/images/keywords',
    request: () => ({ url: '/api/images/keywords' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/images/{id}',
    request: (c) => ({ url: `/api/images/${real(c)}` }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/images/{id}/preview',
    request: (c) => ({ url: `/api/images/${real(c)}/preview?size=thumb` }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  { name: 'GET /api/nights', request: () => ({ url: '/api/nights' }), private: READ, publicRead: READ_PUBLIC },
  {
    name: 'GET /api/images/{id}/download',
    request: (c) => ({ url: `/api/images/${real(c)}/download` }),
    private: DOWNLOAD,
  },
  {
    name: 'POST /api/downloads',
    request: (c) => ({ method: 'POST', url: '/api/downloads', payload: { ids: [real(c)] } }),
    private: DOWNLOAD,
  },
  { name: 'GET /api/admin/users', request: () => ({ url: '/api/admin/users' }), private: ADMIN(200) },
  {
    name: 'PUT /api/admin/users/{id}',
    request: (_c, t) => ({ method: 'PUT', url: `/api/admin/users/${t.ids.user}`, payload: { can_download: false } }),
    private: ADMIN(200),
  },
  { name: 'GET /api/admin/audit', request: () => ({ url: '/api/admin/audit' }), private: ADMIN(200) },
  { name: 'GET /api/admin/ingest', request: () => ({ url: '/api/admin/ingest' }), private: ADMIN(200) },
  { name: 'GET /api/admin/fixity', request: () => ({ url: '/api/admin/fixity' }), private: ADMIN(200) },
  {
    name: 'POST /api/admin/ingest/requeue',
    request: () => ({ method: 'POST', url: '/api/admin/ingest/requeue', payload: {} }),
    private: ADMIN(200),
  },
  {
    name: 'GET /api/vo/sia/query',
    request: () => ({ url: '/api/vo/sia/query?POS=CIRCLE+10+20+1' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/vo/datalink',
    request: (c) => ({ url: `/api/vo/datalink?ID=${encodeURIComponent(`ivo://aims/images?${real(c)}`)}` }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'GET /api/vo/soda',
    request: (c) => ({ url: `/api/vo/soda?ID=${encodeURIComponent(`ivo://aims/images?${real(c)}`)}&PIXEL=1+8+1+8` }),
    private: DOWNLOAD,
  },
  {
    name: 'GET /api/vo/tap/sync',
    request: () => ({ url: '/api/vo/tap/sync?LANG=ADQL&QUERY=SELECT%20COUNT(*)%20FROM%20aims.images' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'POST /api/vo/tap/async',
    request: () => ({
      method: 'POST',
      url: '/api/vo/tap/async',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'LANG=ADQL&QUERY=SELECT%20id%20FROM%20aims.images',
    }),
    private: [401, 303, 303, 303, 403],
    publicRead: [303, 303, 303, 303, 403],
  },
  {
    name: 'GET /api/vo/tap/tables',
    request: () => ({ url: '/api/vo/tap/tables' }),
    private: READ,
    publicRead: READ_PUBLIC,
  },
  {
    name: 'POST /api/admin/rescan',
    request: () => ({ method: 'POST', url: '/api/admin/rescan' }),
    private: ADMIN(202),
  },
  { name: 'GET /api/admin/libraries', request: () => ({ url: '/api/admin/libraries' }), private: ADMIN(200) },
];

/** Bad input for every route that takes any (as an admin, so that only the input is wrong). */
const BAD_INPUT: Array<[string, (c: Catalog) => InjectOptions, string]> = [
  [
    'POST /api/auth/login',
    () => ({ method: 'POST', url: '/api/auth/login', payload: { email: 42, password: 'long enough password' } }),
    'email',
  ],
  [
    'POST /api/auth/signup',
    () => ({ method: 'POST', url: '/api/auth/signup', payload: { email: 'a@b.org' } }),
    'password',
  ],
  ['POST /api/auth/google', () => ({ method: 'POST', url: '/api/auth/google', payload: { token: 'x' } }), 'token'],
  ['GET /api/auth/oidc/login', () => ({ url: '/api/auth/oidc/login?bogus=1' }), 'bogus'],
  // Providers add parameters of their own (session_state, …): only known ones are checked.
  ['GET /api/auth/oidc/callback', () => ({ url: `/api/auth/oidc/callback?code=${'x'.repeat(5000)}` }), 'code'],
  ['POST /api/user/tokens', () => ({ method: 'POST', url: '/api/user/tokens', payload: { name: '' } }), 'name'],
  [
    'POST /api/user/tokens (expiry)',
    () => ({ method: 'POST', url: '/api/user/tokens', payload: { name: 'x', expires_in_days: 0 } }),
    'expires_in_days',
  ],
  ['DELETE /api/user/tokens/{id}', () => ({ method: 'DELETE', url: '/api/user/tokens/abc' }), 'id'],
  ['GET /api/images', () => ({ url: '/api/images?min_temp=abc' }), 'min_temp'],
  ['GET /api/images/facets', () => ({ url: '/api/images/facets?limit=0' }), 'limit'],
  ['GET /api/images/{id}', () => ({ url: '/api/images/0' }), 'id'],
  ['GET /api/images/{id}/preview', (c) => ({ url: `/api/images/${real(c)}/preview?size=huge` }), 'size'],
  ['GET /api/nights', () => ({ url: '/api/nights?date=tomorrow' }), 'date'],
  ['GET /api/images/{id}/download', () => ({ url: '/api/images/-1/download' }), 'id'],
  ['POST /api/downloads', () => ({ method: 'POST', url: '/api/downloads', payload: { ids: { all: true } } }), 'ids'],
  [
    'PUT /api/admin/users/{id}',
    () => ({ method: 'PUT', url: '/api/admin/users/abc', payload: { role: 'user' } }),
    'id',
  ],
  [
    'PUT /api/admin/users/{id} (role)',
    () => ({ method: 'PUT', url: '/api/admin/users/1', payload: { role: 'god' } }),
    'role',
  ],
  ['PUT /api/admin/users/{id} (empty)', () => ({ method: 'PUT', url: '/api/admin/users/1', payload: {} }), 'body'],
  ['GET /api/admin/audit', () => ({ url: '/api/admin/audit?limit=0' }), 'limit'],
  ['GET /api/admin/ingest', () => ({ url: '/api/admin/ingest?state=lost' }), 'state'],
  ['GET /api/admin/fixity', () => ({ url: '/api/admin/fixity?limit=0' }), 'limit'],
  [
    'POST /api/admin/ingest/requeue',
    () => ({ method: 'POST', url: '/api/admin/ingest/requeue', payload: { states: ['pending'] } }),
    'states[0]',
  ],
  [
    'POST /api/admin/libraries',
    () => ({ method: 'POST', url: '/api/admin/libraries', payload: { path: 'relative/night' } }),
    'path',
  ],
  [
    'DELETE /api/admin/libraries/{id}',
    () => ({ method: 'DELETE', url: '/api/admin/libraries/1?frames=burn' }),
    'frames',
  ],
];

for (const dialect of DIALECTS)
  for (const publicRead of [false, true])
    describeWithFixtures(`role matrix (${dialect}${publicRead ? ', AIMS_PUBLIC_READ=true' : ''})`, () => {
      let t: TestApi;
      let c: Catalog;
      let rescans = 0;
      beforeAll(async () => {
        t = await startTestApi(dialect, {
          env: { AIMS_PUBLIC_READ: String(publicRead) },
          deps: {
            events: new EventBus(),
            ingest: {
              queue: () => ({ pending: 0, active: 0 }),
              watcherState: () => 'watching',
              rescan: async () => {
                rescans++;
              },
            },
          },
        });
        c = await seedCatalog(t.database);
        t.config.imageDirs.push(...c.roots);
        const preview = previewPath(t.config.previewDir, c.sha256[REAL_FILES[0]!]!, 'thumb', 'png');
        mkdirSync(dirname(preview), { recursive: true });
        writeFileSync(preview, Buffer.from('89504e470d0a1a0a', 'hex'));
      });
      afterAll(async () => {
        await t.close();
        rmSync(c.scratch, { recursive: true, force: true });
      });

      for (const row of ROUTES) {
        const expected = (publicRead && row.publicRead) || row.private;
        it(`${row.name}: ${PERSONAS.map((p, i) => `${p} ${expected[i]}`).join(', ')}`, async () => {
          const actual: Record<Persona, number> = {} as Record<Persona, number>;
          for (const persona of PERSONAS) actual[persona] = (await t.as(persona, row.request(c, t))).statusCode;
          expect(actual).toEqual(Object.fromEntries(PERSONAS.map((p, i) => [p, expected[i]])));
          if (row.signsOut) await freshSessions(t);
        });
      }

      it('admin rescans reached the ingest side', () => {
        expect(rescans).toBe(1);
      });

      if (!publicRead)
        for (const [name, request, parameter] of BAD_INPUT)
          it(`${name}: bad input → 400 naming ${parameter}`, async () => {
            const res = await t.as('admin', request(c));
            expect(res.statusCode).toBe(400);
            expect(res.json()).toMatchObject({ error: 'Bad Request', parameter });
          });
    });
