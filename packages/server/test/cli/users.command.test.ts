import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loginWithPassword } from '../../src/auth/accounts.service.js';
import { main } from '../../src/cli/main.js';
import { listAudit } from '../../src/db/audit.repository.js';
import { findUserByEmail } from '../../src/db/users.repository.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

/** Runs `aims …` in-process with `stdin` as standard input; returns exit code and output. */
async function aims(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  const input = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(stdin)]) as never);
  try {
    return { code: await main(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    input.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

for (const dialect of DIALECTS)
  describe(`aims users (${dialect})`, () => {
    const t = useTestDatabase(dialect);

    it('adds an admin with a password from stdin, who can then sign in', async () => {
      const res = await aims(
        ['users', 'add', 'Boss@Example.org', '--admin', '--password-stdin', '--db', t.url],
        'a long enough password\n',
      );
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/^created \d+\tboss@example\.org\tadmin, can download, active\n$/);
      const user = await loginWithPassword(t.database, 'boss@example.org', 'a long enough password');
      expect(user.role).toBe('admin');
    });

    it('the first account becomes admin even without --admin; later ones are users', async () => {
      const first = await aims(['users', 'add', 'first@example.org', '--db', t.url]);
      expect(first.out).toContain('(first account: admin)');
      expect(first.out).toContain('signs in with Google or OpenID Connect');
      await aims(['users', 'add', 'second@example.org', '--can-download', '--db', t.url]);
      const list = await aims(['users', 'list', '--json', '--db', t.url]);
      const users = JSON.parse(list.out) as Array<{ email: string; role: string; can_download: boolean }>;
      expect(users.map((u) => [u.email, u.role, u.can_download])).toEqual([
        ['first@example.org', 'admin', true],
        ['second@example.org', 'user', true],
      ]);
      const table = await aims(['users', 'list', '--db', t.url]);
      expect(table.out.split('\n')[2]).toMatch(/\tsecond@example\.org\tuser, can download, active$/);
    });

    it('changes role, download right, activity and password, and audits each change', async () => {
      await aims(['users', 'add', 'admin@example.org', '--db', t.url]);
      await aims(['users', 'add', 'carol@example.org', '--db', t.url]);
      const set = await aims(
        ['users', 'set', 'CAROL@example.org', '--admin', '--inactive', '--password-stdin', '--db', t.url],
        'another long password',
      );
      expect(set.code).toBe(0);
      expect(await findUserByEmail(t.database, 'carol@example.org')).toMatchObject({
        role: 'admin',
        is_active: false,
        has_password: true,
      });
      await aims(['users', 'set', 'carol@example.org', '--user', '--no-download', '--active', '--db', t.url]);
      expect(await findUserByEmail(t.database, 'carol@example.org')).toMatchObject({ role: 'user', is_active: true });
      expect((await loginWithPassword(t.database, 'carol@example.org', 'another long password')).email).toBe(
        'carol@example.org',
      );
      const log = await listAudit(t.database, { action: 'user.update', limit: 10 });
      expect(log[1]?.details).toMatchObject({
        via: 'cli',
        changes: { role: { from: 'user', to: 'admin' }, is_active: { from: true, to: false }, password: 'changed' },
      });
    });

    it('refuses bad input with exit code 2 and unknown or duplicate accounts with 1', async () => {
      expect((await aims(['users', 'add', 'x@example.org', '--password-stdin', '--db', t.url], 'short')).code).toBe(2);
      expect((await aims(['users', 'add', 'not-an-email', '--db', t.url])).code).toBe(2);
      expect((await aims(['users', 'add', '--db', t.url])).code).toBe(2);
      expect((await aims(['users', 'set', 'x@example.org', '--admin', '--user', '--db', t.url])).code).toBe(2);
      expect((await aims(['users', 'set', 'x@example.org', '--db', t.url])).code).toBe(2);
      expect((await aims(['users', 'frobnicate'])).code).toBe(2);
      expect((await aims(['users', 'add', 'dup@example.org', '--db', t.url])).code).toBe(0);
      const dup = await aims(['users', 'add', 'DUP@example.org', '--db', t.url]);
      expect(dup.code).toBe(1);
      expect(dup.err).toMatch(/exists already/);
      expect((await aims(['users', 'set', 'nobody@example.org', '--admin', '--db', t.url])).code).toBe(1);
    });
  });
