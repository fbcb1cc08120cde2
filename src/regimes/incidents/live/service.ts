/**
 * The incidents regime's live service: the encounter watch (watch.ts) raising `incidents.encounter`
 * alarms on every new tracks batch, and its operator routes:
 *
 * - `GET /api/v1/incidents`: the incident reports held, with their replies;
 * - `GET /api/v1/encounters?from&to`: the close encounters in the tracks held (what the regime finds);
 * - `GET /api/v1/encounters/live`: the raised encounter alarms and the units watched.
 *
 * Settings: config.json's `incidents` object — `webhook` (a URL or {url, secret}: every alarm change
 * is POSTed there, as the hotline's), `horizonSeconds` (default 600: how far ahead to predict),
 * `staleSeconds` (default 300: a unit whose latest fix is older than this behind the newest, or
 * of which this node has taken no fix for that long, is no longer predicted).
 */
import type { FastifyInstance } from 'fastify';
import { READERS } from '../../../http/auth.js';
import type { ApiDocument } from '../../../http/openapi.js';
import type { Ledger, LedgerEntry } from '../../../ledger/ledger.js';
import { isPlainObject } from '../../../protocol/bytes.js';
import { ParleyError } from '../../../protocol/errors.js';
import { parseInstant } from '../../../protocol/time.js';
import { recordOf } from '../../monitor.js';
import type { LiveService, ServiceDeps, StatusView } from '../../module.js';
import type { RecordEntry } from '../../types.js';
import { Webhook } from '../../hotline/live/webhook.js';
import type { ResolvedIncidentsTerms } from '../rules.js';
import { TRACKS } from '../schemas.js';
import type { TracksBody } from '../tracks.js';
import { encountersHeld, incidentsList } from '../views.js';
import { EncounterWatch, type EncounterAlarm } from './watch.js';

export interface IncidentsConfig {
  webhook?: string | { url: string; secret?: string };
  horizonSeconds?: number;
  staleSeconds?: number;
}

const bad = (field: string, why: string) => new ParleyError('PARLEY_ERR_NODE_DIR', `config.json incidents.${field} ${why}; fix config.json and start the node again (nothing was changed)`);

export function incidentsSettings(config: unknown, overrides: IncidentsConfig = {}): { webhook?: { url: string; secret?: string }; horizonMs: number; staleMs: number } {
  if (config !== undefined && !isPlainObject(config)) throw bad('', 'must be an object');
  const c = { ...(config as IncidentsConfig | undefined), ...overrides };
  const seconds = (v: unknown, field: string, dflt: number): number => {
    if (v === undefined) return dflt * 1000;
    if (typeof v !== 'number' || !(v > 0 && v <= 86_400)) throw bad(field, `is ${JSON.stringify(v)}, not a number of seconds from 1 to 86400`);
    return v * 1000;
  };
  let webhook: { url: string; secret?: string } | undefined;
  if (c.webhook !== undefined && c.webhook !== '') {
    const spec = typeof c.webhook === 'string' ? { url: c.webhook } : c.webhook;
    if (!isPlainObject(spec) || typeof spec.url !== 'string' || !/^https?:\/\//.test(spec.url)) throw bad('webhook', 'must be an http(s) URL or {"url", "secret"}');
    webhook = { url: new URL(spec.url).toString(), ...(typeof spec.secret === 'string' && spec.secret ? { secret: spec.secret } : {}) };
  }
  return { webhook, horizonMs: seconds(c.horizonSeconds, 'horizonSeconds', 600), staleMs: seconds(c.staleSeconds, 'staleSeconds', 300) };
}

/** Store meta: the encounter alarms raised (JSON), so that a restart does not page again for them. */
const ALARMS_META = 'incidents:alarms';

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const unit = { type: 'object', properties: { party: str, unit: str, kind: str } } as const;

export const encounterSchema = {
  type: 'object',
  properties: {
    a: unit,
    b: unit,
    domain: str,
    tcpa: { type: 'string', description: 'The instant of closest approach.' },
    dcpaMetres: num,
    verticalMetres: { type: 'number', description: 'Altitude of b minus altitude of a at the closest approach.' },
    from: { type: 'string', description: 'When the pair came within the thresholds: the episode began (each episode is listed once, however many hours it spans).' },
    to: { type: 'string', description: 'When it left them, or, if ongoing, the last instant read.' },
    ongoing: { type: 'boolean', description: 'Still within the thresholds at the last fixes read: the episode may go on.' },
    at: { type: 'string', description: 'When the record showed it: the latest header time of the evidence.' },
    thresholds: { type: 'object', properties: { horizontalMetres: num, verticalMetres: { type: ['number', 'null'] } } },
    evidence: { type: 'array', items: str },
  },
} as const;

export const encounterAlarmSchema = {
  type: 'object',
  description: 'A predicted close encounter (`incidents.encounter`): two units of different parties dead-reckoned within the agreed thresholds within the horizon. Cleared when no longer predicted.',
  required: ['id', 'kind', 'state', 'severity', 'party', 'message', 'since', 'at'],
  properties: {
    id: { type: 'string', description: 'encounter:PARTY/UNIT:PARTY/UNIT' },
    kind: { type: 'string', enum: ['incidents.encounter'] },
    state: { type: 'string', enum: ['raised', 'cleared'] },
    severity: { type: 'string', enum: ['critical', 'warning'] },
    party: str,
    message: str,
    since: str,
    at: str,
    a: unit,
    b: unit,
    tcpa: str,
    tcpaSeconds: num,
    dcpaMetres: num,
    verticalMetres: num,
    evidence: { type: 'array', items: str },
    draft: {
      type: 'object',
      description: 'A flash hotline message to the other party, ready to send as it is.',
      properties: {
        type: str,
        to: { type: 'array', items: str },
        body: { type: 'object', properties: { priority: str, subject: str, text: str, language: str } },
      },
    },
  },
} as const;

const positionSchema = {
  type: 'object',
  properties: { party: str, unit: str, kind: str, t: str, lat: num, lon: num, alt: num, speed: num, course: num, entry: str },
} as const;

const incidentSchema = {
  type: 'object',
  properties: {
    id: str,
    author: str,
    reported: str,
    at: str,
    position: { type: 'object', properties: { lat: num, lon: num } },
    region: str,
    units: { type: 'array', items: { type: 'object', properties: { party: str, kind: str, id: str, name: str } } },
    categories: { type: 'array', items: str },
    closestMetres: num,
    narrative: str,
    replies: { type: 'array', items: { type: 'object', properties: { party: str, id: str, stance: str } } },
    consultations: { type: 'array', items: str },
  },
} as const;

async function heldEntries(ledger: Ledger): Promise<RecordEntry[]> {
  const out: RecordEntry[] = [];
  for await (const e of ledger.all()) out.push(recordOf(e));
  return out;
}

export class IncidentsRuntime {
  readonly watch: EncounterWatch;
  readonly #deps: ServiceDeps;
  readonly #webhook: Webhook | undefined;
  readonly #staleMs: number;
  #unsubscribe: (() => void) | undefined;
  #tick: NodeJS.Timeout | undefined;
  /** Alarms paged before a restart (store meta), by id: raised again silently; those gone by now announced cleared. */
  #notified = new Map<string, EncounterAlarm>();
  #persisting: Promise<void> = Promise.resolve();

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
    const s = incidentsSettings(deps.config, (deps.overrides ?? {}) as IncidentsConfig);
    this.#staleMs = s.staleMs;
    this.#webhook = s.webhook ? new Webhook({ url: s.webhook.url, secret: s.webhook.secret, attempts: 5, timeoutMs: 5000, retryMs: 500 }, deps.log) : undefined;
    this.watch = new EncounterWatch(
      deps.ledger.party,
      { horizonMs: s.horizonMs, staleMs: s.staleMs },
      (a, b, t) => deps.monitor.terms<ResolvedIncidentsTerms>('incidents', [a, b], t).thresholds,
      (alarm) => this.#announce(alarm),
    );
  }

  async start(): Promise<void> {
    try {
      const raw = await this.#deps.ledger.meta(ALARMS_META);
      for (const a of raw ? (JSON.parse(raw) as EncounterAlarm[]) : []) this.#notified.set(a.id, a);
    } catch (err) {
      this.#deps.log.warn({ err }, 'could not read the encounter alarms raised before the restart');
    }
    // Follow commits first, then read what is held: a batch committed meanwhile is taken twice, harmlessly.
    this.#unsubscribe = this.#deps.ledger.onCommit((entries) => this.#onCommit(entries));
    let any = false;
    for await (const e of this.#deps.ledger.all()) if (e.type === TRACKS && e.body) any = this.watch.add(e.id, e.author, e.body as unknown as TracksBody) || any;
    if (any) this.watch.predict(Date.now());
    // What was paged before the restart and is no longer predicted: announced cleared, once.
    const now = new Date().toISOString();
    for (const a of this.#notified.values()) this.#announce({ ...a, state: 'cleared', at: now, message: `${a.a.party} ${a.a.unit} and ${a.b.party} ${a.b.unit} no longer predicted within the thresholds (after a restart)` });
    this.#notified.clear();
    this.#persist();
    // A feed that stops: its units are forgotten after the stale time, and their alarms clear.
    this.#tick = setInterval(() => this.watch.expire(Date.now()), Math.min(5000, this.#staleMs / 4));
    this.#tick.unref?.();
  }

  async stop(): Promise<void> {
    if (this.#tick) clearInterval(this.#tick);
    this.#unsubscribe?.();
    await this.#persisting;
    await this.#webhook?.close(1000);
  }

  decorate(status: StatusView): StatusView {
    return { ...status, alerts: [...status.alerts, ...this.watch.alarms()] };
  }

  #onCommit(entries: readonly LedgerEntry[]): void {
    let any = false;
    for (const e of entries) if (e.type === TRACKS && e.body) any = this.watch.add(e.id, e.author, e.body as unknown as TracksBody) || any;
    if (!any) return;
    try {
      this.watch.predict(Date.now());
    } catch (err) {
      this.#deps.log.warn({ err }, 'encounter prediction failed');
    }
  }

  /** Writes the raised alarms to store meta after this change, one write at a time (the latest state wins). */
  #persist(): void {
    this.#persisting = this.#persisting
      .then(async () => {
        const raised = JSON.stringify([...this.watch.alarms(), ...this.#notified.values()]);
        if (((await this.#deps.ledger.meta(ALARMS_META)) ?? '[]') !== raised) await this.#deps.ledger.saveMeta({ [ALARMS_META]: raised });
      })
      .catch((err: unknown) => this.#deps.log.warn({ err }, 'could not write the raised encounter alarms'));
  }

  #announce(alarm: EncounterAlarm): void {
    // Raised again after a restart: it was paged already; not again.
    if (alarm.state === 'raised' && this.#notified.delete(alarm.id)) {
      this.#persist();
      return;
    }
    this.#persist();
    const line = { alarm: alarm.id, kind: alarm.kind, state: alarm.state, party: alarm.party };
    if (alarm.state === 'raised') this.#deps.log.warn(line, alarm.message);
    else this.#deps.log.info(line, alarm.message);
    this.#deps.publish('alarm', alarm);
    this.#webhook?.post({ type: 'parley.alarm', node: this.#deps.ledger.party, alarm });
  }
}

export function incidentsRoutes(api: FastifyInstance, runtime: IncidentsRuntime, ledger: Ledger, doc: ApiDocument): void {
  const query = { type: 'object', additionalProperties: false, properties: { token: str } } as const;
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/incidents',
    tag: 'operator',
    summary: 'Incident reports held, by incident time: units, categories, closest distance, narrative, the replies and requests for consultations about each',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Reports.', schema: { type: 'array', items: incidentSchema } } },
    handler: async () => incidentsList(await heldEntries(ledger)),
  });
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/encounters',
    tag: 'operator',
    summary: 'Close encounters in the shared tracks held (the incidents regime\'s findings, with their figures): pairs of units of different parties, closest approach within [from, to]',
    roles: READERS,
    querystring: { type: 'object', additionalProperties: false, properties: { token: str, from: { type: 'string', description: 'RFC 3339 with a zone, or a date.' }, to: { type: 'string', description: 'RFC 3339 with a zone, or a date.' } } },
    responses: { 200: { description: 'Encounter episodes, by instant of closest approach; byte-identical at every node holding the same tracks.', schema: { type: 'array', items: encounterSchema } } },
    handler: async (request) => {
      const q = request.query as { from?: string; to?: string };
      const from = q.from === undefined ? -Infinity : parseInstant(q.from, 'from');
      const to = q.to === undefined ? Infinity : parseInstant(q.to, 'to');
      return encountersHeld(await heldEntries(ledger), from, to);
    },
  });
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/encounters/live',
    tag: 'operator',
    summary: 'Predicted close encounters now: the raised incidents.encounter alarms, and each unit\'s latest fix',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'The watch.', schema: { type: 'object', properties: { units: { type: 'integer' }, alarms: { type: 'array', items: encounterAlarmSchema }, positions: { type: 'array', items: positionSchema } } } } },
    handler: async () => ({ units: runtime.watch.units(), alarms: runtime.watch.alarms(), positions: runtime.watch.positions() }),
  });
}

export interface IncidentsService extends LiveService {
  readonly runtime: IncidentsRuntime;
}

export function incidentsService(deps: ServiceDeps): IncidentsService {
  const runtime = new IncidentsRuntime(deps);
  return {
    runtime,
    events: ['alarm'],
    status: { alarm: encounterAlarmSchema },
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    decorate: (status) => runtime.decorate(status),
    routes: (api, doc) => incidentsRoutes(api, runtime, deps.ledger, doc),
  };
}
