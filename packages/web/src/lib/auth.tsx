/** Who is signed in, for every screen: loaded once, refreshed after sign-in, cleared on any 401. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, setUnauthorizedHandler } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { AuthConfig, User } from '../api/types.js';

export interface AuthState {
  /** undefined while loading. */
  user: User | null | undefined;
  config: AuthConfig | null;
  /** Why the first requests failed (server down), if they did. */
  error: string | null;
  setUser(user: User | null): void;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [configResult, meResult] = await Promise.allSettled([api.authConfig(), api.me()]);
    if (configResult.status === 'fulfilled') setConfig(configResult.value);
    if (meResult.status === 'fulfilled') {
      setUser(meResult.value);
      setError(null);
    } else {
      const e = meResult.reason;
      // 401: signed out; 403: deactivated (the message says so); anything else: the server.
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setUser(null);
        setError(e.status === 403 ? e.message : null);
      } else {
        setUser(null);
        setError(e instanceof Error ? e.message : String(e));
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthorizedHandler((reason) => {
      setUser(null);
      setError(reason);
    });
    return () => setUnauthorizedHandler(undefined);
  }, [refresh]);

  const signOut = useCallback(async () => {
    await api.logout().catch(() => undefined);
    setUser(null);
    void api.authConfig().then(setConfig, () => undefined);
  }, []);

  const value = useMemo(
    () => ({ user, config, error, setUser, signOut, refresh }),
    [user, config, error, signOut, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
