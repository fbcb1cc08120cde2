/**
 * The console's picture of the node: status, roster, catalogue, the record (entries), obligations
 * and findings, refreshed whenever the node's event stream says something happened. Every page
 * reads this one picture, so two panels never disagree about the record.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Api, ApiError } from './api';
import { useNow } from './format';
import { readUtc } from './utc';
import type { EntryView, Finding, Obligation, OperatorSession, Party, Status } from '../../wire/types';

export type Live = 'connecting' | 'live' | 'reconnecting';

export interface Picture {
  api: Api;
  party: string;
  status: Status | undefined;
  roster: Party[];
  catalogue: Record<string, Record<string, unknown>>;
  entries: EntryView[];
  byId: Map<string, EntryView>;
  obligations: Obligation[] | undefined;
  findings: Finding[] | undefined;
  /** Why a part of the picture could not be read (e.g. a node without the regimes' routes). */
  problems: Record<string, string>;
  live: Live;
  loadedAt: number | undefined;
  /**
   * The instant an analyst is looking at the record as of (epoch ms), or undefined for live:
   * entries after it are hidden, and obligations and findings are the regimes' verdicts then.
   */
  asOf: number | undefined;
  /** The role of the token signed in with (undefined until known, or from a node that does not say). */
  role: OperatorSession['role'] | undefined;
  /** Whether this token may sign and send (officer); true until the node says otherwise. */
  canSend: boolean;
  setAsOf: (t: number | undefined) => void;
  refresh: () => void;
  signOut: () => void;
}

const PictureContext = createContext<Picture | undefined>(undefined);

export function usePicture(): Picture {
  const p = useContext(PictureContext);
  if (!p) throw new Error('usePicture outside <RecordProvider>');
  return p;
}

/** Event names the node's stream may use; each one means "the record or its meaning changed". */
const EVENT_NAMES = ['entry', 'entries', 'append', 'accept', 'receipt', 'status', 'link', 'alarm', 'alert', 'obligation', 'finding', 'hotline'];

export function RecordProvider(props: { token: string; status: Status; onSignOut: () => void; children: ReactNode }) {
  const api = useMemo(() => new Api(props.token), [props.token]);
  const [status, setStatus] = useState<Status>(props.status);
  const [roster, setRoster] = useState<Party[]>([]);
  const [catalogue, setCatalogue] = useState<Record<string, Record<string, unknown>>>({});
  const [entries, setEntries] = useState<EntryView[]>([]);
  const [obligations, setObligations] = useState<Obligation[] | undefined>(undefined);
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [live, setLive] = useState<Live>('connecting');
  const [loadedAt, setLoadedAt] = useState<number | undefined>(undefined);
  const [revision, setRevision] = useState(0);
  // "As of" lives in the address (`/console/?at=2022-02-12T12:00:00Z#/findings`): a reload or a
  // shared link reads the record as of the same instant, whichever section it opens.
  const [asOf, setAsOfState] = useState<number | undefined>(asOfFromAddress);
  const setAsOf = useCallback((t: number | undefined) => {
    setAsOfState(t);
    const url = new URL(window.location.href);
    if (t === undefined) url.searchParams.delete('at');
    else url.searchParams.set('at', new Date(t).toISOString());
    history.replaceState(history.state, '', url);
  }, []);
  const [session, setSession] = useState<OperatorSession | undefined>(undefined);
  useEffect(() => {
    api.session().then(setSession, () => setSession(undefined));
  }, [api]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Entries are immutable once held: each refresh reads only those stored after the cursor.
  const cursor = useRef<number | undefined>(undefined);
  const entriesRef = useRef<EntryView[]>([]);

  // Bursts of events (a batch of fifty entries) become one refresh a quarter second later.
  const refresh = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setRevision((r) => r + 1);
    }, 250);
  }, []);

  useEffect(() => {
    let cancelled = false;
    const problems: Record<string, string> = {};
    const note = (part: string) => (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) props.onSignOut();
      // A route this node does not have (a node without a regime) is not a problem to report; the panel says so.
      if (e instanceof ApiError && e.status === 404) return undefined;
      problems[part] = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
      return undefined;
    };
    void Promise.all([
      api.status().catch(note('status')),
      api.roster().catch(note('roster')),
      revision === 0 ? api.catalogue().catch(note('catalogue')) : Promise.resolve(undefined),
      api.entriesSince(cursor.current).catch(note('entries')),
      api.obligations(asOf).catch(note('obligations')),
      api.findings(asOf).catch(note('findings')),
    ]).then(([s, r, c, e, o, f]) => {
      if (cancelled) return;
      if (s) setStatus(s);
      if (r) setRoster(r);
      if (c) setCatalogue(c);
      if (e && e.entries.length > 0) {
        const known = new Set(entriesRef.current.map((x) => x.id));
        const fresh = e.entries.filter((x) => !known.has(x.id));
        entriesRef.current = [...entriesRef.current, ...fresh];
        setEntries(entriesRef.current);
      }
      if (e) cursor.current = e.next;
      setObligations(o);
      setFindings(f);
      setProblems(problems);
      setLoadedAt(Date.now());
    });
    return () => {
      cancelled = true;
    };
  }, [api, revision, asOf]);

  useEffect(() => {
    // The token never goes in a URL: each (re)connection asks for a single-use ticket first.
    let source: EventSource | undefined;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (ev: MessageEvent) => {
      setLive('live');
      if (ev.type === 'ping' || ev.type === 'hello' || ev.type === 'ready') return;
      refresh();
    };
    const connect = async () => {
      if (stopped) return;
      try {
        const { ticket } = await api.eventTicket();
        if (stopped) return;
        source = new EventSource(`/api/v1/events?ticket=${encodeURIComponent(ticket)}`);
      } catch {
        setLive('reconnecting');
        retry = setTimeout(() => void connect(), 2000);
        return;
      }
      source.onopen = () => {
        setLive('live');
        refresh(); // what was committed while the stream was away
      };
      source.onerror = () => {
        setLive('reconnecting');
        // The ticket was used: a closed stream comes back with a new one, not by itself.
        if (source?.readyState === EventSource.CLOSED || source?.readyState === EventSource.CONNECTING) {
          source.close();
          retry = setTimeout(() => void connect(), 2000);
        }
      };
      source.onmessage = onEvent;
      for (const name of [...EVENT_NAMES, 'ping', 'hello', 'ready']) source.addEventListener(name, onEvent as EventListener);
    };
    void connect();
    // A poll every 30 s keeps the picture honest if the stream cannot come back.
    const poll = setInterval(refresh, 30_000);
    return () => {
      stopped = true;
      source?.close();
      if (retry) clearTimeout(retry);
      clearInterval(poll);
    };
  }, [api, refresh]);

  const byId = useMemo(() => new Map(entries.map((e) => [e.id, e])), [entries]);
  const shown = useMemo(() => (asOf === undefined ? entries : entries.filter((e) => Date.parse(e.time) <= asOf)), [entries, asOf]);

  const picture: Picture = {
    api,
    party: status.party,
    status,
    roster,
    catalogue,
    entries: shown,
    byId,
    obligations,
    findings,
    problems,
    live,
    loadedAt,
    asOf,
    role: session?.role,
    canSend: session ? session.can.send : true,
    setAsOf,
    refresh,
    signOut: props.onSignOut,
  };
  return <PictureContext.Provider value={picture}>{props.children}</PictureContext.Provider>;
}

function asOfFromAddress(): number | undefined {
  const at = new URLSearchParams(window.location.search).get('at');
  if (!at) return undefined;
  const r = readUtc(at);
  return r.ok ? r.ms : undefined;
}

/** The instant the console reasons about: the analyst's "as of", or now (ticking every second). */
export function useClock(): number {
  const p = usePicture();
  const now = useNow(1000);
  return p.asOf ?? now;
}
