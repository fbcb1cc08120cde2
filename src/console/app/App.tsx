/**
 * The shell: sign-in with the node's operator token, then the party, the live indicator, the
 * UTC clock and the sections a watch officer moves between.
 */
import { lazy, Suspense, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Api, ApiError } from './api';
import { partyLabel, useNow, utc } from './format';
import { RecordProvider, usePicture } from './record';
import { AlertBanner } from '../components/Alerts';
import { AsOf } from '../components/AsOf';
import { LazyMap } from '../components/LazyMap';
import { NetworkState } from '../components/NetworkState';
import { PageBoundary } from '../components/PageBoundary';
import { ThemeToggle } from '../components/Theme';
import { href, useRoute } from './route';
import type { Status } from '../../wire/types';
import { isAddressedTo } from './domain';
import { Dashboard } from '../pages/Dashboard';
import { Hotline } from '../pages/Hotline';
import { Notifications } from '../pages/Notifications';
import { EntryPage } from '../pages/EntryPage';
import { Findings } from '../pages/Findings';
import { Timeline } from '../pages/Timeline';
import { Audit } from '../pages/Audit';
import { Talks } from '../pages/Talks';
import { Requests } from '../pages/Requests';
import { Obligations } from '../pages/Obligations';

const Incidents = lazy(() => import('../pages/Incidents'));
// The zones page draws a map too: loaded when first opened.
const Zones = lazy(() => import('../pages/Zones'));
const Missiles = lazy(() => import('../pages/Missiles'));

const TOKEN_KEY = 'parley.token';

interface Session {
  token: string;
  status: Status;
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);

  const signIn = async (token: string) => {
    setError(undefined);
    try {
      const status = await new Api(token).status();
      sessionStorage.setItem(TOKEN_KEY, token);
      setSession({ token, status });
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      setError(e instanceof ApiError ? (e.status === 401 || e.status === 403 ? `${e.code}: this token is not an operator token of this node.` : `${e.code}: ${e.message}`) : String(e));
    }
  };

  useEffect(() => {
    // A sign-in link (/console/#token=…): take the token, then drop it from the address bar.
    const fromLink = () => {
      const token = /^#token=([^&]+)/.exec(window.location.hash)?.[1];
      if (token) history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/dashboard`);
      return token ? decodeURIComponent(token) : undefined;
    };
    const token = fromLink() ?? sessionStorage.getItem(TOKEN_KEY);
    if (token) void signIn(token).finally(() => setChecking(false));
    else setChecking(false);
    // The same link pasted into a tab that is already open.
    const onHash = () => {
      const t = fromLink();
      if (t) void signIn(t);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setSession(undefined);
  };

  if (checking) return <p className="boot">Connecting to the node…</p>;
  if (!session) return <Login onSubmit={signIn} error={error} />;
  return (
    <RecordProvider key={session.token} token={session.token} status={session.status} onSignOut={signOut}>
      <Shell />
    </RecordProvider>
  );
}

function Login(props: { onSubmit: (token: string) => Promise<void>; error: string | undefined }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await props.onSubmit(token.trim());
    setBusy(false);
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <h1 id="login-title">Parley console</h1>
        <p className="muted">Sign in with an operator token of this node (from <code>parley token issue</code>, or printed by <code>parley network up</code>). It is kept for this browser tab only.</p>
        <label htmlFor="token">Operator token</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus required value={token} onChange={(e) => setToken(e.target.value)} />
        {props.error && (
          <p role="alert" className="refusal">
            {props.error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const SECTIONS = [
  ['dashboard', 'Dashboard'],
  ['hotline', 'Hotline'],
  ['notifications', 'Notifications'],
  ['findings', 'Findings'],
  ['requests', 'Requests'],
  ['obligations', 'Obligations'],
  ['talks', 'Talks'],
  ['incidents', 'Incidents'],
  ['map', 'Map'],
  ['zones', 'Zones'],
  ['missiles', 'Missiles'],
  ['timeline', 'Timeline'],
  ['audit', 'Audit'],
] as const;

function Shell() {
  const picture = usePicture();
  const route = useRoute();
  const now = useNow(1000);
  const overdue = (picture.obligations ?? []).filter((o) => o.status === 'missed' || (o.status === 'open' && Date.parse(o.due) < (picture.asOf ?? now))).length;
  const acked = new Set(picture.entries.filter((a) => a.type === 'hotline.ack' && a.author === picture.party).flatMap((a) => a.refs ?? []));
  const unacked = picture.entries.filter((e) => e.type === 'hotline.message' && e.author !== picture.party && isAddressedTo(e, picture.party) && !acked.has(e.id));
  const awaitingAck = unacked.length;
  const counters: Record<string, ReactNode> = {
    dashboard: overdue > 0 ? <span className="count alarm" title={`${overdue} overdue obligations`}>{overdue}</span> : null,
    hotline: awaitingAck > 0 ? <span className="count" title={`${awaitingAck} messages awaiting acknowledgement`}>{awaitingAck}</span> : null,
    findings: picture.findings?.length ? <span className="count quiet">{picture.findings.length}</span> : null,
  };
  const title = SECTIONS.find(([s]) => s === route.section)?.[1] ?? (route.section === 'entry' ? 'Entry' : 'Dashboard');
  useEffect(() => {
    document.title = `${awaitingAck > 0 ? `(${awaitingAck}) ` : ''}${title} · ${picture.party} · Parley`;
  }, [title, picture.party, awaitingAck]);

  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Parley</span>
        <span className="party" data-testid="party" title="The party this node speaks for">
          {partyLabel(picture.roster, picture.party)}
        </span>
        {picture.role && (
          <span className="role" data-testid="role" title="The role of the token signed in with">
            {picture.role}
          </span>
        )}
        <span className={`live ${picture.live}`} role="status" aria-live="polite" title="This console's connection to its node">
          {picture.live === 'live' ? 'Live' : picture.live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
        <NetworkState />
        <span className="clock" aria-label="Current time, UTC">
          {utc(new Date(now).toISOString())}
        </span>
        <AsOf />
        <ThemeToggle />
        <button type="button" onClick={picture.signOut}>
          Sign out
        </button>
      </header>
      <nav className="sidenav" aria-label="Sections">
        <ul>
          {SECTIONS.map(([section, label]) => (
            <li key={section}>
              <a href={href(section)} aria-current={route.section === section ? 'page' : undefined}>
                {label} {counters[section]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {Object.keys(picture.problems).length > 0 && picture.loadedAt !== undefined && (
          <div className="notice" role="status">
            Part of the record could not be read:{' '}
            {Object.entries(picture.problems)
              .map(([part, why]) => `${part} (${why})`)
              .join('; ')}
          </div>
        )}
        {picture.asOf !== undefined && (
          <div className="asof-banner" role="status" data-testid="asof-banner">
            The record as it stood at <strong>{utc(new Date(picture.asOf).toISOString())}</strong>: later entries are hidden; obligations, countdowns and findings are as of then.{' '}
            <button type="button" className="small" onClick={() => picture.setAsOf(undefined)}>
              Back to live
            </button>
          </div>
        )}
        <AlertBanner />
        <PageBoundary section={route.section} title={title}>
          <Page />
        </PageBoundary>
      </main>
    </div>
  );
}

function Page() {
  const route = useRoute();
  switch (route.section) {
    case 'hotline':
      return <Hotline peer={route.rest[0]} route={route} />;
    case 'notifications':
      return <Notifications route={route} />;
    case 'entry':
      return <EntryPage id={route.rest[0] ?? ''} />;
    case 'findings':
      return <Findings selected={route.rest[0]} route={route} />;
    case 'map':
      return <LazyMap />;
    case 'requests':
      return <Requests route={route} />;
    case 'obligations':
      return <Obligations route={route} />;
    case 'talks':
      return <Talks meeting={route.rest[0]} route={route} />;
    case 'incidents':
      return (
        <Suspense fallback={<p>Loading incidents…</p>}>
          <Incidents route={route} />
        </Suspense>
      );
    case 'zones':
      return (
        <Suspense fallback={<p>Loading the zones…</p>}>
          <Zones zone={route.rest[0]} route={route} />
        </Suspense>
      );
    case 'missiles':
      return (
        <Suspense fallback={<p>Loading the missile record…</p>}>
          <Missiles />
        </Suspense>
      );
    case 'timeline':
      return <Timeline route={route} />;
    case 'audit':
      return <Audit route={route} />;
    default:
      return <Dashboard />;
  }
}
