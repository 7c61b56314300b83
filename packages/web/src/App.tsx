/**
 * The app shell: who is signed in decides between the sign-in page and the screens; the top bar
 * links the screens. Search is in the initial bundle (it is the first screen); frame detail, nights
 * and admin are loaded when first opened.
 */
import { lazy, Suspense, useState } from 'react';
import { mayDownload } from './api/types.js';
import { ErrorNote, Spinner } from './components/status.js';
import { AuthProvider, useAuth } from './lib/auth.js';
import { Link, useLocation } from './lib/router.js';
import { applyTheme, savedTheme } from './lib/theme.js';
import { SearchScreen } from './screens/search-screen.js';
import { SignInScreen } from './screens/sign-in-screen.js';

const FrameScreen = lazy(() => import('./screens/frame-screen.js'));
const NightsScreen = lazy(() => import('./screens/nights-screen.js'));
const AdminScreen = lazy(() => import('./screens/admin-screen.js'));
const TargetsScreen = lazy(() => import('./screens/targets-screen.js'));
const TargetScreen = lazy(() => import('./screens/target-screen.js'));

function NavLink({ href, children, current }: { href: string; children: string; current: boolean }) {
  return (
    <Link href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function ThemeButton() {
  const [theme, setTheme] = useState(savedTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}

function Shell() {
  const { user, signOut } = useAuth();
  const { path, search } = useLocation();
  if (!user) return null;
  const frame = /^\/images\/(\d+)$/.exec(path);
  const night = /^\/nights(?:\/(\d{4}-\d{2}-\d{2}))?$/.exec(path);
  const target = /^\/targets\/([^/]+)$/.exec(path);
  let screen: React.ReactNode;
  if (frame) screen = <FrameScreen id={Number(frame[1])} user={user} />;
  else if (night) screen = <NightsScreen night={night[1] ?? null} />;
  else if (path === '/targets') screen = <TargetsScreen search={search} />;
  else if (target)
    screen = <TargetScreen targetKey={decodeURIComponent(target[1] ?? '')} canDownload={mayDownload(user)} />;
  else if (path === '/admin')
    screen =
      user.role === 'admin' ? <AdminScreen self={user} /> : <ErrorNote error={new Error('Administrators only.')} />;
  else screen = <SearchScreen search={search} canDownload={mayDownload(user)} isAdmin={user.role === 'admin'} />;
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/" className="brand" aria-label="AIMS home">
          <span className="brand-mark" aria-hidden="true">
            ✦
          </span>{' '}
          AIMS
        </Link>
        <nav aria-label="Main">
          <NavLink href="/" current={path === '/' || path === '/search' || !!frame}>
            Search
          </NavLink>
          <NavLink href="/nights" current={!!night}>
            Nights
          </NavLink>
          <NavLink href="/targets" current={path === '/targets' || !!target}>
            Targets
          </NavLink>
          {user.role === 'admin' && (
            <NavLink href="/admin" current={path === '/admin'}>
              Admin
            </NavLink>
          )}
        </nav>
        <div className="topbar-user">
          <span className="user-email" title={user.email}>
            {user.display_name ?? user.email}
          </span>
          <span className={`badge ${user.role === 'admin' ? 'badge-accent' : ''}`}>{user.role}</span>
          {!mayDownload(user) && (
            <span className="badge" title="This account may not download files">
              view only
            </span>
          )}
          <ThemeButton />
          <a className="nav-link" href="/api/docs">
            API
          </a>
          <button type="button" className="btn btn-small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main">
        <Suspense fallback={<Spinner />}>{screen}</Suspense>
      </main>
    </div>
  );
}

function Gate() {
  const { user } = useAuth();
  if (user === undefined) return <Spinner label="Connecting to AIMS…" />;
  if (user === null) return <SignInScreen />;
  return <Shell />;
}

export function App() {
  return (
    <AuthProvider>
      <Gate />
    </AuthProvider>
  );
}
