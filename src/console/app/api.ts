/**
 * The console's one door to its node: the operator API under /api/v1, with the operator's bearer
 * token. Every refusal arrives as `{"error":{"code","message","detail"}}` and becomes an ApiError,
 * so a page shows the node's own words (and code, and schema path) rather than inventing its own.
 */
import type { Encounter, EncountersLive, EntryList, EntryView, Finding, HotlineView, Incident, MissilesSites, MissilesVisits, Obligation, OperatorSession, Party, Status, TalksDivergence, TalksMeeting, TalksStatement, ZonesMap } from '../../wire/types';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
  /** The JSON Pointer into the body that a schema refusal names (`/troops`), if any. */
  get path(): string | undefined {
    const p = this.detail?.path;
    return typeof p === 'string' ? p : undefined;
  }
}

export class Api {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }

  async request<T>(path: string, init: { method?: string; body?: unknown; raw?: boolean } = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: 'application/json',
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (e) {
      throw new ApiError(0, 'PARLEY_ERR_UNAVAILABLE', `The node cannot be reached (${(e as Error).message}). Nothing was sent; try again when the link is back.`);
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy or a crashed node can answer with HTML; the status still says what happened.
    }
    if (!response.ok) {
      const err = (json as { error?: { code?: string; message?: string; detail?: Record<string, unknown> } } | undefined)?.error;
      throw new ApiError(response.status, err?.code ?? `HTTP_${response.status}`, err?.message ?? `The node answered ${response.status} ${response.statusText}.`, err?.detail);
    }
    return (init.raw ? text : json) as T;
  }

  /** This node's party and the role of this token; undefined from a node that does not say. */
  session(): Promise<OperatorSession | undefined> {
    return this.request<OperatorSession>('/api/v1/session').catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    });
  }

  status(): Promise<Status> {
    return this.request<Status>('/api/v1/status');
  }

  roster(): Promise<Party[]> {
    return this.request<unknown>('/api/v1/roster').then((r) => listOf<Party>(r, 'parties', 'roster'));
  }

  catalogue(): Promise<Record<string, Record<string, unknown>>> {
    return this.request<unknown>('/api/v1/catalogue').then((r) => {
      const o = r as Record<string, unknown>;
      const inner = o && typeof o === 'object' && 'types' in o && typeof o.types === 'object' && !Array.isArray(o.types) ? o.types : o;
      return inner as Record<string, Record<string, unknown>>;
    });
  }

  /** One page of the record, in the node's order. */
  /** A single-use ticket for the event stream (EventSource cannot send the token, and the token never goes in a URL). */
  eventTicket(): Promise<{ ticket: string; expiresAt: string }> {
    return this.request('/api/v1/events/ticket', { method: 'POST' });
  }

  async entries(query: { author?: string; type?: string; after?: number; limit?: number } = {}): Promise<EntryList> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
    return this.request<EntryList>(`/api/v1/entries${qs.size ? `?${qs}` : ''}`);
  }

  /**
   * The record this node holds (every author) from local position `after` on, page by page, and
   * the cursor to continue from. Entries never change once held, so the console reads each once.
   */
  async entriesSince(after: number | undefined): Promise<{ entries: EntryView[]; next: number | undefined }> {
    const out: EntryView[] = [];
    let cursor = after;
    const limit = 1000;
    for (;;) {
      const page: EntryList = await this.entries({ after: cursor, limit });
      out.push(...page.entries);
      const next: number | undefined = page.next ?? page.entries[page.entries.length - 1]?.pos ?? cursor;
      if (page.entries.length < limit || next === cursor) return { entries: out, next };
      cursor = next;
    }
  }

  entry(id: string): Promise<EntryView> {
    return this.request<unknown>(`/api/v1/entries/${encodeURIComponent(id)}`).then((r) => {
      const o = r as { entry?: EntryView };
      return (o && typeof o === 'object' && o.entry ? o.entry : r) as EntryView;
    });
  }

  append(input: { type: string; to: string[]; refs: string[]; body: unknown }): Promise<{ id: string; seq: number }> {
    return this.request('/api/v1/entries', { method: 'POST', body: input });
  }

  /** What the regimes would find if this entry were signed now (nothing is signed or sent). */
  preview(input: { type: string; to: string[]; refs: string[]; body: unknown }): Promise<{ at: string; findings: Finding[]; obligations: Obligation[] }> {
    return this.request('/api/v1/entries/preview', { method: 'POST', body: input });
  }

  /** The proof bundle exactly as the node wrote it (text), so a download is byte for byte the node's. */
  proof(id: string): Promise<string> {
    return this.request<string>(`/api/v1/entries/${encodeURIComponent(id)}/proof`, { raw: true });
  }

  checkProof(bundle: unknown): Promise<Record<string, unknown>> {
    return this.request('/api/v1/proofs/check', { method: 'POST', body: bundle });
  }

  verify(): Promise<Record<string, unknown>> {
    return this.request('/api/v1/verify');
  }

  /** The hotline runtime's picture: the agreement's terms, and each message's deadline per addressee. */
  hotline(): Promise<HotlineView> {
    return this.request<HotlineView>('/api/v1/hotline');
  }

  /** The talks record: the meetings held, by time, with their readouts, statements and commitments. */
  talks(): Promise<TalksMeeting[]> {
    return this.request<unknown>('/api/v1/talks').then((r) => listOf<TalksMeeting>(r, 'meetings'));
  }

  /** The joint statements held, with who has endorsed that exact text. */
  /** The frontier zones in force as of `at` (epoch ms; default the node's now), with areas, posts, reports and restrictions. */
  zonesMap(at?: number): Promise<ZonesMap> {
    return this.request<ZonesMap>(`/api/v1/zones/map${atQuery(at)}`);
  }

  talksStatements(): Promise<TalksStatement[]> {
    return this.request<unknown>('/api/v1/talks/statements').then((r) => listOf<TalksStatement>(r, 'statements'));
  }

  /** The divergence report of a meeting's readouts, as this node computes it from what it holds. */
  talksCompare(meeting: string): Promise<TalksDivergence> {
    return this.request<TalksDivergence>(`/api/v1/talks/${encodeURIComponent(meeting)}/compare`);
  }

  /** Incident reports held, with their replies. */
  incidents(): Promise<Incident[]> {
    return this.request<unknown>('/api/v1/incidents').then((r) => listOf<Incident>(r, 'incidents'));
  }

  /** Close encounters in the shared tracks held, as the incidents regime finds them. */
  encounters(): Promise<Encounter[]> {
    return this.request<unknown>('/api/v1/encounters').then((r) => listOf<Encounter>(r, 'encounters'));
  }

  /** The encounter watch: raised alarms and each unit's latest fix. */
  encountersLive(): Promise<EncountersLive> {
    return this.request<EncountersLive>('/api/v1/encounters/live');
  }

  /** The missile commitments in force and each party's declared sites, as of `at` (epoch ms; default now). */
  missilesSites(at?: number): Promise<MissilesSites> {
    return this.request<MissilesSites>(`/api/v1/missiles/sites${atQuery(at)}`);
  }

  /** Each party's transparency visits, from request to the host's answer to the report, and quota use; as of `at`. */
  missilesVisits(at?: number): Promise<MissilesVisits> {
    return this.request<MissilesVisits>(`/api/v1/missiles/visits${atQuery(at)}`);
  }

  /** The regimes' obligations as of `at` (epoch ms; default the node's now). */
  obligations(at?: number): Promise<Obligation[]> {
    return this.request<unknown>(`/api/v1/obligations${atQuery(at)}`).then((r) => listOf<Obligation>(r, 'obligations'));
  }

  /** The regimes' findings as of `at` (epoch ms; default the node's now). */
  findings(at?: number): Promise<Finding[]> {
    return this.request<unknown>(`/api/v1/findings${atQuery(at)}`).then((r) => listOf<Finding>(r, 'findings'));
  }
}

const atQuery = (at: number | undefined) => (at === undefined ? '' : `?at=${encodeURIComponent(new Date(at).toISOString())}`);

/** Lists arrive bare or wrapped (`{"entries": […]}`); the console accepts both. */
function listOf<T>(r: unknown, ...keys: string[]): T[] {
  if (Array.isArray(r)) return r as T[];
  if (r && typeof r === 'object') {
    for (const k of keys) {
      const v = (r as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
