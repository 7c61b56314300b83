// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App.js';
import type { AuthConfig } from '../src/api/types.js';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that answers like the AIMS API: signed out, with the given sign-in configuration. */
function fakeApi(
  config: AuthConfig,
  login: { status: number; body: unknown },
  signup: { status: number; body: unknown } = { status: 500, body: {} },
) {
  const calls: Call[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    if (url.startsWith('/api/auth/config')) return json(200, config);
    if (url.startsWith('/api/user/me')) return json(401, { error: 'Unauthorized', message: 'authentication required' });
    if (url.startsWith('/api/auth/login')) return json(login.status, login.body);
    if (url.startsWith('/api/auth/signup')) return json(signup.status, signup.body);
    return json(404, { error: 'Not Found', message: `no route ${url}` });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

const BASE: AuthConfig = {
  signup: 'open',
  password_min_length: 10,
  google_client_id: null,
  oidc: false,
  public_read: false,
  first_account: false,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sign-in page', () => {
  it('tells the first visitor of a fresh install that they become the administrator', async () => {
    fakeApi({ ...BASE, first_account: true }, { status: 500, body: {} });
    render(<App />);
    expect((await screen.findByRole('button', { name: 'Create the admin account' })).getAttribute('type')).toBe(
      'submit',
    );
    expect(screen.getByRole('note').textContent).toContain('becomes the administrator');
    expect(screen.queryByRole('tab')).toBeNull();
    expect(screen.queryByText('At least 10 characters.')).not.toBeNull();
  });

  it('offers no sign-up when the policy is closed, shows the OIDC provider, and says why a sign-in failed', async () => {
    const calls = fakeApi(
      { ...BASE, signup: 'closed', oidc: true },
      { status: 401, body: { error: 'Unauthorized', message: 'invalid e-mail or password' } },
    );
    render(<App />);
    const submit = await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.queryByRole('tab', { name: 'Create account' })).toBeNull();
    expect(screen.queryByRole('note')).toBeNull();
    const oidc = screen.getByRole('link', { name: /OpenID Connect/ });
    expect(oidc.getAttribute('href')).toBe('/api/auth/oidc/login');

    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'someone@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'not the password' } });
    fireEvent.click(submit);
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong e-mail or password.');

    const login = calls.find((c) => c.url === '/api/auth/login')!;
    expect(login.init?.method).toBe('POST');
    expect(login.init?.credentials).toBe('same-origin');
    // The CSRF proof the server asks of cookie sessions.
    expect((login.init?.headers as Record<string, string> | undefined)?.['X-Requested-With']).toBe('aims-web');
    expect(JSON.parse(String(login.init?.body))).toEqual({
      email: 'someone@example.org',
      password: 'not the password',
    });
  });

  it('offers sign-up under the approval policy and says accounts wait for an administrator', async () => {
    fakeApi({ ...BASE, signup: 'approval' }, { status: 500, body: {} });
    render(<App />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Create account' }));
    expect(screen.queryByText('New accounts wait for an administrator to activate them.')).not.toBeNull();
    expect(screen.getByLabelText('Password').getAttribute('autocomplete')).toBe('new-password');
  });

  it('answers an approval sign-up without saying whether the address had an account', async () => {
    const message = 'if this address can be used, its account now waits for an administrator to activate it';
    const calls = fakeApi(
      { ...BASE, signup: 'approval' },
      { status: 500, body: {} },
      { status: 202, body: { status: 'pending_approval', message } },
    );
    render(<App />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Create account' }));
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: ' vega@example.org ' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Thank you. If vega@example.org can be used here, its account now waits for an administrator to activate it. ' +
        'If you already have an account with this address, sign in with it instead.',
    );
    expect(screen.getByRole('tab', { name: 'Sign in' }).getAttribute('aria-selected')).toBe('true');
    expect(calls.some((c) => c.url === '/api/auth/signup')).toBe(true);
  });

  it('sends someone who signs up with a taken address (open policy) to sign in', async () => {
    fakeApi(BASE, { status: 500, body: {} }, { status: 409, body: { error: 'Conflict', message: 'taken' } });
    render(<App />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Create account' }));
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'vega@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This e-mail address has an account already. Sign in with it instead.',
    );
  });
});
