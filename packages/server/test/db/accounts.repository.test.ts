import { describe, expect, it } from 'vitest';
import { hashApiToken } from '../../src/auth/api-token-secret.js';
import {
  createApiToken,
  findApiTokenOwner,
  listApiTokens,
  revokeApiToken,
} from '../../src/db/api-tokens.repository.js';
import { listAudit, recordAudit } from '../../src/db/audit.repository.js';
import { openDatabase } from '../../src/db/connection.js';
import { createSession, findSessionUser, revokeSession } from '../../src/db/sessions.repository.js';
import {
  createUser,
  DuplicateEmailError,
  findPasswordHash,
  findUserByEmail,
  findUserByExternalId,
  linkExternalId,
  listUsers,
  updateUser,
} from '../../src/db/users.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

for (const dialect of DIALECTS)
  describe(`accounts repositories (${dialect})`, () => {
    const t = useTestDatabase(dialect);

    it('makes the first account an active admin with downloads, later ones plain users', async () => {
      const first = await createUser(t.database, { email: 'Ada@Example.org', isActive: false });
      expect(first.firstAdmin).toBe(true);
      expect(first.user).toMatchObject({
        email: 'ada@example.org',
        role: 'admin',
        is_active: true,
        can_download: true,
      });
      const second = await createUser(t.database, { email: 'bob@example.org', passwordHash: 'x' });
      expect(second.firstAdmin).toBe(false);
      expect(second.user).toMatchObject({ role: 'user', is_active: true, can_download: false, has_password: true });
      await expect(createUser(t.database, { email: 'BOB@example.org' })).rejects.toBeInstanceOf(DuplicateEmailError);
      expect((await findPasswordHash(t.database, 'Bob@Example.org'))?.passwordHash).toBe('x');
    });

    it('gives exactly one admin when first sign-ups race', async () => {
      // PostgreSQL: separate pools, as between two server replicas. SQLite: one connection, as in
      // the server (better-sqlite3 is synchronous, so a second connection in the same thread would
      // block the first while it waits for the lock).
      const others =
        dialect === 'postgres'
          ? await Promise.all([1, 2, 3, 4].map(() => openDatabase(t.url, { migrate: false })))
          : [t.database, t.database, t.database, t.database];
      try {
        const results = await Promise.all(others.map((db, i) => createUser(db, { email: `racer${i}@example.org` })));
        expect(results.filter((r) => r.firstAdmin)).toHaveLength(1);
        const users = await listUsers(t.database);
        expect(users).toHaveLength(4);
        expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
      } finally {
        if (dialect === 'postgres') await Promise.all(others.map((db) => db.close()));
      }
    });

    it('updates role, download right and activity, and links external identities', async () => {
      await createUser(t.database, { email: 'admin@example.org' });
      const { user } = await createUser(t.database, { email: 'carol@example.org' });
      const updated = await updateUser(t.database, user.id, { role: 'admin', canDownload: true, isActive: false });
      expect(updated).toMatchObject({ role: 'admin', can_download: true, is_active: false });
      await linkExternalId(t.database, user.id, 'google', 'g-123');
      expect((await findUserByExternalId(t.database, 'google', 'g-123'))?.email).toBe('carol@example.org');
      expect(await findUserByExternalId(t.database, 'oidc', 'g-123')).toBeNull();
      expect((await findUserByEmail(t.database, 'CAROL@example.org'))?.google_linked).toBe(true);
    });

    it('stores API tokens by hash, finds live ones, revokes them', async () => {
      const { user } = await createUser(t.database, { email: 'dave@example.org' });
      const token = await createApiToken(t.database, {
        userId: user.id,
        name: 'pipeline',
        tokenHash: hashApiToken('aims_secret'),
        prefix: 'aims_sec',
        expiresAt: null,
      });
      await createApiToken(t.database, {
        userId: user.id,
        name: 'old',
        tokenHash: hashApiToken('aims_expired'),
        prefix: 'aims_exp',
        expiresAt: Date.now() - 1000,
      });
      expect(await findApiTokenOwner(t.database, hashApiToken('aims_secret'))).toEqual({ tokenId: token.id, user });
      expect(await findApiTokenOwner(t.database, hashApiToken('aims_expired'))).toBeNull();
      expect(await findApiTokenOwner(t.database, hashApiToken('aims_other'))).toBeNull();
      expect((await listApiTokens(t.database, user.id)).map((x) => x.name)).toEqual(['pipeline', 'old']);
      expect(await revokeApiToken(t.database, user.id + 1, token.id)).toBe(false);
      expect(await revokeApiToken(t.database, user.id, token.id)).toBe(true);
      expect(await findApiTokenOwner(t.database, hashApiToken('aims_secret'))).toBeNull();
      expect((await listApiTokens(t.database, user.id)).map((x) => x.name)).toEqual(['old']);
    });

    it("finds a live session's account in the same query, and nothing for a dead one", async () => {
      const { user } = await createUser(t.database, { email: 'erin@example.org' });
      const { user: other } = await createUser(t.database, { email: 'frank@example.org' });
      const now = Date.now();
      const sid = await createSession(t.database, user.id, 3600, now);
      expect(await findSessionUser(t.database, sid, user.id, now)).toEqual(user);
      await updateUser(t.database, user.id, { role: 'admin' });
      expect((await findSessionUser(t.database, sid, user.id, now))?.role).toBe('admin');
      expect(await findSessionUser(t.database, sid, other.id, now)).toBeNull();
      expect(await findSessionUser(t.database, sid, user.id, now + 3600_000)).toBeNull();
      expect(await findSessionUser(t.database, 'no-such-session', user.id, now)).toBeNull();
      await revokeSession(t.database, sid);
      expect(await findSessionUser(t.database, sid, user.id, now)).toBeNull();
    });

    it('appends audit entries with JSON details and pages them newest first', async () => {
      for (let i = 0; i < 5; i++)
        await recordAudit(t.database, {
          actorId: 1,
          actorEmail: 'a@example.org',
          action: i % 2 ? 'download.file' : 'user.update',
          target: `image:${i}`,
          details: { i, bytes: i * 10 },
          ip: '127.0.0.1',
        });
      const page = await listAudit(t.database, { limit: 2 });
      expect(page.map((e) => e.target)).toEqual(['image:4', 'image:3']);
      expect(page[0]?.details).toEqual({ i: 4, bytes: 40 });
      const next = await listAudit(t.database, { limit: 10, before: page[1]?.id });
      expect(next.map((e) => e.target)).toEqual(['image:2', 'image:1', 'image:0']);
      expect((await listAudit(t.database, { limit: 10, action: 'download.file' })).length).toBe(2);
    });
  });
