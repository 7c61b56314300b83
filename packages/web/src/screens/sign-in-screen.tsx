/**
 * Sign in and sign up: e-mail + password, Google Identity Services (when the server has a
 * GOOGLE_CLIENT_ID), the OpenID Connect provider (when configured), sign-up as the policy allows.
 * The first visitor of a fresh install is told they will become the administrator.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { AuthConfig, PendingSignup, Session } from '../api/types.js';
import { useAuth } from '../lib/auth.js';

declare global {
  interface Window {
    google?: {
      accounts: {
        id: {
          initialize(options: { client_id: string; callback: (response: { credential: string }) => void }): void;
          renderButton(element: HTMLElement, options: Record<string, unknown>): void;
        };
      };
    };
  }
}

const GSI_SRC = 'https://accounts.google.com/gsi/client';

function GoogleButton({ clientId, onToken }: { clientId: string; onToken: (token: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const onTokenRef = useRef(onToken);
  onTokenRef.current = onToken;
  useEffect(() => {
    const render = () => {
      if (!window.google || !ref.current) return;
      window.google.accounts.id.initialize({ client_id: clientId, callback: (r) => onTokenRef.current(r.credential) });
      window.google.accounts.id.renderButton(ref.current, { theme: 'filled_black', size: 'large', width: 320 });
    };
    if (window.google) return render();
    let script = document.querySelector<HTMLScriptElement>(`script[src="${GSI_SRC}"]`);
    if (!script) {
      script = document.createElement('script');
      script.src = GSI_SRC;
      script.async = true;
      document.head.append(script);
    }
    const fail = () => setFailed(true);
    script.addEventListener('load', render);
    script.addEventListener('error', fail);
    return () => {
      script.removeEventListener('load', render);
      script.removeEventListener('error', fail);
    };
  }, [clientId]);
  if (failed) return <p className="hint">Google Sign-In could not be loaded (offline, or blocked by the browser).</p>;
  return <div ref={ref} className="google-button" />;
}

type Mode = 'signin' | 'signup';

function isSession(result: Session | PendingSignup): result is Session {
  return 'access_token' in result;
}

export function SignInScreen() {
  const { config, error: sessionError, setUser, refresh } = useAuth();
  const [mode, setMode] = useState<Mode>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; parameter?: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = { email: useId(), password: useId(), name: useId(), error: useId() };

  const first = config?.first_account === true;
  const canSignUp = first || (config !== null && config.signup !== 'closed');
  // A fresh install has no account to sign in to: start on the sign-up form.
  const effectiveMode: Mode = first ? 'signup' : mode;

  // The OIDC callback redirects here with ?error=… when the provider said no.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const reason = params.get('auth_error') ?? params.get('error_description');
    if (reason) setError({ message: reason });
  }, []);

  /** `signedUp`: the address typed into the sign-up form, whose answer never says if it was taken. */
  const finish = (result: Session | PendingSignup, signedUp?: string) => {
    if (isSession(result)) {
      setUser(result.user);
      return;
    }
    setNotice(
      signedUp === undefined
        ? 'Account created. An administrator must activate it before you can sign in.'
        : `Thank you. If ${signedUp} can be used here, its account now waits for an administrator to activate it. ` +
            'If you already have an account with this address, sign in with it instead.',
    );
    setMode('signin');
  };

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      const message =
        e.status === 401
          ? 'Wrong e-mail or password.'
          : e.status === 409
            ? 'This e-mail address has an account already. Sign in with it instead.'
            : e.status === 429
              ? 'Too many attempts. Wait a minute and try again.'
              : e.status === 0
                ? 'The AIMS server cannot be reached.'
                : e.message;
      setError({ message, ...(e.parameter ? { parameter: e.parameter } : {}) });
    } else setError({ message: e instanceof Error ? e.message : String(e) });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (effectiveMode === 'signin') finish(await api.login(email, password));
      else finish(await api.signup(email, password, displayName.trim() || undefined), email.trim());
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const google = async (token: string) => {
    setError(null);
    try {
      finish(await api.google(token));
    } catch (e) {
      fail(e);
    }
  };

  const minLength = config?.password_min_length ?? 8;
  const fieldError = (name: string) => (error?.parameter === name ? ids.error : undefined);

  return (
    <main className="signin-page">
      <section className="signin-card" aria-labelledby="signin-title">
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true">
            ✦
          </span>
          <div>
            <h1 id="signin-title">AIMS</h1>
            <p className="muted">Astronomy Image Management System</p>
          </div>
        </div>
        {first && (
          <p className="callout" role="note">
            <strong>Welcome to a fresh AIMS.</strong> No account exists yet: the account you create now becomes the
            <strong> administrator</strong>.
          </p>
        )}
        {sessionError && !error && (
          <p className="callout callout-error" role="alert">
            {sessionError}
          </p>
        )}
        {notice && (
          <p className="callout" role="status">
            {notice}
          </p>
        )}
        {!first && canSignUp && (
          <div className="tabs" role="tablist" aria-label="Sign in or create an account">
            <button type="button" role="tab" aria-selected={mode === 'signin'} onClick={() => setMode('signin')}>
              Sign in
            </button>
            <button type="button" role="tab" aria-selected={mode === 'signup'} onClick={() => setMode('signup')}>
              Create account
            </button>
          </div>
        )}
        <form onSubmit={submit} className="form" noValidate={false}>
          <label htmlFor={ids.email}>E-mail</label>
          <input
            id={ids.email}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error?.parameter === 'email' || undefined}
            aria-describedby={fieldError('email')}
          />
          {effectiveMode === 'signup' && (
            <>
              <label htmlFor={ids.name}>Name (optional)</label>
              <input
                id={ids.name}
                autoComplete="name"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            </>
          )}
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            type="password"
            autoComplete={effectiveMode === 'signup' ? 'new-password' : 'current-password'}
            required
            minLength={effectiveMode === 'signup' ? minLength : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error?.parameter === 'password' || undefined}
            aria-describedby={fieldError('password')}
          />
          {effectiveMode === 'signup' && <p className="hint">At least {minLength} characters.</p>}
          {error && (
            <p className="callout callout-error" role="alert" id={ids.error}>
              {error.message}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy
              ? 'Please wait…'
              : effectiveMode === 'signin'
                ? 'Sign in'
                : first
                  ? 'Create the admin account'
                  : 'Create account'}
          </button>
          {effectiveMode === 'signup' && config?.signup === 'approval' && !first && (
            <p className="hint">New accounts wait for an administrator to activate them.</p>
          )}
        </form>
        <ExternalSignIn config={config} onGoogle={google} />
        {config?.public_read && (
          <p className="hint">
            This archive's catalog is public, but the web UI needs an account; scripts can read{' '}
            <a href="/api/docs">the API</a> anonymously.
          </p>
        )}
        <button type="button" className="link-button" onClick={() => void refresh()}>
          Already signed in elsewhere? Reload
        </button>
      </section>
    </main>
  );
}

function ExternalSignIn({ config, onGoogle }: { config: AuthConfig | null; onGoogle: (token: string) => void }) {
  if (!config || (!config.google_client_id && !config.oidc)) return null;
  return (
    <div className="external-signin">
      <div className="divider">
        <span>or</span>
      </div>
      {config.google_client_id && <GoogleButton clientId={config.google_client_id} onToken={onGoogle} />}
      {config.oidc && (
        <a className="btn btn-wide" href="/api/auth/oidc/login">
          Sign in with your organization (OpenID Connect)
        </a>
      )}
    </div>
  );
}
