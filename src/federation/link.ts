/**
 * One peer's outbox and link: what of this party's log the peer has acknowledged, the one batch
 * in flight to it, retries of that same batch with capped exponential backoff and jitter, and the
 * link's health as this node sees it.
 *
 * The outbox is not a queue of its own: it is "this party's entries after the peer's acknowledged
 * seq", read from the ledger, so whatever the operator was told was appended is in it, at any
 * instant of a crash. The acknowledged seq is kept in store meta (written lazily: if it lags after
 * a crash, the first exchange — a hello carrying no entries — learns the peer's real position,
 * and anything sent twice is a duplicate the peer's ledger skips by (author, seq)).
 */
import type { Envelope } from '../protocol/entry.js';
import { ParleyError, asParleyError } from '../protocol/errors.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { PeerAddress } from './client.js';
import type { Heads, PushReply, PushRequest } from './wire.js';

export type LinkState = 'unknown' | 'up' | 'down';

/** The logger subset federation uses (pino's). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** What a link needs from the node around it. */
export interface LinkHost {
  now(): number;
  random(): number;
  batchId(): string;
  ownSeq(): number;
  /** This party's entries after `after`, as `peer` may see them: content if addressed, stub otherwise. */
  outgoing(peer: string, after: number): Promise<{ entries: Envelope[]; last: number }>;
  heads(): Heads;
  address(peer: string): PeerAddress | undefined;
  push(peer: PeerAddress, request: PushRequest): Promise<PushReply>;
  /** A push was answered: take the receipts and gossip it carries. `first` on the first answer since start. */
  replied(peer: string, reply: PushReply, first: boolean): void;
  linkChanged(peer: string, link: LinkState, error: ParleyError | undefined): void;
  /** The peer refused our batch (or stopped refusing it: `error` undefined). */
  refused(peer: string, error: ParleyError | undefined): void;
  /** Link state worth persisting changed. */
  dirty(): void;
  log: Logger;
}

export interface LinkTimings {
  backoff: BackoffPolicy;
  /** With nothing to send for this long, a link sends an empty push: gossip, and a liveness check. */
  heartbeatMs: number;
  /**
   * Receipts the peer already got inline in a push reply are pushed to it as entries only if its
   * next gossip has not acknowledged them within this time (it usually has: no second request).
   */
  inlineGraceMs: number;
  /**
   * A batch of stubs only (nothing addressed to the peer) waits this long to gather more: nobody
   * waits on a stub, and in a busy network the receipts of every party to every other would
   * otherwise be one request each, competing with the entries someone does wait for.
   */
  stubDelayMs: number;
  /** Most own entries in one batch (a batch this full of stubs goes at once). */
  maxBatch: number;
}

interface Batch extends PushRequest {
  /** Highest own seq in the batch (the acknowledged seq for a hello). */
  last: number;
}

export interface LinkSnapshot {
  party: string;
  acked: number;
  link: LinkState;
  lastContact: number | undefined;
  error: ParleyError | undefined;
}

export class PeerLink {
  readonly party: string;
  readonly #host: LinkHost;
  readonly #t: LinkTimings;
  #acked: number;
  #inFlight: Batch | undefined;
  #sending = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #defer: NodeJS.Timeout | undefined;
  #stubTimer: NodeJS.Timeout | undefined;
  #stubsDue = false;
  #synced = false;
  #link: LinkState = 'unknown';
  #lastContact: number | undefined;
  #lastExchange = 0;
  #inlineUpTo = 0;
  #stopped = false;
  /** The next batch is being read from the store. */
  #building = false;
  #error: ParleyError | undefined;

  constructor(party: string, host: LinkHost, timings: LinkTimings, persisted: { acked: number; lastContact?: number }) {
    this.party = party;
    this.#host = host;
    this.#t = timings;
    this.#acked = persisted.acked;
    this.#lastContact = persisted.lastContact;
  }

  snapshot(): LinkSnapshot {
    return { party: this.party, acked: this.#acked, link: this.#link, lastContact: this.#lastContact, error: this.#error };
  }

  get acked(): number {
    return this.#acked;
  }

  /** Something may be due: send the next batch unless one is in flight or a retry is waiting. */
  kick(): void {
    if (this.#stopped || this.#sending || this.#retry || this.#building) return;
    if (this.#inFlight) return void this.#send(this.#inFlight);
    if (!this.#synced) {
      // First exchange since start: a hello, so the peer's own answer says where it stands.
      this.#inFlight = { batch: this.#host.batchId(), entries: [], heads: this.#host.heads(), last: this.#acked };
      return void this.#send(this.#inFlight);
    }
    const own = this.#host.ownSeq();
    if (own <= this.#acked) return;
    if (own <= this.#inlineUpTo) {
      this.#deferInline();
      return;
    }
    // Reading the next entries may wait on the store: no second batch is built meanwhile.
    this.#building = true;
    this.#host.outgoing(this.party, this.#acked).then(
      (out) => {
        this.#building = false;
        if (this.#stopped || this.#sending || this.#retry || this.#inFlight || out.entries.length === 0) return;
        if (!this.#stubsDue && out.entries.length < this.#t.maxBatch && out.entries.every((e) => e.content === undefined)) {
          this.#deferStubs();
          return;
        }
        this.#stubsDue = false;
        this.#inFlight = { batch: this.#host.batchId(), entries: out.entries, heads: this.#host.heads(), last: out.last };
        void this.#send(this.#inFlight);
      },
      (err: unknown) => {
        this.#building = false;
        this.#host.log.warn({ peer: this.party, err }, `could not read the entries due to ${this.party}; the next commit or heartbeat retries`);
      },
    );
  }

  /** Called on the node's slow tick: an idle link gossips and checks that the peer is there. */
  heartbeat(): void {
    if (this.#stopped || this.#sending || this.#retry || this.#inFlight) return;
    if (this.#host.now() - this.#lastExchange < this.#t.heartbeatMs) return;
    this.#inFlight = { batch: this.#host.batchId(), entries: [], heads: this.#host.heads(), last: this.#acked };
    void this.#send(this.#inFlight);
  }

  /** The peer reached us (an authenticated request): it is up, so a waiting retry goes now. */
  heard(): void {
    this.#lastContact = this.#host.now();
    if (this.#retry && this.#error?.code === 'PARLEY_ERR_UNAVAILABLE') {
      clearTimeout(this.#retry);
      this.#retry = undefined;
      this.kick();
    }
  }

  /** The peer's gossip (signed by it) says it holds this party's log up to `seq`. */
  peerHolds(seq: number): void {
    if (seq > this.#acked && seq <= this.#host.ownSeq()) {
      this.#acked = seq;
      this.#host.dirty();
    }
  }

  /** Receipts up to own seq `seq` went to the peer inline in a push reply. */
  returnedInline(seq: number): void {
    if (seq > this.#inlineUpTo) this.#inlineUpTo = seq;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#defer) clearTimeout(this.#defer);
    if (this.#stubTimer) clearTimeout(this.#stubTimer);
    this.#retry = this.#defer = this.#stubTimer = undefined;
  }

  #deferStubs(): void {
    if (this.#stubTimer) return;
    this.#stubTimer = setTimeout(() => {
      this.#stubTimer = undefined;
      this.#stubsDue = true;
      this.kick();
    }, this.#t.stubDelayMs);
    this.#stubTimer.unref?.();
  }

  #deferInline(): void {
    if (this.#defer) return;
    this.#defer = setTimeout(() => {
      this.#defer = undefined;
      this.#inlineUpTo = 0;
      this.kick();
    }, this.#t.inlineGraceMs);
    this.#defer.unref?.();
  }

  async #send(batch: Batch): Promise<void> {
    this.#sending = true;
    let reply: PushReply | undefined;
    let error: ParleyError | undefined;
    try {
      const address = this.#host.address(this.party);
      if (!address) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${this.party} has no usable URL in the roster`);
      reply = await this.#host.push(address, batch);
    } catch (err) {
      error = asParleyError(err);
    }
    this.#sending = false;
    if (this.#stopped) return;
    this.#lastExchange = this.#host.now();
    if (reply) {
      try {
        this.#succeeded(reply);
      } catch (err) {
        this.#host.log.error({ peer: this.party, err }, 'handling a push reply failed');
      }
      this.kick();
    } else {
      this.#failed(error ?? new ParleyError('PARLEY_ERR_UNAVAILABLE'));
    }
  }

  #succeeded(reply: PushReply): void {
    const first = !this.#synced;
    this.#inFlight = undefined;
    this.#attempt = 0;
    this.#synced = true;
    this.#lastContact = this.#lastExchange;
    // The signed reply is the truth about what the peer holds, even if it is less than we thought
    // (a peer restored from an old backup): the outbox simply resends from there.
    this.#acked = Math.min(reply.held.seq, this.#host.ownSeq());
    if (this.#error) {
      if (this.#error.detail?.remote) this.#host.refused(this.party, undefined);
      this.#error = undefined;
    }
    this.#setLink('up', undefined);
    this.#host.dirty();
    this.#host.replied(this.party, reply, first);
  }

  #failed(error: ParleyError): void {
    this.#attempt++;
    const wasRefused = Boolean(this.#error?.detail?.remote);
    this.#error = error;
    this.#setLink('down', error);
    if (error.detail?.remote) this.#host.refused(this.party, error);
    else if (wasRefused) this.#host.refused(this.party, undefined);
    const delay = backoffDelay(this.#attempt, this.#host.random(), this.#t.backoff);
    if (this.#attempt === 1 || this.#attempt % 20 === 0) {
      this.#host.log.warn({ peer: this.party, attempt: this.#attempt, retryInMs: delay, err: error }, `delivery to ${this.party} failed; retrying the same batch`);
    }
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.kick();
    }, delay);
    this.#retry.unref?.();
  }

  #setLink(link: LinkState, error: ParleyError | undefined): void {
    if (this.#link === link) return;
    this.#link = link;
    this.#host.linkChanged(this.party, link, error);
  }
}
