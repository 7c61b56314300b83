import { describe, expect, it } from 'vitest';
import {
  changeAccount,
  loginWithPassword,
  type SignupPolicy,
  signInExternal,
  signUp,
} from '../../src/auth/accounts.service.js';
import { DIALECTS, useTestDatabase } from '../support/databases.js';

const OPEN: SignupPolicy = { signup: 'open', allowedDomains: [] };
const PASSWORD = 'correct horse battery';

for (const dialect of DIALECTS) {
  describe(`accounts (${dialect})`, () => {
    const t = useTestDatabase(dialect);

    it('one sign-up for passwords and first sign-ins: the first account is the admin', async () => {
      const ada = await signUp(t.database, OPEN, { email: ' Ada@Example.org ', password: PASSWORD });
      expect(ada).toMatchObject({ created: true, firstAdmin: true, pendingApproval: false });
      expect(ada.user).toMatchObject({ email: 'ada@example.org', role: 'admin', is_active: true });
      expect((await loginWithPassword(t.database, 'ada@example.org', PASSWORD)).id).toBe(ada.user.id);

      const identity = { subject: 'google-123', email: 'bob@example.org', name: 'Bob' };
      const bob = await signInExternal(t.database, OPEN, 'google', identity);
      expect(bob).toMatchObject({ created: true, firstAdmin: false, pendingApproval: false });
      expect(bob.user).toMatchObject({ email: 'bob@example.org', display_name: 'Bob', role: 'user' });
      // The second sign-in finds the linked account: nothing is created.
      const again = await signInExternal(t.database, OPEN, 'google', identity);
      expect(again).toMatchObject({ created: false, user: { id: bob.user.id } });
      // An account without a password cannot sign in with one.
      await expect(loginWithPassword(t.database, 'bob@example.org', PASSWORD)).rejects.toMatchObject({
        code: 'AUTH_INVALID_CREDENTIALS',
      });
    });

    it('applies the same policy to both ways in', async () => {
      const closed: SignupPolicy = { signup: 'closed', allowedDomains: [] };
      const domains: SignupPolicy = { signup: 'open', allowedDomains: ['obs.example.org'] };
      const external = { subject: 'oidc|x', email: 'eve@elsewhere.org', name: null };
      await expect(
        signUp(t.database, closed, { email: 'eve@elsewhere.org', password: PASSWORD }),
      ).rejects.toMatchObject({
        code: 'AUTH_SIGNUP_CLOSED',
      });
      await expect(signInExternal(t.database, closed, 'oidc', external)).rejects.toMatchObject({
        code: 'AUTH_SIGNUP_CLOSED',
      });
      await expect(signInExternal(t.database, domains, 'oidc', external)).rejects.toMatchObject({
        code: 'AUTH_DOMAIN_NOT_ALLOWED',
      });
      await expect(signUp(t.database, OPEN, { email: 'not-an-address', password: PASSWORD })).rejects.toMatchObject({
        code: 'AUTH_INVALID_EMAIL',
      });
      await expect(signUp(t.database, OPEN, { email: 'eve@elsewhere.org', password: 'short' })).rejects.toMatchObject({
        code: 'AUTH_WEAK_PASSWORD',
      });
      await signUp(t.database, OPEN, { email: 'eve@elsewhere.org', password: PASSWORD });
      await expect(signUp(t.database, OPEN, { email: 'EVE@elsewhere.org', password: PASSWORD })).rejects.toMatchObject({
        code: 'AUTH_EMAIL_TAKEN',
      });
    });

    it('approval: a new account waits, whichever way it came', async () => {
      const approval: SignupPolicy = { signup: 'approval', allowedDomains: [] };
      await signUp(t.database, OPEN, { email: 'admin@example.org', password: PASSWORD });
      const byPassword = await signUp(t.database, approval, { email: 'p@example.org', password: PASSWORD });
      const byOidc = await signInExternal(t.database, approval, 'oidc', {
        subject: 's',
        email: 'o@example.org',
        name: null,
      });
      for (const result of [byPassword, byOidc]) {
        expect(result).toMatchObject({ created: true, pendingApproval: true, user: { is_active: false } });
      }
      // Signing in again while still waiting is refused.
      await expect(
        signInExternal(t.database, approval, 'oidc', { subject: 's', email: 'o@example.org', name: null }),
      ).rejects.toMatchObject({ code: 'AUTH_ACCOUNT_INACTIVE' });
    });

    it('an admin changes accounts, but cannot demote or deactivate themself', async () => {
      const admin = (await signUp(t.database, OPEN, { email: 'admin@example.org', password: PASSWORD })).user;
      const carol = (await signUp(t.database, OPEN, { email: 'carol@example.org', password: PASSWORD })).user;
      const changed = await changeAccount(t.database, admin.id, carol.id, { can_download: true, role: 'user' });
      expect(changed.user).toMatchObject({ id: carol.id, can_download: true, role: 'user' });
      expect(changed.changes).toEqual({ can_download: { from: false, to: true } });

      await expect(changeAccount(t.database, admin.id, admin.id, { role: 'user' })).rejects.toMatchObject({
        code: 'AUTH_SELF_LOCKOUT',
      });
      await expect(changeAccount(t.database, admin.id, admin.id, { is_active: false })).rejects.toMatchObject({
        code: 'AUTH_SELF_LOCKOUT',
      });
      // Changes that keep them in charge are fine.
      expect((await changeAccount(t.database, admin.id, admin.id, { can_download: true })).changes).toEqual({});
      await expect(changeAccount(t.database, admin.id, 999_999, { role: 'admin' })).rejects.toMatchObject({
        code: 'AUTH_NO_SUCH_USER',
      });
    });
  });
}
