/**
 * Federation: a node delivering its entries to every peer in its roster and accepting theirs, as
 * DESIGN.md's Federation section says.
 *
 * - Push on commit: every durable commit of an own entry kicks every peer's link (no polling on
 *   the hot path); each link has at most one batch in flight and retries that same batch.
 * - Every peer gets the stub of every own entry; addressees get the content.
 * - The receiver accepts a push all-or-nothing, writes its receipt in the same commit and returns
 *   it in the reply with the seq it now holds; the sender accepts the receipt into its own ledger.
 *   Receipts are ordinary entries of the receiver's log and also flow back by push.
 * - A gap (a push or receipt beyond what is held) triggers a pull from that peer; so does a
 *   restart, when the peer's first answer shows its log is ahead of what this node holds.
 * - Several processes of one node (a shared PostgreSQL store): each peer's link — push, pull on
 *   its replies, backoff — is driven by the one process holding that link's lock in the store; the
 *   others serve peers' requests and the operator API. A process that dies frees its locks with
 *   its connection, and another takes the links over at its next tick (within about a second).
 * - Gossip: every push and every reply carries the sender's known head per author; a different id
 *   at a seq this node holds makes it pull that header and accept it, so the ledger keeps both
 *   signed headers as equivocation evidence and `status` shows the alert.
 */
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { ZERO_HASH } from '../protocol/bytes.js';
import { decodeEnvelope, isAddressee, isPartyCode, stubOf, verifyEntrySignature, type Envelope } from '../protocol/entry.js';
import { ParleyError } from '../protocol/errors.js';
import type { SigningKey } from '../protocol/signing.js';
import type { AcceptReport, Ledger, LedgerEntry } from '../ledger/ledger.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { PeerClient, type PeerAddress, type WireCounters } from './client.js';
import { MAX_SIGNATURE_SKEW_S, precheckRequest, signResponse, verifyRequest, type ReceivedRequest, type VerifiedSignature } from './http-signature.js';
import { PeerLink, silentLogger, type LinkHost, type LinkState, type LinkTimings, type Logger } from './link.js';
import { NonceCache } from './replay.js';
import {
  BATCH_BYTES_TARGET, MAX_BATCH_ENTRIES, parsePushRequest, peekHeader, type Head, type Heads, type LogPage, type PushReply,
} from './wire.js';

export type { LinkState, Logger } from './link.js';

export interface PeerStatus {
  party: string;
  /** Highest own seq this peer has receipted (a signed receipt held here). */
  delivered: number;
  /** Highest seq of this peer's own log held here. */
  received: number;
  /** Own entries the peer has not yet acknowledged holding. */
  backlog: number;
  link: LinkState;
  lastContact: string | null;
}

export type Alert =
  | { kind: 'equivocation'; author: string; seq: number; heldId: string; otherId: string; source: string; seenAt: string; message: string }
  | { kind: 'refused'; party: string; code: string; message: string; since: string }
  | { kind: 'receipt'; party: string; seq: number; heldId: string; otherId: string; seenAt: string; message: string }
  | KeyCompromiseAlert;

/**
 * A peer holds an entry of this party's own log that this node never wrote, signed with this
 * party's key: the key is in someone else's hands. `heldId` is this node's entry at that seq
 * ('' when the entry is beyond this node's head).
 */
export interface KeyCompromiseAlert {
  kind: 'key-compromise';
  party: string;
  peer: string;
  seq: number;
  heldId: string;
  otherId: string;
  seenAt: string;
  message: string;
}

export interface NodeStatus {
  party: string;
  seq: number;
  peers: PeerStatus[];
  alerts: Alert[];
  /** This node's requests to its peers and their bytes on the wire since it started (a running node only). */
  wire?: WireCounters;
}

export type FederationEvent =
  | { kind: 'link'; party: string; link: LinkState; lastContact: string | null; error?: { code: string; message: string } }
  | { kind: 'alert'; alert: Alert };

export interface FederationOptions {
  ledger: Ledger;
  key: SigningKey;
  log?: Logger;
  /**
   * The transport's clock in ms: signature freshness, link timestamps. Wall time by default, not
   * the ledger's clock — a node replaying history (the demo) still talks to peers in the present.
   */
  clock?: () => number;
  /** Uniform [0, 1) for jitter. */
  random?: () => number;
  randomBytes?: (n: number) => Buffer;
  timings?: Partial<LinkTimings>;
  /** A peer request not answered in this time is abandoned and retried. */
  requestTimeoutMs?: number;
  /** Most own entries in one push. */
  maxBatch?: number;
  /**
   * Own entries that end the batch they are in, for a peer: urgent traffic (a flash hotline
   * message) then goes out in a batch no larger than what is ahead of it in the log, instead of
   * waiting for the receiver to take a full batch of bulk entries that came after it.
   */
  endsBatch?: (entry: LedgerEntry, peer: string) => boolean;
  /** URLs this node listens on, besides the one in its own roster entry: requests signed for another authority are refused. */
  selfUrls?: () => readonly string[];
  /**
   * Where the nonces of requests taken are journalled, so that a replay is refused after a restart
   * too (the node folder's `nonces`). On a store shared by several processes the nonces are kept in
   * the store instead, so that a request taken by one process is a replay at every other.
   */
  nonceFile?: string;
}

const META = {
  acked: (p: string) => `federation:acked:${p}`,
  contact: (p: string) => `federation:contact:${p}`,
  delivered: (p: string) => `federation:delivered:${p}`,
  compromise: 'federation:key-compromise',
};
/** Key-compromise alerts kept (and written with the ledger), the latest. */
const MAX_COMPROMISE_ALERTS = 32;
const PERSIST_DELAY_MS = 250;
const CONTACT_PERSIST_MS = 60_000;
const TAIL_MAX = 4096;
const TAIL_BYTES = 16 * 1024 * 1024;
const BATCH_REPLY_CACHE = 2048;
const PULL_PAGE = 256;
/** On a shared store, how often a process tries to take the links no process drives. */
const LINK_CLAIM_MS = 500;
/** On a shared store, how often a process reads the equivocation evidence the others stored. */
const EVIDENCE_READ_MS = 5000;
const linkLock = (peer: string) => `link:${peer}`;
const MAX_PULL_PAGES = 1000;

/** A node's federation: links to every peer, and the logic behind the federation routes. */
export class Federation {
  readonly party: string;
  readonly ledger: Ledger;
  readonly #key: SigningKey;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #randomBytes: (n: number) => Buffer;
  readonly #timings: LinkTimings;
  readonly #maxBatch: number;
  readonly #endsBatch: ((entry: LedgerEntry, peer: string) => boolean) | undefined;
  readonly #client: PeerClient;
  readonly #nonces: NonceCache;
  readonly #nonceJournal: boolean;
  /** When this node started, in seconds: requests signed earlier are refused (their nonces are not kept across a restart). */
  readonly #startedS: number;
  readonly #selfUrls: (() => readonly string[]) | undefined;
  readonly #links = new Map<string, PeerLink>();
  readonly #listeners = new Set<(e: FederationEvent) => void>();
  /** Recent own entries, so a push is built without reading the store. */
  #tail: LedgerEntry[] = [];
  #tailBytes = 0;
  /** Replies already given, by `${party} ${batch} ${hash of its entries}`: a retried batch gets the same answer. */
  readonly #replies = new Map<string, PushReply>();
  /** Highest own seq each peer has receipted. */
  readonly #delivered = new Map<string, number>();
  readonly #refusals = new Map<string, Alert & { kind: 'refused' }>();
  /** The latest receipt of this party's log that names no entry of it, per peer. */
  readonly #badReceipts = new Map<string, ReceiptAlert>();
  readonly #pulls = new Set<string>();
  /** Fork headers being pulled, by `${author} ${seq} ${id}`. */
  readonly #forkPulls = new Set<string>();
  /** Per peer, the last gossiped head checked for each author: a repeated head is not checked again. */
  readonly #checked = new Map<string, Map<string, string>>();
  #unsubscribe: (() => void) | undefined;
  #tick: NodeJS.Timeout | undefined;
  #persistTimer: NodeJS.Timeout | undefined;
  /** Link state as last written to the store, so only changes are written. */
  readonly #written = new Map<string, string>();
  #kickQueued = false;
  #lastRosterReload = 0;
  /** Entries of this party's log shown by peers and never written here, by `${seq} ${id}` (written with the ledger). */
  readonly #compromise = new Map<string, KeyCompromiseAlert>();
  /** Own-log heads being fetched from a peer to be checked, by `${seq} ${id}`. */
  readonly #compromiseChecks = new Set<string>();
  /** Equivocation evidence held, as alerts: read at start and after an accept that found more. */
  #equivocations: (Alert & { kind: 'equivocation' })[] = [];
  #started = false;
  #stopped = false;
  readonly #host: LinkHost;
  /** On a shared store: the last time this process tried to take the links it does not drive, and whether it is trying now. */
  #lastLinkClaim = 0;
  #claiming = false;
  /** On a shared store: when this process last read the equivocation evidence other processes may have stored. */
  #lastEvidenceRead = 0;
  #unlost: (() => void) | undefined;

  constructor(options: FederationOptions) {
    this.ledger = options.ledger;
    this.party = options.ledger.party;
    this.#key = options.key;
    this.#log = options.log ?? silentLogger;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#randomBytes = options.randomBytes ?? cryptoRandomBytes;
    this.#maxBatch = Math.min(options.maxBatch ?? 256, MAX_BATCH_ENTRIES);
    this.#endsBatch = options.endsBatch;
    this.#startedS = Math.floor(this.#clock() / 1000);
    this.#nonceJournal = options.nonceFile !== undefined || options.ledger.shared !== undefined;
    this.#nonces = new NonceCache({ file: options.nonceFile, nowS: this.#startedS });
    this.#selfUrls = options.selfUrls;
    this.#timings = { backoff: DEFAULT_BACKOFF, heartbeatMs: 5000, inlineGraceMs: 100, stubDelayMs: 50, maxBatch: this.#maxBatch, ...options.timings };
    this.#client = new PeerClient({
      signer: { party: this.party, privateKey: this.#key.privateKey },
      clock: this.#clock,
      randomBytes: this.#randomBytes,
      timeoutMs: options.requestTimeoutMs ?? 5000,
    });
    this.#host = {
      now: () => this.#clock(),
      random: () => this.#random(),
      batchId: () => this.#randomBytes(12).toString('base64url'),
      ownSeq: () => this.ledger.head(this.party)?.seq ?? 0,
      outgoing: (peer, after) => this.#outgoing(peer, after),
      heads: () => this.ledger.heads(),
      address: (peer) => this.#address(peer),
      push: (peer, request) => this.#client.push(peer, request),
      replied: (peer, reply, first) => void this.#replied(peer, reply, first),
      linkChanged: (peer, link, error) => this.#linkChanged(peer, link, error),
      refused: (peer, error) => this.#refused(peer, error),
      dirty: () => this.#persistSoon(),
      log: this.#log,
    };
  }

  /** Starts delivering: a link per roster party, each opening with a hello; pushes on every commit. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.ledger.onCommit((entries) => this.#onCommit(entries));
    this.#unlost = this.ledger.shared?.onLost(() => this.#linksLost());
    this.#equivocations = await equivocationAlerts(this.ledger);
    for (const a of await compromiseAlerts(this.ledger)) this.#compromise.set(`${a.seq} ${a.otherId}`, a);
    for (const p of this.#peers()) await this.#scanReceipts(p);
    await this.#syncLinks();
    const every = Math.max(50, Math.min(1000, Math.floor(this.#timings.heartbeatMs / 2)));
    this.#tick = setInterval(() => this.#onTick(), every);
    this.#tick.unref?.();
  }

  /** Stops every link and timer, drops its connections to peers (a batch in flight is retried after a restart), writes the link state. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unlost?.();
    if (this.#tick) clearInterval(this.#tick);
    if (this.#persistTimer) clearTimeout(this.#persistTimer);
    for (const l of this.#links.values()) l.stop();
    this.#client.close();
    this.#nonces.close();
    try {
      await this.#persist(true);
    } catch (err) {
      this.#log.warn({ err }, 'could not write link state on stop');
    }
    // Another process of this node takes the links over at once.
    const shared = this.ledger.shared;
    if (shared) for (const party of this.#links.keys()) await shared.unlock(linkLock(party));
  }

  /**
   * The connection holding this process's link locks dropped: another process may drive the
   * links now, so this one stops driving them at once (it tries to take them again at its tick).
   */
  #linksLost(): void {
    if (this.#stopped) return;
    const parties = [...this.#links.keys()];
    for (const l of this.#links.values()) l.stop();
    this.#links.clear();
    this.#log.warn({ peers: parties }, 'lost the locks of the peer links (the database connection dropped); taking them again when it is back');
    for (const party of parties) this.#emit({ kind: 'link', party, link: 'unknown', lastContact: null });
  }

  /** Subscribes to link changes and alerts (the node's event stream). */
  on(listener: (e: FederationEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The roster changed (a party added, a URL changed): links follow it. */
  async rosterChanged(): Promise<void> {
    await this.ledger.roster.reload();
    await this.#syncLinks();
    for (const l of this.#links.values()) l.kick();
  }

  // ------------------------------------------------------------------ serving peers

  /**
   * Authenticates a federation request (RFC 9421, see http-signature.ts) and records its nonce.
   * Throws PARLEY_ERR_UNAUTHENTICATED or PARLEY_ERR_REPLAY. On a store shared by several processes,
   * the nonce is recorded in the store while the request is served: `recorded` rejects with
   * PARLEY_ERR_REPLAY if another process took it, and the request must then be answered with that
   * refusal. (Serving a replay before refusing it does no harm: a pull only reads, and a push's
   * entries are signed by their author and taken once by (author, seq).)
   */
  async authenticate(request: ReceivedRequest): Promise<VerifiedSignature & { recorded: Promise<void> }> {
    this.#checkAuthority(request.authority);
    const nowS = Math.floor(this.#clock() / 1000);
    let verified = verifyRequest(request, { self: this.party, nowS, keyOf: (p) => this.ledger.roster.key(p) });
    if (!verified.ok && (await this.#rosterGrew())) verified = verifyRequest(request, { self: this.party, nowS, keyOf: (p) => this.ledger.roster.key(p) });
    if (!verified.ok) throw verified.error;
    const v = verified.value;
    // Without a nonce journal the nonces of requests taken before this node started are not
    // kept: such a request may be a replay of one taken then, and is refused (the peer signs its retry again).
    if (!this.#nonceJournal && v.created < this.#startedS) {
      throw new ParleyError('PARLEY_ERR_REPLAY', `this signed request from ${v.party} was created (${v.created}) before this node started (${this.#startedS}); it may already have been received — a retry must be signed again`);
    }
    const replay = () => new ParleyError('PARLEY_ERR_REPLAY', `this signed request from ${v.party} was already received (nonce ${v.nonce}); a retry must be signed again`);
    const use = this.#nonces.use(v.party, v.nonce, v.created, nowS);
    if (use === 'replay') throw replay();
    if (use === 'full') throw new ParleyError('PARLEY_ERR_UNAVAILABLE', 'this node is taking too many requests to remember their nonces; retry in a minute');
    this.#links.get(v.party)?.heard();
    // Another process of this node may have taken it.
    const shared = this.ledger.shared;
    const recorded = shared
      ? shared.useNonce(v.party, v.nonce, v.created + MAX_SIGNATURE_SKEW_S, nowS).then((fresh) => {
          if (!fresh) throw replay();
        })
      : Promise.resolve();
    // Marked handled here; the route awaits it before answering.
    recorded.catch(() => {});
    return { ...v, recorded };
  }

  /** Refuses, from its headers alone, a request that is not signed by a roster party for this node — before its body is read. */
  async precheck(headers: ReceivedRequest['headers'], hasBody: boolean): Promise<void> {
    this.#checkAuthority(typeof headers.host === 'string' ? headers.host : undefined);
    const nowS = Math.floor(this.#clock() / 1000);
    let pre = precheckRequest(headers, hasBody, { self: this.party, nowS, keyOf: (p) => this.ledger.roster.key(p) });
    if (!pre.ok && (await this.#rosterGrew())) pre = precheckRequest(headers, hasBody, { self: this.party, nowS, keyOf: (p) => this.ledger.roster.key(p) });
    if (!pre.ok) throw pre.error;
  }

  /**
   * `@authority` (the Host a request is signed for) must be this node's: the URL of its own
   * roster entry, or one it listens on. A request signed for another node is not taken here.
   */
  #checkAuthority(authority: string | undefined): void {
    const own = new Set<string>();
    for (const url of [this.ledger.roster.get(this.party)?.url, ...(this.#selfUrls?.() ?? [])]) {
      try {
        if (url) own.add(new URL(url).host.toLowerCase());
      } catch {
        // not a URL: names no authority
      }
    }
    const a = (authority ?? '').toLowerCase();
    if (own.size > 0 && !own.has(a)) {
      throw new ParleyError('PARLEY_ERR_UNAUTHENTICATED', `boundToThisNode: the request is signed for authority ${JSON.stringify(a.slice(0, 100))}; this node is ${[...own].join(', ')}`);
    }
  }

  /** Signs a 2xx reply to an authenticated request. */
  signReply(status: number, body: Uint8Array, requester: string, nonce: string): Record<string, string> {
    return signResponse(status, body, requester, nonce, { party: this.party, privateKey: this.#key.privateKey }, Math.floor(this.#clock() / 1000));
  }

  /**
   * `POST /federation/v1/push` from `from` (authenticated). A push carries only the sender's own
   * entries, in increasing contiguous seq order; the ledger's accept is all-or-nothing.
   */
  async handlePush(from: string, raw: unknown): Promise<PushReply> {
    if (this.#stopped) throw new ParleyError('PARLEY_ERR_CLOSED');
    const parsed = parsePushRequest(raw);
    if (!parsed.ok) throw parsed.error;
    const push = parsed.value;
    // The entries are part of the key: a batch id reused for other entries (a fork) is accepted, not answered from the cache.
    const cacheKey = `${from} ${push.batch} ${createHash('sha256').update(JSON.stringify(push.entries)).digest('base64url')}`;
    const cached = this.#replies.get(cacheKey);
    if (cached) {
      this.#gossip(from, push.heads);
      return cached;
    }
    let prev: number | undefined;
    push.entries.forEach((e, index) => {
      const h = peekHeader(e);
      if (!h) throw new ParleyError('PARLEY_ERR_BAD_HEADER', `entry ${index}: the header cannot be read`, { index });
      if (h.author !== from) {
        throw new ParleyError('PARLEY_ERR_FORBIDDEN', `entry ${index} is by ${h.author}; a push carries only the pushing party's (${from}) own entries — ${h.author}'s come from ${h.author}, or by pull`, { index });
      }
      if (prev !== undefined && h.seq !== prev + 1) {
        throw new ParleyError('PARLEY_ERR_CHAIN_ORDER', `entry ${index} is ${from}#${h.seq} after ${from}#${prev}; a batch is in increasing, contiguous seq order`, { index });
      }
      prev = h.seq;
    });
    const report = push.entries.length ? await this.#accept(push.entries, from) : undefined;
    const receipts = (report?.receipts ?? []).filter((r) => r.body?.of === from);
    if (receipts.length) this.#links.get(from)?.returnedInline(receipts[receipts.length - 1].seq);
    const held = this.ledger.head(from);
    const reply: PushReply = {
      batch: push.batch,
      held: held ? { seq: held.seq, id: held.id } : { seq: 0, id: ZERO_HASH },
      accepted: report?.accepted.length ?? 0,
      duplicates: report?.duplicates ?? 0,
      receipts: receipts.map((r) => r.envelope),
      heads: this.ledger.heads(),
    };
    if (push.entries.length) this.#remember(cacheKey, reply);
    this.#gossip(from, push.heads);
    return reply;
  }

  /**
   * `GET /federation/v1/log/{author}` for `requester` (authenticated): stubs of everything held,
   * content only of entries the requester is addressed on (or wrote).
   */
  async handleLog(requester: string, author: string, after: number, limit: number): Promise<LogPage> {
    if (!isPartyCode(author)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', 'author must be a party code');
    if (!this.ledger.roster.has(author)) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `${author} is not in this node's roster`);
    const rows = await this.ledger.range(author, after, Math.max(1, Math.min(limit, MAX_BATCH_ENTRIES)));
    const entries: Envelope[] = [];
    let bytes = 0;
    for (const e of rows) {
      const env = e.envelope.content && e.to && (e.author === requester || isAddressee({ to: e.to }, requester)) ? e.envelope : stubOf(e.envelope);
      const size = envelopeSize(env);
      if (entries.length && bytes + size > BATCH_BYTES_TARGET) break;
      entries.push(env);
      bytes += size;
    }
    const head = this.ledger.head(author);
    return { author, entries, head: head ? { seq: head.seq, id: head.id } : null };
  }

  // ------------------------------------------------------------------ status

  status(): NodeStatus {
    const own = this.ledger.head(this.party)?.seq ?? 0;
    const peers = this.#peers().map((party): PeerStatus => {
      const s = this.#links.get(party)?.snapshot();
      // A link another process drives (a shared store): what the peer has receipted is held.
      const acked = s?.acked ?? Math.max(Number(this.#written.get(META.acked(party)) ?? 0) || 0, this.#delivered.get(party) ?? 0);
      return {
        party,
        delivered: this.#delivered.get(party) ?? 0,
        received: this.ledger.head(party)?.seq ?? 0,
        backlog: Math.max(0, own - acked),
        link: s?.link ?? 'unknown',
        lastContact: s?.lastContact !== undefined ? new Date(s.lastContact).toISOString() : null,
      };
    });
    return { party: this.party, seq: own, peers, alerts: [...this.#equivocations, ...this.#refusals.values(), ...this.#badReceipts.values(), ...this.#compromise.values()], wire: this.#client.wire() };
  }

  // ------------------------------------------------------------------ internals

  #peers(): string[] {
    return this.ledger.roster.codes().filter((p) => p !== this.party);
  }

  async #syncLinks(): Promise<void> {
    const shared = this.ledger.shared;
    for (const party of this.#peers()) {
      if (this.#links.has(party)) continue;
      // On a shared store, only the process holding the link's lock drives it.
      if (shared && !(await shared.tryLock(linkLock(party)))) continue;
      if (this.#stopped) {
        if (shared) await shared.unlock(linkLock(party));
        return;
      }
      const saved = new Map<string, string>();
      for (const key of [META.acked(party), META.contact(party), META.delivered(party)]) {
        const v = await this.ledger.meta(key);
        if (v !== undefined) saved.set(key, v);
      }
      // Another call made the link while this one read its state.
      if (this.#links.has(party)) continue;
      for (const [k, v] of saved) this.#written.set(k, v);
      const acked = Number(saved.get(META.acked(party)) ?? 0);
      const contact = saved.get(META.contact(party));
      if (!this.#delivered.has(party)) await this.#scanReceipts(party);
      if (this.#links.has(party)) continue;
      const link = new PeerLink(party, this.#host, this.#timings, { acked: Number.isFinite(acked) ? acked : 0, lastContact: contact ? Number(contact) : undefined });
      this.#links.set(party, link);
      if (this.#started && !this.#stopped) link.kick();
    }
  }

  #address(party: string): PeerAddress | undefined {
    const p = this.ledger.roster.get(party);
    const key = this.ledger.roster.key(party);
    return p && key ? { party, url: p.url, key } : undefined;
  }

  /**
   * A request this node cannot authenticate may come from a party added to the roster by another
   * process (the CLI) while this node runs: read the roster again (at most every 2 s). True if it grew.
   */
  async #rosterGrew(): Promise<boolean> {
    const now = this.#clock();
    if (now - this.#lastRosterReload <= 2000) return false;
    this.#lastRosterReload = now;
    const before = this.ledger.roster.codes().length;
    await this.ledger.roster.reload();
    await this.#syncLinks();
    return this.ledger.roster.codes().length > before;
  }

  #onTick(): void {
    const now = this.#clock();
    if (now - this.#lastRosterReload > 5000) {
      this.#lastRosterReload = now;
      void this.ledger.roster
        .reload()
        .then(() => this.#syncLinks())
        .catch((err: unknown) => this.#log.warn({ err }, 'could not reload the roster'));
    }
    for (const l of this.#links.values()) l.heartbeat();
    // On a shared store: evidence another process found is this process's alert too.
    if (this.ledger.shared && now - this.#lastEvidenceRead >= EVIDENCE_READ_MS) {
      this.#lastEvidenceRead = now;
      void equivocationAlerts(this.ledger).then(
        (alerts) => {
          const known = new Set(this.#equivocations.map((a) => `${a.author} ${a.seq} ${a.otherId}`));
          this.#equivocations = alerts;
          for (const alert of alerts) if (!known.has(`${alert.author} ${alert.seq} ${alert.otherId}`)) this.#emit({ kind: 'alert', alert });
        },
        (err: unknown) => this.#log.warn({ err }, 'could not read the equivocation evidence'),
      );
    }
    // On a shared store: take over the links no process drives (one whose process died).
    if (this.ledger.shared && !this.#claiming && now - this.#lastLinkClaim >= LINK_CLAIM_MS && this.#links.size < this.#peers().length) {
      this.#lastLinkClaim = now;
      this.#claiming = true;
      void this.#syncLinks()
        .catch((err: unknown) => this.#log.warn({ err }, 'could not take over the peer links'))
        .finally(() => (this.#claiming = false));
    }
  }

  #onCommit(entries: LedgerEntry[]): void {
    let own = false;
    for (const e of entries) {
      if (e.author === this.party) {
        own = true;
        const last = this.#tail[this.#tail.length - 1];
        if (last && e.seq !== last.seq + 1) this.#tail = [];
        this.#tail.push(e);
        this.#tailBytes += envelopeSize(e.envelope);
      } else if (e.type === 'receipt' && e.body?.of === this.party) {
        void this.#noteReceipt(e);
      }
    }
    if (this.#tail.length > TAIL_MAX || this.#tailBytes > TAIL_BYTES) {
      // Keep the newer half: what links are about to send; older entries are read from the store.
      this.#tail = this.#tail.slice(this.#tail.length >> 1);
      this.#tailBytes = this.#tail.reduce((n, e) => n + envelopeSize(e.envelope), 0);
    }
    if (own && !this.#kickQueued) {
      // After the current synchronous work (a push handler that just wrote receipts notes which
      // went back inline before its links look at them).
      this.#kickQueued = true;
      queueMicrotask(() => {
        this.#kickQueued = false;
        if (this.#stopped) return;
        for (const l of this.#links.values()) l.kick();
      });
    }
    if (entries.some((e) => e.author !== this.party)) this.#persistSoon();
  }

  async #outgoing(peer: string, after: number): Promise<{ entries: Envelope[]; last: number }> {
    const first = this.#tail[0]?.seq;
    const source = first !== undefined && after + 1 >= first ? this.#tail.slice(after + 1 - first, after + 1 - first + this.#maxBatch) : await this.ledger.range(this.party, after, this.#maxBatch);
    const entries: Envelope[] = [];
    let bytes = 0;
    let last = after;
    for (const e of source) {
      if (e.seq !== last + 1) break;
      const env = e.to && isAddressee({ to: e.to }, peer) ? e.envelope : stubOf(e.envelope);
      const size = envelopeSize(env);
      if (entries.length && bytes + size > BATCH_BYTES_TARGET) break;
      entries.push(env);
      bytes += size;
      last = e.seq;
      if (this.#endsBatch?.(e, peer)) break;
    }
    return { entries, last };
  }

  /** Accepts envelopes shown by `source`; pulls from it what a gap shows is missing. */
  async #accept(envelopes: Envelope[], source: string): Promise<AcceptReport> {
    const report = await this.ledger.accept(envelopes, { source, onGap: 'hold', receipts: true });
    for (const g of report.gaps) void this.#pull(source, g.author, g.have, g.saw);
    if (report.equivocations.length) {
      const alerts = (this.#equivocations = await equivocationAlerts(this.ledger));
      for (const q of report.equivocations) {
        const alert = alerts.find((a) => a.kind === 'equivocation' && a.author === q.author && a.seq === q.seq && a.otherId === q.otherId);
        if (alert) this.#emit({ kind: 'alert', alert });
        this.#log.warn({ author: q.author, seq: q.seq, heldId: q.heldId, otherId: q.otherId, source }, `equivocation: ${q.author} signed two entries at seq ${q.seq}`);
      }
    }
    return report;
  }

  async #replied(peer: string, reply: PushReply, first: boolean): Promise<void> {
    const receipts = reply.receipts.filter((r) => peekHeader(r)?.author === peer);
    if (receipts.length) {
      try {
        await this.#accept(receipts, peer);
      } catch (err) {
        this.#log.warn({ peer, err }, `the receipts in ${peer}'s push reply were refused`);
      }
    }
    this.#gossip(peer, reply.heads);
    // Pull on restart: the peer's first answer shows whether its log went on while we were away.
    const theirs = reply.heads[peer];
    const mine = this.ledger.head(peer)?.seq ?? 0;
    if (first && theirs && theirs.seq > mine) void this.#pull(peer, peer, mine, theirs.seq);
  }

  /** Compares a peer's gossiped heads with what this node holds; pulls the header of any fork. */
  #gossip(peer: string, heads: Heads): void {
    let checked = this.#checked.get(peer);
    if (!checked) this.#checked.set(peer, (checked = new Map()));
    for (const [author, h] of Object.entries(heads)) {
      const seen = `${h.seq} ${h.id}`;
      if (checked.get(author) === seen) continue;
      const mine = this.ledger.head(author);
      if (author === this.party && (mine?.seq ?? 0) < h.seq) {
        // A head of this party's own log beyond what it ever wrote: the sign of a stolen key.
        checked.set(author, seen);
        void this.#ownHeadNotWritten(peer, h, '');
        continue;
      }
      if (!mine || mine.seq < h.seq) continue;
      checked.set(author, seen);
      const compare = (idAt: string | undefined) => {
        if (author === this.party && idAt === h.id) this.#links.get(peer)?.peerHolds(h.seq);
        if (idAt !== undefined && idAt !== h.id) void this.#pullFork(peer, author, h);
        if (author === this.party && idAt !== undefined && idAt !== h.id) void this.#ownHeadNotWritten(peer, h, idAt);
      };
      const known = mine.seq === h.seq ? mine.id : this.#tailId(author, h.seq);
      if (known !== undefined) compare(known);
      else {
        this.ledger.bySeq(author, h.seq).then(
          (e) => compare(e?.id),
          (err: unknown) => {
            checked.delete(author);
            this.#log.warn({ peer, author, err }, 'could not compare a gossiped head with the log held');
          },
        );
      }
    }
  }

  /** The id of one of this party's recent entries, from the tail kept for pushes. */
  #tailId(author: string, seq: number): string | undefined {
    if (author !== this.party) return undefined;
    const first = this.#tail[0]?.seq;
    return first !== undefined && seq >= first ? this.#tail[seq - first]?.id : undefined;
  }

  async #pullFork(peer: string, author: string, h: Head): Promise<void> {
    const key = `${author} ${h.seq} ${h.id}`;
    if (this.#forkPulls.has(key)) return;
    this.#forkPulls.add(key);
    try {
      const address = this.#address(peer);
      if (!address) return;
      const page = await this.#client.log(address, author, h.seq - 1, 1);
      const env = page.entries[0];
      const p = env && peekHeader(env);
      if (!env || !p || p.author !== author || p.seq !== h.seq) return;
      if (this.#stopped) return;
      await this.#accept([env], peer);
    } catch (err) {
      // Forget it, so the next gossip of the same head tries again.
      this.#checked.get(peer)?.delete(author);
      this.#log.warn({ peer, author, seq: h.seq, err }, 'could not fetch a gossiped header that differs from the one held');
    } finally {
      // Only pulls in flight are kept (a head gossiped again is not pulled twice: #checked remembers it per peer).
      this.#forkPulls.delete(key);
    }
  }

  /**
   * `peer` gossips a head of this party's own log that this node never wrote (beyond its head, or
   * another entry at a seq it holds). The entry is fetched from the peer and its signature checked
   * against this party's key: if it verifies, someone else signs with the key — a `key-compromise`
   * alert (status, event stream, the hotline's webhook), kept with the ledger. An entry that does not
   * verify is the peer's own error, logged. A fetch that fails is tried again at the next gossip.
   */
  async #ownHeadNotWritten(peer: string, h: Head, heldId: string): Promise<void> {
    const key = `${h.seq} ${h.id}`;
    if (this.#compromise.has(key) || this.#compromiseChecks.has(key)) return;
    this.#compromiseChecks.add(key);
    try {
      const address = this.#address(peer);
      const own = this.ledger.roster.key(this.party);
      if (!address || !own) return;
      const page = await this.#client.log(address, this.party, h.seq - 1, 1);
      const d = page.entries[0] ? decodeEnvelope(page.entries[0]) : undefined;
      if (!d?.ok || d.value.id !== h.id || d.value.header.author !== this.party || d.value.header.seq !== h.seq) {
        this.#checked.get(peer)?.delete(this.party);
        return;
      }
      if (this.#stopped) return;
      if (!verifyEntrySignature(d.value, own)) {
        this.#log.warn({ peer, seq: h.seq, id: h.id }, `${peer} gossips ${this.party}#${h.seq} that is not signed with ${this.party}'s key`);
        return;
      }
      const alert: KeyCompromiseAlert = {
        kind: 'key-compromise', party: this.party, peer, seq: h.seq, heldId, otherId: h.id, seenAt: new Date(this.#clock()).toISOString(),
        message: `${peer} holds ${this.party}#${h.seq} (${h.id.slice(0, 12)}…), signed with ${this.party}'s key, which this node never wrote (${heldId ? `its entry at that seq is ${heldId.slice(0, 12)}…` : `its head is seq ${this.ledger.head(this.party)?.seq ?? 0}`}): the signing key is compromised — rotate it and state which branch is ${this.party}'s own`,
      };
      this.#compromise.set(key, alert);
      while (this.#compromise.size > MAX_COMPROMISE_ALERTS) this.#compromise.delete(this.#compromise.keys().next().value!);
      this.#log.error({ peer, seq: h.seq, id: h.id, heldId }, alert.message);
      this.#emit({ kind: 'alert', alert });
      await this.ledger.saveMeta({ [META.compromise]: JSON.stringify([...this.#compromise.values()]) });
    } catch (err) {
      this.#checked.get(peer)?.delete(this.party);
      this.#log.warn({ peer, seq: h.seq, err }, `could not fetch ${this.party}#${h.seq} that ${peer} gossips and this node never wrote`);
    } finally {
      this.#compromiseChecks.delete(key);
    }
  }

  /** Pulls `author`'s log after `after` from `peer`, page by page, until caught up (or `upto`). */
  async #pull(peer: string, author: string, after: number, upto?: number): Promise<void> {
    const key = `${peer} ${author}`;
    if (this.#pulls.has(key) || this.#stopped) return;
    this.#pulls.add(key);
    try {
      let cursor = Math.max(after, this.ledger.head(author)?.seq ?? 0);
      for (let i = 0; i < MAX_PULL_PAGES && !this.#stopped; i++) {
        if (upto !== undefined && cursor >= upto) break;
        const address = this.#address(peer);
        if (!address) break;
        const page = await this.#client.log(address, author, cursor, PULL_PAGE);
        if (this.#stopped || page.entries.length === 0) break;
        await this.#accept(page.entries, peer);
        const last = peekHeader(page.entries[page.entries.length - 1])?.seq ?? cursor;
        if (last <= cursor) break;
        cursor = last;
        if (page.head && cursor >= page.head.seq) break;
      }
    } catch (err) {
      this.#log.warn({ peer, author, err }, `pulling ${author}'s log from ${peer} failed; the next gap or push retries`);
    } finally {
      this.#pulls.delete(key);
    }
  }

  #remember(key: string, reply: PushReply): void {
    this.#replies.set(key, reply);
    if (this.#replies.size > BATCH_REPLY_CACHE) {
      const oldest = this.#replies.keys().next().value;
      if (oldest !== undefined) this.#replies.delete(oldest);
    }
  }

  #linkChanged(party: string, link: LinkState, error: ParleyError | undefined): void {
    const s = this.#links.get(party)?.snapshot();
    const lastContact = s?.lastContact !== undefined ? new Date(s.lastContact).toISOString() : null;
    this.#log.info({ peer: party, link, err: error?.toJSON() }, `link to ${party} is ${link}`);
    this.#emit({ kind: 'link', party, link, lastContact, ...(error ? { error: { code: error.code, message: error.message } } : {}) });
  }

  #refused(party: string, error: ParleyError | undefined): void {
    if (!error) {
      this.#refusals.delete(party);
      return;
    }
    const known = this.#refusals.get(party);
    if (known && known.code === error.code) return;
    const alert: Alert & { kind: 'refused' } = { kind: 'refused', party, code: error.code, message: error.message, since: new Date(this.#clock()).toISOString() };
    this.#refusals.set(party, alert);
    this.#log.warn({ peer: party, err: error }, `${party} refuses this node's batch`);
    this.#emit({ kind: 'alert', alert });
  }

  #emit(e: FederationEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure must not stop delivery.
      }
    }
  }

  /**
   * A peer's receipt of this party's log counts as delivery only if it names an entry of this
   * party's own log: a receipt beyond this party's head, or of another entry at that seq (a
   * forged receipt, or a fork of this party's log signed with its key), is an alert instead.
   */
  async #noteReceipt(e: LedgerEntry): Promise<void> {
    const upto = Number(e.body?.upto);
    if (upto <= (this.#delivered.get(e.author) ?? 0)) return;
    const bad = await checkReceipt(this.ledger, e, this.#tailId(this.party, upto));
    if (bad) {
      if (this.#badReceipts.get(bad.party)?.seq === bad.seq) return;
      this.#badReceipts.set(bad.party, bad);
      this.#log.warn({ peer: e.author, seq: upto }, bad.message);
      this.#emit({ kind: 'alert', alert: bad });
      return;
    }
    if (upto > (this.#delivered.get(e.author) ?? 0)) this.#delivered.set(e.author, upto);
  }

  /** Rebuilds "highest own seq receipted" per peer from its receipts held here, after the last checkpoint. */
  async #scanReceipts(peer: string): Promise<void> {
    const bad: ReceiptAlert[] = [];
    this.#delivered.set(peer, Math.max(this.#delivered.get(peer) ?? 0, await receiptedUpTo(this.ledger, peer, bad)));
    for (const b of bad) this.#badReceipts.set(b.party, b);
  }

  #persistSoon(): void {
    if (this.#persistTimer || this.#stopped) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = undefined;
      this.#persist().catch((err: unknown) => this.#log.warn({ err }, 'could not write link state; it is rebuilt on restart'));
    }, PERSIST_DELAY_MS);
    this.#persistTimer.unref?.();
  }

  /**
   * One small commit with what changed of every link's acknowledged seq and receipt checkpoint
   * (last contact only every minute, or on stop): an idle node writes nothing.
   */
  async #persist(final = false): Promise<void> {
    const writes: [string, string][] = [];
    const put = (key: string, value: string) => {
      if (this.#written.get(key) !== value) writes.push([key, value]);
    };
    for (const [party, link] of this.#links) {
      const s = link.snapshot();
      put(META.acked(party), String(s.acked));
      const scanned = this.ledger.head(party)?.seq ?? 0;
      put(META.delivered(party), JSON.stringify({ upto: this.#delivered.get(party) ?? 0, scanned }));
      if (s.lastContact !== undefined) {
        const before = Number(this.#written.get(META.contact(party)) ?? 0);
        if (final ? s.lastContact !== before : s.lastContact - before > CONTACT_PERSIST_MS) put(META.contact(party), String(s.lastContact));
      }
    }
    if (writes.length === 0) return;
    await this.ledger.saveMeta(Object.fromEntries(writes));
    for (const [k, v] of writes) this.#written.set(k, v);
  }
}

function envelopeSize(e: Envelope): number {
  return e.header.length + e.sig.length + (e.content?.length ?? 0) + 40;
}

/**
 * The highest seq of this party's log that `peer` has receipted, from the receipts held here:
 * the checkpoint last written, then `peer`'s entries after it.
 */
async function receiptedUpTo(ledger: Ledger, peer: string, bad: ReceiptAlert[] = []): Promise<number> {
  const saved = parseDelivered(await ledger.meta(META.delivered(peer)));
  let upto = saved.upto;
  let after = saved.scanned;
  for (;;) {
    const page = await ledger.range(peer, after, 1000);
    if (page.length === 0) return upto;
    for (const e of page) {
      if (e.type !== 'receipt' || e.body?.of !== ledger.party || !(Number(e.body.upto) > upto)) continue;
      const problem = await checkReceipt(ledger, e);
      if (problem) bad.push(problem);
      else upto = Number(e.body.upto);
    }
    after = page[page.length - 1].seq;
  }
}

type ReceiptAlert = Alert & { kind: 'receipt' };

/**
 * Checks a peer's receipt of this party's log against the log itself: undefined if it names an
 * entry this party wrote (`knownId`: the id at that seq when the caller has it at hand), else the alert.
 */
async function checkReceipt(ledger: Ledger, e: LedgerEntry, knownId?: string): Promise<ReceiptAlert | undefined> {
  const upto = Number(e.body?.upto);
  const head = String(e.body?.head ?? '');
  const own = ledger.head(ledger.party);
  const alert = (heldId: string, why: string): ReceiptAlert => ({
    kind: 'receipt', party: e.author, seq: upto, heldId, otherId: head, seenAt: e.time,
    message: `${e.author}#${e.seq} receipts ${ledger.party}'s log up to seq ${upto} (${head.slice(0, 12)}…), ${why}; not counted as delivered — a forged receipt, or a fork of ${ledger.party}'s log signed with its key`,
  });
  if (!Number.isSafeInteger(upto) || upto < 1) return alert('', 'which is no seq');
  if (!own || upto > own.seq) return alert('', `beyond this party's head (seq ${own?.seq ?? 0})`);
  const id = own.seq === upto ? own.id : (knownId ?? (await ledger.bySeq(ledger.party, upto))?.id);
  return id === head ? undefined : alert(id ?? '', `but this party's entry at that seq is ${(id ?? '?').slice(0, 12)}…`);
}

function parseDelivered(text: string | undefined): { upto: number; scanned: number } {
  try {
    const v = JSON.parse(text ?? '{}') as { upto?: unknown; scanned?: unknown };
    return { upto: Number(v.upto) || 0, scanned: Number(v.scanned) || 0 };
  } catch {
    return { upto: 0, scanned: 0 };
  }
}

/** The key-compromise alerts written with the ledger. */
async function compromiseAlerts(ledger: Ledger): Promise<KeyCompromiseAlert[]> {
  try {
    const v = JSON.parse((await ledger.meta(META.compromise)) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as KeyCompromiseAlert[]).filter((a) => a && a.kind === 'key-compromise') : [];
  } catch {
    return [];
  }
}

/** Equivocation evidence the ledger keeps, as alerts. */
export async function equivocationAlerts(ledger: Ledger): Promise<(Alert & { kind: 'equivocation' })[]> {
  return (await ledger.equivocations()).map((e) => ({
    kind: 'equivocation' as const,
    author: e.author,
    seq: e.seq,
    heldId: e.heldId,
    otherId: e.otherId,
    source: e.source,
    seenAt: e.seenAt,
    message: `${e.author} signed two different entries at seq ${e.seq} (held ${e.heldId.slice(0, 12)}…, shown by ${e.source} ${e.otherId.slice(0, 12)}…); both headers are kept as evidence`,
  }));
}

/**
 * The status of a node that is not running, from its folder alone: links are unknown, the rest
 * comes from the ledger and the link state the node last wrote.
 */
export async function offlineStatus(ledger: Ledger): Promise<NodeStatus> {
  const self = ledger.party;
  const own = ledger.head(self)?.seq ?? 0;
  const peers: PeerStatus[] = [];
  for (const party of ledger.roster.codes().filter((p) => p !== self)) {
    const acked = Number((await ledger.meta(META.acked(party))) ?? 0) || 0;
    const contact = await ledger.meta(META.contact(party));
    peers.push({
      party,
      delivered: await receiptedUpTo(ledger, party),
      received: ledger.head(party)?.seq ?? 0,
      backlog: Math.max(0, own - acked),
      link: 'unknown',
      lastContact: contact ? new Date(Number(contact)).toISOString() : null,
    });
  }
  return { party: self, seq: own, peers, alerts: [...(await equivocationAlerts(ledger)), ...(await compromiseAlerts(ledger))] };
}
