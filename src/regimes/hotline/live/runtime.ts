/**
 * The hotline inside a running node: alarms on the sender's side, link health per peer, and the
 * link-test schedule.
 *
 * - **Link alarm** (`hotline.link`, one per peer): an own hotline entry (message, ack or link
 *   test) addressed to a peer has had no machine receipt from it for `receiptAlarmSeconds`
 *   (default 10 s). Cleared when the peer has receipted everything older than that.
 * - **Escalation alarm** (`hotline.escalation`, one per message and addressee): an addressee has
 *   not acknowledged a message by its deadline — the node's regime monitor's obligation of rule
 *   `hotline.ack.*` turned `missed` (the very obligations behind the findings, with the terms of
 *   the agreement in the record binding sender and addressee). Raised at the sender for its
 *   addressees and at an addressee for its own duty officer; cleared when it is met.
 * - Every alarm change (raised, cleared) goes to the event stream (`alarm` events), to the
 *   webhook if one is configured, and raised alarms are in `status.alerts`. The ids of raised
 *   alarms are kept in store meta, so a restart does not page again for what was already paged.
 * - **One pager per party**: on a store shared by several processes of the node (PostgreSQL),
 *   every process raises and clears the alarms (status, event stream), but only the one holding
 *   the store's `hotline:pager` lock calls the webhook and keeps the paged ids in store meta. When
 *   it dies, another takes the lock within a tick and pages only what the paged ids do not show
 *   as paged (and, after `receiptAlarmSeconds`, the clearing of what was paged and is gone).
 * - **Link health** per peer: `down` (link alarm on, or the federation cannot reach it),
 *   `degraded` (a receipt slower than `degradedRttMs`, or the peer's link tests overdue by half an
 *   interval), `up`, or `unknown`; with the last round trip (own entry committed → its receipt
 *   held here).
 * - **Link tests**: a `link.test` to every party every interval of the agreement binding this
 *   party (hourly by default), continuing the schedule from this node's last one across restarts;
 *   a fresh node sends its first after one interval.
 */
import { debtorsOf } from '../evaluators.js';
import type { HotlineMessage } from '../schemas.js';
import type { Priority, ResolvedTerms } from '../rules.js';
import type { RegimeView, ServiceAlarm, StatusView } from '../../module.js';
import type { Obligation, ObligationStatus, RecordEntry, RegimeChanges } from '../../types.js';
import type { Ledger, LedgerEntry } from '../../../ledger/ledger.js';
import type { Federation, LinkState, Logger } from '../../../federation/federation.js';
import { silentLogger } from '../../../federation/link.js';
import { formatTime } from '../../../protocol/entry.js';
import type { HotlineSettings } from './config.js';
import { Webhook } from './webhook.js';

export type AlarmKind = 'hotline.link' | 'hotline.escalation';

/**
 * A service alarm (module.ts) whose id is `link:PEER` or `escalation:MESSAGE-ID:PARTY`, whose party
 * is the peer whose link is failing or the party that owes the acknowledgement, and whose `since`
 * is when the receipt became overdue or the deadline passed.
 */
export interface HotlineAlarm extends ServiceAlarm {
  kind: AlarmKind;
  /** The message not acknowledged, or the oldest own entry without the peer's receipt. */
  entry?: string;
  priority?: Priority;
  due?: string;
}

export type Health = 'up' | 'degraded' | 'down' | 'unknown';

export interface PeerHealth {
  party: string;
  health: Health;
  /** The federation's view of the link (is the peer answering pushes). */
  link: LinkState;
  /** Last round trip: an own hotline entry committed here → the peer's receipt of it held here. */
  rttMs: number | null;
  rttAt: string | null;
  /** Own hotline entries (messages, acks, link tests) the peer has not receipted yet. */
  awaitingReceipt: number;
  oldestAwaitingSince: string | null;
  /** Header time of the peer's latest link test held here. */
  lastLinkTest: string | null;
  /** Why the health is not `up`. */
  reasons: string[];
}

export interface AddresseeView {
  party: string;
  /** The acknowledgement obligation, from the hotline regime (null for a message to "*"). */
  status: ObligationStatus | null;
  due: string | null;
  /** The acknowledgement that met the obligation (on time or late). */
  ack: { id: string; time: string } | null;
  /** Outgoing only: the peer's node has receipted it (and when this node learnt it, if it saw it happen). */
  received: boolean | null;
  receivedAt: string | null;
}

export interface MessageView {
  id: string;
  author: string;
  seq: number;
  time: string;
  direction: 'in' | 'out';
  to: string[];
  priority: Priority;
  subject: string;
  text: string;
  language: string;
  translation?: { language: string; text: string };
  addressees: AddresseeView[];
}

/** `GET /api/v1/hotline`: what `parley hotline watch` and the console show. */
export interface HotlineView {
  party: string;
  now: string;
  /** The hotline terms binding this party alone now (the agreement in the record naming it adopted last, or the defaults); a pair's may differ — each addressee's `due` is its own. */
  agreement: { ackSeconds: Record<Priority, number>; linkTestIntervalSeconds: number; missedLinkTestIntervals: number; receiptAlarmSeconds: number };
  peers: PeerHealth[];
  alarms: HotlineAlarm[];
  /** Newest first, at most VIEW_MESSAGES. */
  messages: MessageView[];
}

export type HotlineStatus<S extends StatusView = StatusView> = S & { linkHealth: PeerHealth[] };

export interface HotlineRuntimeOptions {
  ledger: Ledger;
  federation: Federation;
  /** The node's regimes: the acknowledgement obligations and the terms in force. */
  monitor: RegimeView;
  settings: HotlineSettings;
  /** The node's event stream. */
  publish: (event: string, data: unknown) => void;
  log?: Logger;
}

/** Messages kept for the view (the newest). */
const VIEW_MESSAGES = 200;
const ALARMS_META = 'hotline:alarms';
/** The lock, on a shared store, of the one process of the node that pages. */
const PAGER_LOCK = 'hotline:pager';
const TRACKED_TYPES = new Set(['hotline.message', 'hotline.ack', 'link.test']);
const ACK_RULES = 'hotline.ack.';

interface Tracked {
  entry: RecordEntry;
  receivedAt: Map<string, number>;
}

interface Awaiting {
  seq: number;
  id: string;
  type: string;
  /** When it was committed here (or its header time, for entries from before this start). */
  sentAt: number;
  live: boolean;
}

export class HotlineRuntime {
  readonly #ledger: Ledger;
  readonly #federation: Federation;
  readonly #s: HotlineSettings;
  readonly #publish: (event: string, data: unknown) => void;
  readonly #log: Logger;
  readonly #party: string;
  readonly #monitor: RegimeView;
  readonly #webhook: Webhook | undefined;

  readonly #messages = new Map<string, Tracked>();
  readonly #ring: string[] = [];
  /** The acknowledgement obligations of every message, by message id and debtor, as the regime monitor states them. */
  readonly #acks = new Map<string, Map<string, Obligation>>();
  #linkTestIntervalMs = 0;
  readonly #awaiting = new Map<string, Awaiting[]>();
  readonly #delivered = new Map<string, number>();
  readonly #rtt = new Map<string, { ms: number; at: number }>();
  readonly #lastLinkTest = new Map<string, number>();
  readonly #links = new Map<string, LinkState>();
  readonly #health = new Map<string, Health>();
  readonly #alarms = new Map<string, HotlineAlarm>();
  /** Alarms raised before a restart (store meta): raised again silently; cleared ones announced. */
  #notified = new Set<string>();
  #lastOwnLinkTest: number | undefined;
  #linkTestN = 0;
  #startedAt = 0;
  #reconciled = false;
  /** When the alarms paged before (`#notified`) and not raised again are announced cleared. */
  #reconcileAt = 0;
  /** This process pages (calls the webhook, keeps the paged ids): always on a store of one process; on a shared store, while it holds PAGER_LOCK. */
  #pager = true;
  #claimingPager = false;
  #tick: NodeJS.Timeout | undefined;
  #linkTestTimer: NodeJS.Timeout | undefined;
  #persistTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void)[] = [];
  #started = false;
  #stopped = false;

  constructor(options: HotlineRuntimeOptions) {
    this.#ledger = options.ledger;
    this.#federation = options.federation;
    this.#s = options.settings;
    this.#publish = options.publish;
    this.#log = options.log ?? silentLogger;
    this.#party = options.ledger.party;
    this.#monitor = options.monitor;
    const w = options.settings.webhook;
    this.#webhook = w ? new Webhook({ url: w.url, secret: w.secret, attempts: this.#s.webhookAttempts, timeoutMs: this.#s.webhookTimeoutMs, retryMs: this.#s.webhookRetryMs }, this.#log) : undefined;
  }

  get settings(): HotlineSettings {
    return this.#s;
  }

  /** Reads what the ledger holds, then follows every commit. Call after the federation started (its receipt positions are read). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#startedAt = this.#now();
    this.#reconcileAt = this.#startedAt + this.#s.receiptAlarmMs;
    this.#notified = await this.#pagedIds();
    const shared = this.#ledger.shared;
    if (shared) {
      this.#pager = await shared.tryLock(PAGER_LOCK).catch(() => false);
      this.#unsubscribe.push(shared.onLost(() => (this.#pager = false)));
    }
    for (const p of this.#federation.status().peers) {
      this.#delivered.set(p.party, p.delivered);
      this.#links.set(p.party, p.link);
    }
    this.#unsubscribe.push(this.#ledger.onCommit((entries) => this.#onCommit(entries)));
    this.#unsubscribe.push(
      this.#federation.on((e) => {
        // A stolen signing key is a pager matter: the federation's key-compromise alert goes to the webhook too.
        if (e.kind === 'alert' && e.alert.kind === 'key-compromise') this.#webhook?.post({ type: 'parley.alert', node: this.#party, alert: e.alert });
        if (e.kind !== 'link') return;
        this.#links.set(e.party, e.link);
        this.#refreshHealth();
      }),
    );
    const t0 = performance.now();
    await this.#load();
    // The state the monitor's changes start from, then the changes.
    this.#onObligations(this.#monitor.report(this.#now()).obligations, []);
    this.#unsubscribe.push(this.#monitor.onChange((c) => this.#onRegimeChanges(c)));
    this.#log.info({ ms: Math.round(performance.now() - t0), acknowledgements: this.#acks.size }, 'hotline state read from the ledger');
    const every = Math.max(50, Math.min(1000, Math.floor(this.#s.receiptAlarmMs / 4)));
    this.#tick = setInterval(() => this.#onTick(), every);
    this.#tick.unref?.();
    this.#onTick();
    if (this.#s.linkTests) this.#scheduleLinkTest();
  }

  /** Stops timers and the webhook (deliveries in flight get up to `graceMs`); writes the raised alarms. */
  async stop(graceMs = 1000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const u of this.#unsubscribe) u();
    for (const t of [this.#tick, this.#linkTestTimer, this.#persistTimer]) if (t) clearTimeout(t);
    try {
      await this.#persistAlarms();
    } catch (err) {
      this.#log.warn({ err }, 'could not write the raised hotline alarms');
    }
    await this.#webhook?.close(graceMs);
    // Another process of the node pages from now on.
    if (this.#ledger.shared && this.#pager) await this.#ledger.shared.unlock(PAGER_LOCK).catch(() => {});
  }

  /** True while this process pages for the node (see PAGER_LOCK). */
  get pager(): boolean {
    return this.#pager;
  }

  /** The ids of the alarms paged and not yet paged cleared, as store meta keeps them. */
  async #pagedIds(): Promise<Set<string>> {
    try {
      const raw = await this.#ledger.meta(ALARMS_META);
      return new Set(raw ? (JSON.parse(raw) as string[]) : []);
    } catch {
      return new Set();
    }
  }

  /**
   * On a shared store: takes the pager's lock if no process holds it (the pager died or stopped).
   * Then pages the alarms raised here that the paged ids do not show, and leaves the paged ids
   * not raised here to be announced cleared after `receiptAlarmSeconds` unless raised meanwhile.
   */
  async #claimPager(): Promise<void> {
    const shared = this.#ledger.shared;
    if (!shared || this.#pager || this.#claimingPager || this.#stopped) return;
    this.#claimingPager = true;
    try {
      if (!(await shared.tryLock(PAGER_LOCK))) return;
      const paged = await this.#pagedIds();
      if (this.#stopped) return;
      this.#pager = true;
      this.#log.info({ paged: paged.size, raised: this.#alarms.size }, 'this process pages the hotline alarms now');
      for (const a of this.alarms()) if (!paged.delete(a.id)) this.#page(a);
      this.#notified = paged;
      this.#reconciled = false;
      this.#reconcileAt = this.#now() + this.#s.receiptAlarmMs;
      this.#persistSoon();
    } catch (err) {
      this.#log.warn({ err }, 'could not take over paging the hotline alarms');
    } finally {
      this.#claimingPager = false;
    }
  }

  /** Raised alarms, oldest first. */
  alarms(): HotlineAlarm[] {
    return [...this.#alarms.values()].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.id < b.id ? -1 : 1));
  }

  health(): PeerHealth[] {
    const now = this.#now();
    return this.#peers().map((p) => this.#healthOf(p, now));
  }

  /** The federation's status with hotline alarms in `alerts` and link health per peer in `linkHealth`. */
  decorate<S extends StatusView>(status: S): HotlineStatus<S> {
    return { ...status, alerts: [...status.alerts, ...this.alarms()], linkHealth: this.health() };
  }

  view(): HotlineView {
    const now = this.#now();
    // Up to the last commit and the last deadline passed, so a view taken right after an acknowledgement shows it.
    if (this.#started && !this.#stopped) this.#monitor.refresh();
    const peers = this.#peers();
    const messages: MessageView[] = [];
    for (let i = this.#ring.length - 1; i >= 0; i--) {
      const t = this.#messages.get(this.#ring[i]);
      if (t) messages.push(this.#messageView(t, peers));
    }
    const terms = this.#terms(now);
    return {
      party: this.#party,
      now: formatTime(now),
      agreement: {
        ackSeconds: { flash: terms.ackMs.flash / 1000, immediate: terms.ackMs.immediate / 1000, routine: terms.ackMs.routine / 1000 },
        linkTestIntervalSeconds: terms.linkTestIntervalMs / 1000,
        missedLinkTestIntervals: terms.missedLinkTestIntervals,
        receiptAlarmSeconds: this.#s.receiptAlarmMs / 1000,
      },
      peers: this.health(),
      alarms: this.alarms(),
      messages,
    };
  }

  /** Sends a link test to every party now (the schedule sends them by itself). */
  async sendLinkTest(): Promise<LedgerEntry | undefined> {
    if (this.#peers().length === 0 || this.#stopped) return undefined;
    const e = await this.#ledger.append({ type: 'link.test', to: ['*'], refs: [], body: { n: this.#linkTestN + 1 } });
    return e;
  }

  // ------------------------------------------------------------------ reading the record

  #now(): number {
    return this.#ledger.now();
  }

  /** The hotline terms binding this party alone at `t` (its link-test interval). */
  #terms(t: number): ResolvedTerms {
    return this.#monitor.terms<ResolvedTerms>('hotline', [this.#party], t);
  }

  #peers(): string[] {
    return this.#ledger.roster.codes().filter((p) => p !== this.#party);
  }

  /** One pass over the ledger: hotline messages for the view, link tests, own entries awaiting receipts. */
  async #load(): Promise<void> {
    const own: Awaiting[] = [];
    const ownTo = new Map<number, string[]>();
    const messages: RecordEntry[] = [];
    let after = 0;
    for (;;) {
      const rows = await this.#ledger.since(after, 1000);
      for (const row of rows) {
        after = row.pos ?? after;
        if (!row.type || !TRACKED_TYPES.has(row.type)) continue;
        const e = recordOf(row);
        if (e.author === this.#party) {
          own.push({ seq: e.seq, id: e.id, type: e.type!, sentAt: Date.parse(e.time), live: false });
          ownTo.set(e.seq, e.to ?? []);
        }
        if (e.type === 'hotline.message') {
          messages.push(e);
          if (messages.length > VIEW_MESSAGES) messages.shift();
        } else if (e.type === 'link.test') this.#sawLinkTest(e);
      }
      if (rows.length < 1000) break;
    }
    for (const m of messages) this.#track(m, false);
    own.sort((a, b) => a.seq - b.seq);
    for (const peer of this.#peers()) {
      const delivered = this.#delivered.get(peer) ?? 0;
      const list = own.filter((a) => a.seq > delivered && addressed(ownTo.get(a.seq) ?? [], peer));
      if (list.length) this.#awaiting.set(peer, list);
    }
  }

  #onCommit(entries: LedgerEntry[]): void {
    if (this.#stopped) return;
    const now = this.#now();
    let receipts = false;
    for (const le of entries) {
      if (le.type === 'receipt') {
        if (le.body?.of === this.#party && le.author !== this.#party) {
          this.#receipted(le.author, Number(le.body.upto) || 0, now);
          receipts = true;
        }
        continue;
      }
      if (!le.type || !TRACKED_TYPES.has(le.type)) continue;
      const e = recordOf(le);
      if (e.author === this.#party) this.#awaitReceipts(e, now);
      if (e.type === 'hotline.message') this.#track(e, true);
      else if (e.type === 'link.test') this.#sawLinkTest(e);
    }
    if (receipts) this.#checkLinks(now);
  }

  #sawLinkTest(e: RecordEntry): void {
    const t = Date.parse(e.time);
    if (e.author === this.#party) {
      if (this.#lastOwnLinkTest === undefined || t > this.#lastOwnLinkTest) this.#lastOwnLinkTest = t;
      const n = Number(e.body?.n);
      if (Number.isInteger(n) && n > this.#linkTestN) this.#linkTestN = n;
    } else if (t > (this.#lastLinkTest.get(e.author) ?? -Infinity)) this.#lastLinkTest.set(e.author, t);
  }

  /** A message this node holds, kept for the view while it is among the newest. */
  #track(e: RecordEntry, live: boolean): void {
    if (this.#messages.has(e.id)) return;
    this.#messages.set(e.id, { entry: e, receivedAt: new Map() });
    this.#ring.push(e.id);
    if (this.#ring.length > VIEW_MESSAGES) this.#messages.delete(this.#ring.shift()!);
    if (live) this.#publish('hotline', { kind: 'message', id: e.id });
  }

  // ------------------------------------------------------------------ escalation

  #onRegimeChanges(c: RegimeChanges): void {
    if (this.#stopped) return;
    try {
      this.#onObligations(c.obligations, c.obligationsRemoved);
    } catch (err) {
      this.#log.error({ err }, 'hotline check failed');
    }
  }

  /**
   * Obligations of the hotline's acknowledgement rules, new or changed: a missed one involving
   * this party (as debtor, or as the author owed) raises its escalation alarm; a met one (late or
   * not) clears it.
   */
  #onObligations(changed: readonly Obligation[], removed: readonly string[]): void {
    for (const o of changed) {
      if (!o.rule.startsWith(ACK_RULES)) continue;
      const messageId = o.evidence[0];
      let byDebtor = this.#acks.get(messageId);
      if (!byDebtor) this.#acks.set(messageId, (byDebtor = new Map()));
      byDebtor.set(o.debtor, o);
      if (o.debtor === this.#party || o.creditors.includes(this.#party)) this.#escalate(messageId, o);
    }
    if (removed.length === 0) return;
    // An obligation leaves the result only if its message does (never, in an append-only record); kept simple.
    const gone = new Set(removed);
    for (const [messageId, byDebtor] of this.#acks) {
      for (const [debtor, o] of byDebtor) {
        if (!gone.has(o.id)) continue;
        byDebtor.delete(debtor);
        this.#clear(`escalation:${messageId}:${debtor}`, `the acknowledgement owed by ${debtor} is no longer in the record`);
      }
    }
  }

  #escalate(messageId: string, o: Obligation): void {
    const id = `escalation:${messageId}:${o.debtor}`;
    if (o.status === 'open') return;
    const m = this.#monitor.held(messageId);
    const body = m?.body as unknown as HotlineMessage | undefined;
    const author = o.creditors[0];
    const what = body ? `${author}'s ${body.priority} message "${short(body.subject)}"` : `${author}'s message ${messageId.slice(0, 12)}`;
    if (o.status === 'missed') {
      const who = o.debtor === this.#party ? `this node's duty officer (${this.#party}) has` : `${o.debtor} has`;
      this.#raise({
        id,
        kind: 'hotline.escalation',
        severity: body?.priority === 'routine' ? 'warning' : 'critical',
        party: o.debtor,
        message: `${who} not acknowledged ${what} (due ${o.due})${o.debtor === this.#party ? `: parley hotline ack --id ${messageId}` : ''}`,
        since: formatTime(Date.parse(o.due) + 1),
        entry: messageId,
        ...(body ? { priority: body.priority } : {}),
        due: o.due,
      });
    } else this.#clear(id, `${o.debtor} acknowledged ${what}${o.status === 'met-late' ? ' late' : ''}`);
  }

  // ------------------------------------------------------------------ receipts and links

  #awaitReceipts(e: RecordEntry, now: number): void {
    const to = e.to ?? [];
    for (const peer of this.#peers()) {
      if (!addressed(to, peer) || (this.#delivered.get(peer) ?? 0) >= e.seq) continue;
      let list = this.#awaiting.get(peer);
      if (!list) this.#awaiting.set(peer, (list = []));
      list.push({ seq: e.seq, id: e.id, type: e.type!, sentAt: now, live: true });
    }
  }

  #receipted(peer: string, upto: number, now: number): void {
    if (upto > (this.#delivered.get(peer) ?? 0)) this.#delivered.set(peer, upto);
    const list = this.#awaiting.get(peer);
    if (!list || list.length === 0 || list[0].seq > upto) return;
    let n = 0;
    let last: Awaiting | undefined;
    while (n < list.length && list[n].seq <= upto) {
      const a = list[n++];
      if (a.type === 'hotline.message') this.#messages.get(a.id)?.receivedAt.set(peer, now);
      if (a.live) last = a;
    }
    list.splice(0, n);
    if (last) this.#rtt.set(peer, { ms: now - last.sentAt, at: now });
  }

  /** The instant an entry's missing receipt becomes an alarm: receipts owed from before this start get the full delay from the start. */
  #overdueAt(a: Awaiting): number {
    return Math.max(a.sentAt, this.#startedAt) + this.#s.receiptAlarmMs;
  }

  #checkLinks(now: number): void {
    for (const peer of this.#peers()) {
      const oldest = this.#awaiting.get(peer)?.[0];
      const id = `link:${peer}`;
      if (oldest && now > this.#overdueAt(oldest)) {
        const ago = Math.round((now - oldest.sentAt) / 1000);
        this.#raise({
          id,
          kind: 'hotline.link',
          severity: 'critical',
          party: peer,
          message: `no machine receipt from ${peer} for ${this.#party}#${oldest.seq} (${oldest.type}) sent ${ago} s ago (alarm after ${this.#s.receiptAlarmMs / 1000} s); the entry is kept and goes out when ${peer} answers`,
          since: formatTime(this.#overdueAt(oldest)),
          entry: oldest.id,
        });
      } else this.#clear(id, `${peer} receipts again: its link is back`);
    }
    this.#refreshHealth();
  }

  #healthOf(peer: string, now: number): PeerHealth {
    const link = this.#links.get(peer) ?? 'unknown';
    const list = this.#awaiting.get(peer) ?? [];
    const oldest = list[0];
    const rtt = this.#rtt.get(peer);
    const lastTest = this.#lastLinkTest.get(peer);
    const reasons: string[] = [];
    let health: Health;
    if (this.#alarms.has(`link:${peer}`)) {
      health = 'down';
      reasons.push(oldest ? `no receipt for ${Math.round((now - oldest.sentAt) / 1000)} s` : 'no receipt in time');
    } else if (link === 'down') {
      health = 'down';
      reasons.push('its node does not answer');
    } else {
      if (oldest && now - oldest.sentAt > this.#s.degradedRttMs) reasons.push(`a receipt outstanding for ${((now - oldest.sentAt) / 1000).toFixed(1)} s`);
      if (rtt && rtt.ms > this.#s.degradedRttMs) reasons.push(`last round trip ${rtt.ms} ms`);
      const interval = this.#monitor.terms<ResolvedTerms>('hotline', [peer], now).linkTestIntervalMs;
      if (lastTest !== undefined && now - lastTest > 1.5 * interval) reasons.push(`no link test from ${peer} since ${formatTime(lastTest)}`);
      health = reasons.length ? 'degraded' : link === 'up' || rtt ? 'up' : 'unknown';
    }
    return {
      party: peer,
      health,
      link,
      rttMs: rtt ? rtt.ms : null,
      rttAt: rtt ? formatTime(rtt.at) : null,
      awaitingReceipt: list.length,
      oldestAwaitingSince: oldest ? formatTime(oldest.sentAt) : null,
      lastLinkTest: lastTest !== undefined ? formatTime(lastTest) : null,
      reasons,
    };
  }

  /** Publishes a `hotline` event when some peer's health changed. */
  #refreshHealth(): void {
    if (!this.#started || this.#stopped) return;
    const now = this.#now();
    const changed: PeerHealth[] = [];
    for (const p of this.#peers()) {
      const h = this.#healthOf(p, now);
      if (this.#health.get(p) !== h.health) {
        this.#health.set(p, h.health);
        changed.push(h);
      }
    }
    if (changed.length) this.#publish('hotline', { kind: 'health', peers: changed });
  }

  #onTick(): void {
    if (this.#stopped) return;
    const now = this.#now();
    try {
      this.#checkLinks(now);
      // An agreement adopted since the link test was scheduled may have changed the interval.
      if (this.#s.linkTests && this.#linkTestTimer && this.#terms(now).linkTestIntervalMs !== this.#linkTestIntervalMs) {
        clearTimeout(this.#linkTestTimer);
        this.#scheduleLinkTest();
      }
      if (!this.#reconciled && now > this.#reconcileAt) this.#reconcile(now);
      if (!this.#pager) void this.#claimPager();
    } catch (err) {
      this.#log.error({ err }, 'hotline check failed');
    }
  }

  // ------------------------------------------------------------------ alarms

  #raise(a: Omit<HotlineAlarm, 'state' | 'at'>): void {
    if (this.#alarms.has(a.id)) return;
    const alarm: HotlineAlarm = { ...a, state: 'raised', at: formatTime(this.#now()) };
    this.#alarms.set(a.id, alarm);
    this.#persistSoon();
    // Raised before a restart and paged then: in status again, not paged again.
    if (this.#notified.delete(a.id) && this.#pager) return;
    this.#announce(alarm);
  }

  #clear(id: string, why: string): void {
    const a = this.#alarms.get(id);
    if (!a) return;
    this.#alarms.delete(id);
    this.#persistSoon();
    this.#announce({ ...a, state: 'cleared', at: formatTime(this.#now()), message: why });
  }

  /** After a restart: alarms paged before it whose condition is gone by now are announced cleared. */
  #reconcile(now: number): void {
    this.#reconciled = true;
    for (const id of this.#notified) {
      const kind: AlarmKind = id.startsWith('link:') ? 'hotline.link' : 'hotline.escalation';
      const party = id.split(':').pop() ?? '';
      const entry = kind === 'hotline.escalation' ? id.split(':')[1] : undefined;
      this.#announce({ id, kind, state: 'cleared', severity: 'warning', party, message: 'resolved while this node was stopped', since: formatTime(this.#startedAt), at: formatTime(now), ...(entry ? { entry } : {}) });
    }
    this.#notified.clear();
    this.#persistSoon();
  }

  /** To this process's event stream, and paged if this process is the pager. */
  #announce(alarm: HotlineAlarm): void {
    this.#publish('alarm', alarm);
    if (this.#pager) this.#page(alarm);
    else this.#log.info({ alarm: alarm.id, kind: alarm.kind, state: alarm.state, party: alarm.party, pagedBy: 'another process of this node' }, alarm.message);
  }

  /** The log line and the webhook: what wakes someone up. */
  #page(alarm: HotlineAlarm): void {
    const line = { alarm: alarm.id, kind: alarm.kind, state: alarm.state, party: alarm.party };
    if (alarm.state === 'raised') this.#log.warn(line, alarm.message);
    else this.#log.info(line, alarm.message);
    this.#webhook?.post({ type: 'parley.alarm', node: this.#party, alarm });
  }

  #persistSoon(): void {
    if (this.#persistTimer || this.#stopped) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = undefined;
      this.#persistAlarms().catch((err: unknown) => this.#log.warn({ err }, 'could not write the raised hotline alarms'));
    }, 250);
    this.#persistTimer.unref?.();
  }

  async #persistAlarms(): Promise<void> {
    // The paged ids are the pager's to keep.
    if (!this.#pager) return;
    const ids = JSON.stringify([...new Set([...this.#alarms.keys(), ...this.#notified])].sort());
    if (((await this.#ledger.meta(ALARMS_META)) ?? '[]') !== ids) await this.#ledger.saveMeta({ [ALARMS_META]: ids });
  }

  // ------------------------------------------------------------------ link tests

  #scheduleLinkTest(): void {
    if (this.#stopped) return;
    const now = this.#now();
    const interval = (this.#linkTestIntervalMs = this.#terms(now).linkTestIntervalMs);
    const next = this.#lastOwnLinkTest !== undefined ? Math.max(now, this.#lastOwnLinkTest + interval) : now + interval;
    // Timers hold at most 2^31-1 ms; a longer interval is waited out in steps.
    this.#linkTestTimer = setTimeout(() => {
      // Another process of this node (a shared store) may have sent one meanwhile: its commit was heard.
      const due = this.#lastOwnLinkTest !== undefined ? Math.max(next, this.#lastOwnLinkTest + interval) : next;
      if (this.#now() < due - 5) return this.#scheduleLinkTest();
      this.sendLinkTest()
        .then((e) => {
          // With no peers, nothing was sent: try again an interval later.
          if (!e) this.#lastOwnLinkTest = this.#now();
        })
        .catch((err) => {
          if (!this.#stopped) this.#log.warn({ err }, 'could not append a link test; trying again next interval');
          this.#lastOwnLinkTest = this.#now();
        })
        .finally(() => this.#scheduleLinkTest());
    }, Math.min(2 ** 31 - 1, Math.max(0, next - now)));
    this.#linkTestTimer.unref?.();
  }

  #messageView(t: Tracked, peers: string[]): MessageView {
    const m = t.entry;
    const body = m.body as unknown as HotlineMessage;
    const out = m.author === this.#party;
    const obligations = this.#acks.get(m.id);
    const to = m.to ?? [];
    const parties = to.includes('*') ? peers.filter((p) => p !== m.author) : debtorsOf({ author: m.author, to });
    return {
      id: m.id,
      author: m.author,
      seq: m.seq,
      time: m.time,
      direction: out ? 'out' : 'in',
      to,
      priority: body.priority,
      subject: body.subject,
      text: body.text,
      language: body.language,
      ...(body.translation ? { translation: body.translation } : {}),
      addressees: parties.map((party): AddresseeView => {
        const o = obligations?.get(party);
        const ack = o?.metBy ? this.#monitor.held(o.metBy) : undefined;
        const at = t.receivedAt.get(party);
        return {
          party,
          status: o?.status ?? null,
          due: o?.due ?? null,
          ack: ack ? { id: ack.id, time: ack.entry.time } : null,
          received: out ? (this.#delivered.get(party) ?? 0) >= m.seq : null,
          receivedAt: out && at !== undefined ? formatTime(at) : null,
        };
      }),
    };
  }
}


function recordOf(e: LedgerEntry): RecordEntry {
  return { id: e.id, author: e.author, seq: e.seq, time: e.time, type: e.type, to: e.to, refs: e.refs, body: e.body };
}

function addressed(to: readonly string[], party: string): boolean {
  return to.includes('*') || to.includes(party);
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
