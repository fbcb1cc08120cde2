/**
 * The ledger: one party's view of every author's log. `append` writes this party's own entries
 * (sign, chain, one durable commit, concurrent appends grouped into one commit); `accept` takes
 * other parties' envelopes through every acceptance rule of Protocol v1 (checks.ts).
 *
 * One serial writer per ledger: every write — a batch of appends, an accepted batch with its
 * receipts — runs alone, as prefetch → decide → commit → apply → emit, and its commit carries a
 * compare-and-set on the heads it was decided on. No interleaving in this process, and no other
 * process on the same database, can make two entries of this party's log share a head: a commit
 * decided on a stale head is refused by the store, the ledger reloads the head and decides again.
 *
 * On a store shared by several processes (PostgreSQL), the ledger also follows the others: their
 * commits (heard through the store, and checked every few seconds in case a notice was missed)
 * are read, chained onto the heads held here and given to the commit listeners like its own —
 * the event stream, the regimes and the hotline see every process's entries. A write that lost a
 * race for this party's head is decided again in this process's writing turn, which the other
 * processes wait for: no process can keep another's writes waiting.
 */
import { randomBytes } from 'node:crypto';
import { toB64url, ZERO_HASH } from '../protocol/bytes.js';
import {
  assembleEntry, checkContentShape, decodeEnvelope, encodeContent, encodeHeader, formatTime, isAddressee, MAX_CONTENT_BYTES, sealEntry,
  type Content, type DecodedEntry, type Envelope, type Header,
} from '../protocol/entry.js';
import { ParleyError } from '../protocol/errors.js';
import { Frontier, inclusionProof, type Hash, type MerkleNode } from '../protocol/merkle.js';
import { sha256hex } from '../protocol/bytes.js';
import { signHeader, type SigningKey } from '../protocol/signing.js';
import { createSigner, type HeaderSigner } from './signer.js';
import { BatchVerdicts, CheckPool, checkWorkerScript, defaultCheckWorkers, POOL_MIN_BATCH } from './check-pool.js';
import type { Catalogue } from '../catalogue/index.js';
import { Roster } from './roster.js';
import type { EntryRow, EquivocationRow, SharedStore, Store, StoreChange, StoreReader } from './store.js';
import type { ProofBundle } from '../protocol/proof.js';
import { AUTHOR_CHECKS, CHAIN_CHECKS, firstProblem, type ChainTip } from './checks.js';
import { verifyStore, type VerifyOptions, type VerifyReport } from './verify.js';

export type Clock = () => number;

/** What an operator asks to say. */
export interface AppendInput {
  type: string;
  to: string[];
  refs?: string[];
  body: Record<string, unknown>;
}

/** An entry as the ledger returns it: chain position, and what was said where the content is held. */
export interface LedgerEntry {
  id: string;
  author: string;
  seq: number;
  time: string;
  type?: string;
  to?: string[];
  refs?: string[];
  body?: Record<string, unknown>;
  /** The envelope as stored: with content where held, a stub otherwise. */
  envelope: Envelope;
  pos?: number;
}

export interface AcceptOptions {
  /** Who showed us these envelopes (a peer code, 'import', 'pull'): recorded with equivocation evidence. */
  source: string;
  /**
   * What to do with an entry whose seq is beyond the next one expected: 'hold' keeps it in memory
   * until the gap is filled (federation: a gap triggers a pull); 'refuse' refuses the batch (import).
   */
  onGap: 'hold' | 'refuse';
  /** Write receipts for entries addressed to this party (federation), as Protocol v1 says. */
  receipts: boolean;
  /**
   * A copy of this node's own store into another (`parley store copy`): this party's own log is
   * taken like any author's (each entry still checked against the party's pinned key, chain and
   * root), and content is kept wherever the envelope carries it — the source held it.
   */
  copy?: boolean;
}

export interface AcceptReport {
  /** Entries newly stored, in the order stored. */
  accepted: LedgerEntry[];
  duplicates: number;
  /** Entries waiting for a gap to be filled. */
  held: number;
  /** Authors with a gap: we hold up to `have` and saw an entry at `saw`. */
  gaps: { author: string; have: number; saw: number }[];
  equivocations: { author: string; seq: number; heldId: string; otherId: string }[];
  /** Receipt entries this party wrote in the same commit. */
  receipts: LedgerEntry[];
}

interface AuthorState {
  seq: number;
  id: string;
  time: string;
  frontier: Frontier;
}

/** Appends chained and being signed, not yet committed. */
interface Prepared {
  batch: Pending[];
  baseSeq: number;
  baseId: string;
  after: AuthorState;
  headers: Header[];
  headerBytes: Buffer[];
  nodes: MerkleNode[];
  signing: Promise<Buffer[]>;
}

interface Pending {
  input: AppendInput;
  content: Content;
  contentBytes: Buffer;
  resolve: (e: LedgerEntry) => void;
  reject: (e: unknown) => void;
}

type CommitListener = (entries: LedgerEntry[]) => void;

const MAX_HELD_OUT_OF_ORDER = 10_000;
/** Bytes of one author's entries held out of order, at most: a peer sending far ahead cannot fill memory (pull brings the rest). */
const MAX_HELD_BYTES_PER_AUTHOR = 16 * 1024 * 1024;
/** Second signed headers kept as evidence per (author, seq), at most: a stolen key cannot fill the store with forks of one seq. */
export const MAX_EVIDENCE_PER_SEQ = 4;
/**
 * How long one write keeps being decided again while other writers move the head under it. Two
 * processes of a node on one database race for the same head all the time: each retry waits a
 * random, growing pause first, so that the two fall out of step; a write is given up (refused,
 * nothing appended) only after this long without once getting through — a count of retries would
 * refuse an operator's append merely because the other process is busy.
 */
const STALE_GIVE_UP_MS = 30_000;
/** The longest pause, in milliseconds, before a write is decided again. */
const MAX_STALE_PAUSE_MS = 64;
/** Largest group commit: bounds the latency one batch adds to the appends queued behind it. */
const MAX_BATCH = 256;
const RECEIPT_META = (author: string) => `receipt-upto:${author}`;
/** On a shared store, how often the heads are read in case a commit notice was missed. */
const FOLLOW_POLL_MS = 2000;

export interface LedgerOptions {
  store: Store;
  party: string;
  key: SigningKey;
  catalogue: Catalogue;
  clock?: Clock;
  random?: (n: number) => Buffer;
  /** Worker threads that sign appends (0: sign in this thread). Long-running nodes use the cores. */
  signingWorkers?: number;
  /**
   * Worker threads that check the signatures of large batches given to `accept` (0: in this
   * thread). Default: one per core, started at the first large batch, when the built worker exists.
   */
  checkWorkers?: number;
  /** The check worker's script (default: check-worker.js beside this file, when built). */
  checkWorkerScript?: string;
  /** The smallest batch whose signatures go to the workers (default POOL_MIN_BATCH; smaller ones are checked inline). */
  checkWorkersFrom?: number;
}

export class Ledger {
  readonly party: string;
  readonly roster: Roster;
  readonly catalogue: Catalogue;
  readonly #store: Store;
  readonly #key: SigningKey;
  readonly #clock: Clock;
  readonly #random: (n: number) => Buffer;
  readonly #authors = new Map<string, AuthorState>();
  readonly #outOfOrder = new Map<string, Map<number, DecodedEntry>>();
  /** Evidence rows held per `${author} ${seq}`. */
  readonly #evidence = new Map<string, number>();
  readonly #listeners = new Set<CommitListener>();
  #queue: Pending[] = [];
  #flushScheduled = false;
  #draining = false;
  /** Batches prepared and being signed, oldest first; not yet committed. */
  #inflight: Prepared[] = [];
  readonly #signer: HeaderSigner;
  readonly #checkWorkers: number;
  readonly #checkScript: string | undefined;
  readonly #checkFrom: number;
  #checkPool: CheckPool | undefined;
  /** The serial writer: every write waits for the one before it. */
  #writer: Promise<unknown> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;
  /**
   * Per author, the highest seq this party has receipted (the `receipt-upto` metadata), as read or
   * written here. Forgotten whenever another process may have written receipts (a stale head, a
   * failed commit, this party's entries followed from another process).
   */
  readonly #receiptUpto = new Map<string, number>();
  /** Other processes' changes heard and not yet followed (merged). */
  #followDue: StoreChange | 'heads' | undefined;
  #following = false;
  #unwatch: (() => void) | undefined;
  #poll: NodeJS.Timeout | undefined;

  /**
   * Opens a ledger on a store: reads every author's head and Merkle frontier and the roster.
   *
   * @example
   *   const ledger = await Ledger.open({ store: openStore('usa/parley.db'), party: 'USA', key, catalogue });
   *   const e = await ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'Exercise', text: '…' } });
   */
  static async open(options: LedgerOptions): Promise<Ledger> {
    const roster = await Roster.load(options.store);
    const ledger = new Ledger(options, roster);
    await ledger.#reloadHeads();
    for (const r of await options.store.equivocations()) ledger.#countEvidence(r.author, r.seq);
    ledger.#watch();
    return ledger;
  }

  /** On a shared store: follows the commits of the other processes. */
  #watch(): void {
    const shared = this.#store.shared;
    if (!shared) return;
    this.#unwatch = shared.watch((change) => this.#heard(change ?? 'heads'));
    this.#poll = setInterval(() => this.#heard('heads'), FOLLOW_POLL_MS);
    this.#poll.unref?.();
  }

  /** Queues a follow of what another process committed: at most one runs, and one waits, merging what was heard meanwhile. */
  #heard(change: StoreChange | 'heads'): void {
    if (this.#closed) return;
    if (change !== 'heads') {
      // Nothing beyond what this process holds: its own commit, or one already followed.
      const ahead = Object.entries(change.heads).some(([author, seq]) => seq > this.#state(author).seq);
      if (!ahead && change.attached.length === 0) return;
    }
    const due = this.#followDue;
    if (due === 'heads' || change === 'heads') this.#followDue = 'heads';
    else if (!due) this.#followDue = { heads: { ...change.heads }, attached: [...change.attached] };
    else {
      for (const [a, seq] of Object.entries(change.heads)) due.heads[a] = Math.max(due.heads[a] ?? 0, seq);
      due.attached.push(...change.attached);
    }
    if (this.#following) return;
    this.#following = true;
    void (async () => {
      try {
        while (this.#followDue && !this.#closed) {
          const next = this.#followDue;
          this.#followDue = undefined;
          let heads: Record<string, number>;
          if (next === 'heads') {
            heads = {};
            for (const h of await this.#store.heads()) heads[h.author] = h.seq;
          } else heads = next.heads;
          const attached = next === 'heads' ? [] : next.attached;
          if (!Object.entries(heads).some(([a, seq]) => seq > this.#state(a).seq) && attached.length === 0) continue;
          await this.#exclusive(() => this.#follow(heads, attached));
        }
      } catch {
        // The store is unreachable: the next notice or poll tries again.
      } finally {
        this.#following = false;
      }
    })();
  }

  /**
   * Reads what other processes committed beyond the heads held here (up to `heads` at least),
   * chains it onto them and gives it to the commit listeners, in the order stored. Runs as the
   * writer. An author whose stored log does not continue the head held here is read again whole.
   * All or nothing: a read that fails leaves the heads held here as they were, for the next try.
   */
  async #follow(heads: Record<string, number>, attached: readonly string[] = []): Promise<void> {
    const rows: EntryRow[] = [];
    const moved = new Map<string, AuthorState>();
    let reload = false;
    for (const [author, seq] of Object.entries(heads)) {
      const held = this.#state(author);
      if (seq <= held.seq) continue;
      const s = cloneState(held);
      for (;;) {
        const page = await this.#store.range(author, s.seq, 1000);
        for (const r of page) {
          if (r.seq !== s.seq + 1) {
            reload = true;
            break;
          }
          s.frontier.append(r.header);
          s.seq = r.seq;
          s.id = r.id;
          s.time = r.time;
          rows.push(r);
        }
        if (reload || page.length < 1000) break;
      }
      moved.set(author, s);
    }
    for (const id of attached) {
      const r = await this.#store.entryById(id);
      if (r?.content) rows.push(r);
    }
    for (const [author, s] of moved) this.#authors.set(author, s);
    if (moved.has(this.party)) this.#receiptUpto.clear();
    if (reload) await this.#reloadHeads();
    this.#hold([], new Map());
    if (rows.length === 0) return;
    rows.sort((a, b) => (a.pos ?? 0) - (b.pos ?? 0));
    this.#emit(rows.map(entryOfRow));
  }

  private constructor(options: LedgerOptions, roster: Roster) {
    this.party = options.party;
    this.#store = options.store;
    this.catalogue = options.catalogue;
    this.#key = options.key;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? randomBytes;
    this.roster = roster;
    this.#signer = createSigner(this.#key, options.signingWorkers ?? 0);
    this.#checkScript = options.checkWorkerScript ?? checkWorkerScript();
    this.#checkWorkers = this.#checkScript ? (options.checkWorkers ?? defaultCheckWorkers()) : 0;
    this.#checkFrom = options.checkWorkersFrom ?? POOL_MIN_BATCH;
  }

  /** Reads heads and frontiers from the store (at open, and after another writer moved a head). */
  async #reloadHeads(): Promise<void> {
    for (const h of await this.#store.heads()) {
      const held = this.#authors.get(h.author);
      if (held && held.seq === h.seq && held.id === h.id) continue;
      const nodes: MerkleNode[] = [];
      for (const p of Frontier.positions(h.seq)) nodes.push({ ...p, hash: await this.#readNode(h.author, p.level, p.index) });
      this.#authors.set(h.author, { seq: h.seq, id: h.id, time: h.time, frontier: new Frontier(h.seq, nodes) });
    }
  }

  /**
   * After a write was refused on a stale head: reads the heads again — on a shared store, by
   * following what the other processes committed, so the listeners hear it too. Runs as the writer.
   */
  async #catchUp(): Promise<void> {
    this.#receiptUpto.clear();
    if (!this.#store.shared) return this.#reloadHeads();
    const heads: Record<string, number> = {};
    for (const h of await this.#store.heads()) heads[h.author] = h.seq;
    await this.#follow(heads);
  }

  /** Runs `write` after every write queued before it: the ledger's one writer. */
  #exclusive<T>(write: () => Promise<T>): Promise<T> {
    const run = this.#writer.then(write, write);
    this.#writer = run.catch(() => undefined);
    return run;
  }

  /** What the store offers several processes of this node (PostgreSQL); undefined when one process owns it. */
  get shared(): SharedStore | undefined {
    return this.#store.shared;
  }

  get publicKey(): string {
    return this.#key.publicKeyB64;
  }

  now(): number {
    return this.#clock();
  }

  /** Called after every durable commit with the entries it stored (each with its local `pos`). */
  onCommit(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Highest seq held per author (contiguous). */
  head(author: string): { seq: number; id: string; time: string } | undefined {
    const s = this.#authors.get(author);
    return s && { seq: s.seq, id: s.id, time: s.time };
  }

  heads(): Record<string, { seq: number; id: string }> {
    const out: Record<string, { seq: number; id: string }> = {};
    for (const [a, s] of [...this.#authors].sort(([x], [y]) => x.localeCompare(y))) out[a] = { seq: s.seq, id: s.id };
    return out;
  }

  // ---------------------------------------------------------------- append

  /**
   * Signs, chains and stores one entry of this party. Resolves only after the durable commit.
   * Appends made in the same turn of the event loop share one commit (group commit).
   */
  async append(input: AppendInput): Promise<LedgerEntry> {
    if (this.#closed) throw new ParleyError('PARLEY_ERR_CLOSED');
    const content = await this.#checkAppend(input);
    const contentBytes = encodeContent(content);
    if (contentBytes.length > MAX_CONTENT_BYTES) {
      throw new ParleyError('PARLEY_ERR_CONTENT_TOO_LARGE', `content is ${contentBytes.length} bytes; the limit is ${MAX_CONTENT_BYTES} bytes (256 KiB)`);
    }
    if (this.#closed) throw new ParleyError('PARLEY_ERR_CLOSED');
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, content, contentBytes, resolve, reject });
      this.#kick();
    });
  }

  async #checkAppend(input: AppendInput): Promise<Content> {
    if (typeof input !== 'object' || input === null) throw new ParleyError('PARLEY_ERR_BAD_CONTENT', 'an entry needs type, to, refs and body');
    const content: Content = {
      type: input.type,
      to: input.to,
      refs: input.refs ?? [],
      body: input.body,
      salt: this.#salt(),
    };
    const shape = checkContentShape(content as unknown as Record<string, unknown>);
    if (shape) throw shape;
    const valid = this.catalogue.validate(content.type, content.body, this.party, content.refs, content.to);
    if (!valid.ok) throw valid.error;
    if (!(content.to.length === 1 && content.to[0] === '*')) {
      for (const p of content.to) {
        if (!this.roster.has(p)) throw new ParleyError('PARLEY_ERR_UNKNOWN_ADDRESSEE', `${p} is not in the roster; add its descriptor with 'parley roster add' first`, { party: p });
      }
    }
    for (const ref of content.refs) {
      if (!(await this.#store.entryById(ref))) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `refs names entry ${ref}, which this node does not hold`, { ref });
    }
    return content;
  }

  #kick(): void {
    if (this.#draining || this.#flushScheduled || this.#closed) return;
    this.#flushScheduled = true;
    // Wait one turn of the event loop so that appends made together share one commit.
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#drain();
    });
  }

  /**
   * Commits queued appends in batches. While batch k is committed (fsync), batch k+1, chained on
   * k's headers, is already being signed on worker threads. A batch whose base moved meanwhile
   * (receipts written by `accept`, another process on the same database, a failed commit) is
   * rebuilt on the live head.
   */
  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      let current = this.#take(this.#state(this.party));
      let stale = 0;
      let staleSince: number | undefined;
      while (current && !this.#closed) {
        let sigs: Buffer[];
        try {
          sigs = await current.signing;
        } catch {
          sigs = current.headerBytes.map((h) => signHeader(h, this.#key));
        }
        if (this.#closed) return; // close() commits the in-flight batches itself
        const batch: Prepared = current;
        const outcome = await this.#exclusive(async (): Promise<{ next?: Prepared; rebuild?: boolean; refused?: boolean }> => {
          if (!this.#inflight.includes(batch)) return {}; // close() took it
          const live = this.#state(this.party);
          if (batch.baseSeq !== live.seq || batch.baseId !== live.id) return { rebuild: true };
          const next = this.#take(batch.after);
          const committed = await this.#commit(batch, sigs);
          if (committed === 'stale') {
            // The next batch was chained on this one: give its appends back to the front of the
            // queue, to be chained again behind this batch once it is rebuilt.
            if (next) {
              this.#inflight = this.#inflight.filter((p) => p !== next);
              this.#queue.unshift(...next.batch);
              next.signing.catch(() => {});
            }
            return { rebuild: true, refused: true };
          }
          return { next };
        });
        if (outcome.refused && this.#store.shared) {
          // Lost a race with another process: decided again in this process's turn, which the
          // other processes wait for.
          await this.#exclusive(() => this.#commitInTurn(batch));
          current = this.#take(this.#state(this.party));
          continue;
        }
        if (outcome.refused) {
          staleSince ??= performance.now();
          if (performance.now() - staleSince > STALE_GIVE_UP_MS) {
            this.#fail(batch, new ParleyError('PARLEY_ERR_STALE_HEAD', `another writer kept moving ${this.party}'s head for ${STALE_GIVE_UP_MS / 1000} s; nothing of this batch was appended`));
            stale = 0;
            staleSince = undefined;
            await this.#exclusive(() => this.#catchUp());
            current = this.#take(this.#state(this.party));
            continue;
          }
          await this.#pause(stale++);
          await this.#exclusive(() => this.#catchUp());
        }
        if (outcome.rebuild) {
          this.#inflight = this.#inflight.filter((p) => p !== batch);
          const again = this.#prepare(batch.batch, this.#state(this.party));
          this.#inflight.unshift(again);
          current = again;
          continue;
        }
        stale = 0;
        staleSince = undefined;
        current = outcome.next;
      }
    } finally {
      this.#draining = false;
      if (this.#queue.length && !this.#closed) this.#kick();
    }
  }

  #take(from: AuthorState): Prepared | undefined {
    if (this.#queue.length === 0) return undefined;
    const batch = this.#queue.splice(0, MAX_BATCH);
    const p = this.#prepare(batch, from);
    this.#inflight.push(p);
    return p;
  }

  /** Chains a batch's headers on `from` (unsigned yet) and starts signing them. */
  #prepare(batch: Pending[], from: AuthorState): Prepared {
    const own = cloneState(from);
    const headers: Header[] = [];
    const headerBytes: Buffer[] = [];
    const nodes: MerkleNode[] = [];
    for (const p of batch) {
      const header = this.#nextHeader(own, p.contentBytes);
      const bytes = encodeHeader(header);
      for (const n of own.frontier.append(bytes)) nodes.push(n);
      own.seq = header.seq;
      own.id = sha256hex(bytes);
      own.time = header.time;
      headers.push(header);
      headerBytes.push(bytes);
    }
    return { batch, baseSeq: from.seq, baseId: from.id, after: own, headers, headerBytes, nodes, signing: this.#signer.sign(headerBytes) };
  }

  /**
   * Commits appends in this process's writing turn of its party's log (shared stores): the heads
   * are read after the turn is granted, and no other process commits to the log until it ends,
   * so the commit cannot be refused as stale. Runs as the writer.
   */
  async #commitInTurn(refused: Prepared): Promise<void> {
    // close() took it (and commits it itself).
    if (!this.#inflight.includes(refused)) return;
    this.#inflight = this.#inflight.filter((p) => p !== refused);
    const batch = refused.batch;
    const shared = this.#store.shared!;
    try {
      await shared.withTurn(this.party, async () => {
        await this.#catchUp();
        const p = this.#prepare(batch, this.#state(this.party));
        let sigs: Buffer[];
        try {
          sigs = await p.signing;
        } catch {
          sigs = p.headerBytes.map((h) => signHeader(h, this.#key));
        }
        if ((await this.#commit(p, sigs)) === 'stale') {
          this.#fail(p, new ParleyError('PARLEY_ERR_STALE_HEAD', `${this.party}'s head moved while this process held its writing turn; nothing of this batch was appended`));
        }
      });
    } catch (err) {
      const e = err instanceof ParleyError ? err : new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was appended: ${(err as Error).message}`, undefined, { cause: err });
      this.#receiptUpto.clear();
      // A batch already failed or committed in the turn was settled there; settling twice is a no-op.
      for (const q of batch) q.reject(e);
    }
  }

  /** A random pause before retry `attempt` after a stale head, growing with the attempt. */
  #pause(attempt: number): Promise<void> {
    const ms = (this.#random(1)[0] / 256) * Math.min(MAX_STALE_PAUSE_MS, 2 ** attempt);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  #fail(p: Prepared, e: ParleyError): void {
    this.#inflight = this.#inflight.filter((x) => x !== p);
    for (const q of p.batch) q.reject(e);
  }

  /** One durable commit of a prepared batch; 'stale' when another writer moved this party's head. */
  async #commit(p: Prepared, sigs: Buffer[]): Promise<'done' | 'stale'> {
    const sealed = p.batch.map((q, i) => assembleEntry(p.headers[i], p.headerBytes[i], sigs[i], q.content, q.contentBytes));
    let positions: number[];
    try {
      ({ positions } = await this.#store.commit({
        expect: [{ author: this.party, seq: p.baseSeq }],
        entries: sealed.map(rowOf),
        nodes: [{ author: this.party, nodes: p.nodes }],
      }));
    } catch (err) {
      if (err instanceof ParleyError && err.code === 'PARLEY_ERR_STALE_HEAD') return 'stale';
      const passed = err instanceof ParleyError && (err.code === 'PARLEY_ERR_STORE_UNAVAILABLE' || err.code === 'PARLEY_ERR_DISK_FULL');
      this.#fail(p, passed ? (err as ParleyError) : new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was appended: ${(err as Error).message}`, undefined, { cause: err }));
      return 'done';
    }
    this.#inflight = this.#inflight.filter((x) => x !== p);
    this.#authors.set(this.party, p.after);
    const entries = sealed.map((e, i) => toLedgerEntry(e, positions[i]));
    p.batch.forEach((q, i) => q.resolve(entries[i]));
    this.#emit(entries);
    return 'done';
  }

  /** The next header of this party's log on top of `own` (a working copy). */
  #nextHeader(own: AuthorState, contentBytes: Buffer): Header {
    // Time never goes backwards in one's own log, even if the wall clock does.
    const last = own.seq > 0 ? Date.parse(own.time) : -Infinity;
    return {
      v: 1,
      author: this.party,
      seq: own.seq + 1,
      prev: own.seq === 0 ? ZERO_HASH : own.id,
      root: own.frontier.root().toString('hex'),
      time: formatTime(Math.max(this.#clock(), last)),
      content: sha256hex(contentBytes),
    };
  }

  /** Builds and signs, in this thread, the next entry of this party's log (receipts in accept). */
  #seal(own: AuthorState, content: Content, contentBytes: Buffer): DecodedEntry {
    return sealEntry(this.#nextHeader(own, contentBytes), content, contentBytes, this.#key);
  }

  #saltPool: Buffer = Buffer.alloc(0);
  /** 16 random bytes per content, drawn from a pool refilled 4 KiB at a time. */
  #salt(): string {
    if (this.#saltPool.length < 16) this.#saltPool = this.#random(4096);
    const s = this.#saltPool.subarray(0, 16);
    this.#saltPool = this.#saltPool.subarray(16);
    return toB64url(s);
  }

  #state(author: string): AuthorState {
    return this.#authors.get(author) ?? { seq: 0, id: ZERO_HASH, time: '', frontier: new Frontier() };
  }

  async #readNode(author: string, level: number, index: number): Promise<Buffer> {
    const h = await this.#store.readNode(author, level, index);
    if (!h) throw new ParleyError('PARLEY_ERR_STORE', `Merkle node ${author}/${level}/${index} is missing from the store`);
    return h;
  }

  // ---------------------------------------------------------------- accept

  /**
   * Takes envelopes from a peer or a file through every acceptance rule. All or nothing: if any
   * envelope breaks a rule, the batch is refused with the code of the first problem (its detail
   * names the check) and nothing is stored. Entries already held are skipped (idempotent); a
   * different entry at a seq already held is equivocation, kept as evidence.
   */
  accept(raws: readonly unknown[], options: AcceptOptions): Promise<AcceptReport> {
    if (this.#closed) return Promise.reject(new ParleyError('PARLEY_ERR_CLOSED'));
    // Decoding is pure and needs no turn of the writer. A large batch's signatures are checked on
    // worker threads, slice by slice, while the rest is still being decoded.
    const decoded: DecodedEntry[] = [];
    const pool = raws.length >= this.#checkFrom && this.#checkWorkers > 0 ? (this.#checkPool ??= new CheckPool(this.#checkWorkers, this.#checkScript!)) : undefined;
    const checking = pool?.batch();
    const keyOf = (author: string) => this.roster.get(author)?.publicKey;
    let sent = 0;
    try {
      raws.forEach((raw, index) => {
        const d = decodeEnvelope(raw);
        if (!d.ok) throw new ParleyError(d.error.code, `entry ${index}: ${d.error.message}`, { index, ...d.error.detail });
        decoded.push(d.value);
        if (checking && decoded.length - sent >= 1024) checking.add(decoded.slice(sent, (sent = decoded.length)), keyOf);
      });
      if (checking && sent < decoded.length) checking.add(decoded.slice(sent), keyOf);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#exclusive(async () => {
      if (this.#closed) throw new ParleyError('PARLEY_ERR_CLOSED');
      await checking?.verdicts.settle();
      const since = performance.now();
      const once = async () => {
        const decision = await this.#decideAccept(decoded, options, checking?.verdicts);
        if (decision.report) return decision.report;
        return this.#commitAccept(decision, options);
      };
      const shared = this.#store.shared;
      for (let attempt = 0; ; attempt++) {
        try {
          // After a lost race on a shared store, decided again in this process's writing turn of
          // its own log (which receipts extend): another process cannot keep it waiting.
          return attempt > 0 && shared ? await shared.withTurn(this.party, async () => (await this.#catchUp(), once())) : await once();
        } catch (err) {
          if (err instanceof ParleyError && err.code !== 'PARLEY_ERR_STALE_HEAD') this.#receiptUpto.clear();
          if (!(err instanceof ParleyError && err.code === 'PARLEY_ERR_STALE_HEAD') || performance.now() - since > STALE_GIVE_UP_MS) throw err;
          if (!shared) await this.#pause(attempt);
          await this.#catchUp();
        }
      }
    });
  }

  /** Prefetch and decide: which envelopes extend which chain, what is evidence, which receipts are due. */
  async #decideAccept(decoded: readonly DecodedEntry[], options: AcceptOptions, verdicts?: BatchVerdicts): Promise<AcceptDecision> {
    const now = this.#clock();
    const work = new Map<string, AuthorState>();
    const base = new Map<string, number>();
    const rows: EntryRow[] = [];
    const stored: DecodedEntry[] = [];
    const nodes = new Map<string, MerkleNode[]>();
    const attach: AcceptDecision['attach'] = [];
    const equivocations: AcceptReport['equivocations'] = [];
    const evidence: DecodedEntry[] = [];
    const held: DecodedEntry[] = [];
    const gaps = new Map<string, { author: string; have: number; saw: number }>();
    const touched = new Set<string>();
    let duplicates = 0;

    const stateOf = (author: string): AuthorState => {
      let s = work.get(author);
      if (!s) {
        s = cloneState(this.#state(author));
        work.set(author, s);
        base.set(author, s.seq);
      }
      return s;
    };
    const tipOf = (s: AuthorState): ChainTip => ({ seq: s.seq, id: s.id, time: s.time, root: () => s.frontier.root().toString('hex') });

    const take = async (e: DecodedEntry, index: number): Promise<'stored' | 'held' | 'duplicate' | 'equivocation'> => {
      const h = e.header;
      const at = `entry ${index} (${h.author}#${h.seq})`;
      const where = { index, author: h.author, seq: h.seq };
      const ctx = { key: this.roster.key(h.author), now, catalogue: this.catalogue, signatureVerdict: verdicts?.verdict(e, this.roster.get(h.author)?.publicKey) };
      const s = stateOf(h.author);
      const who = firstProblem(AUTHOR_CHECKS, e, tipOf(s), ctx);
      if (who) throw who.error(at, where);
      touched.add(h.author);
      if (h.seq <= s.seq) {
        const heldId = await this.#idAt(h.author, h.seq, stored);
        if (heldId === e.id) {
          if (e.content && e.contentBytes && this.#holdsContentOf(e.content)) {
            const row = await this.#store.entryById(e.id);
            if (row && !row.content && !attach.some((a) => a.id === e.id)) {
              const schema = firstProblem(CHAIN_CHECKS.filter((c) => c.name === 'contentFitsSchema'), e, tipOf(s), ctx);
              if (schema) throw schema.error(at, where);
              attach.push({ id: e.id, content: e.contentBytes, type: e.content.type, entry: e });
            }
          }
          return 'duplicate';
        }
        const kept = (this.#evidence.get(`${h.author} ${h.seq}`) ?? 0) + evidence.filter((x) => x.header.author === h.author && x.header.seq === h.seq).length;
        if (kept >= MAX_EVIDENCE_PER_SEQ) return 'duplicate'; // the fork is proven; more of it adds nothing
        equivocations.push({ author: h.author, seq: h.seq, heldId: heldId ?? '', otherId: e.id });
        evidence.push(e);
        return 'equivocation';
      }
      if (h.author === this.party && !options.copy) {
        throw new ParleyError('PARLEY_ERR_CHAIN_ORDER', `${at}: only this node writes ${this.party}'s log; an entry beyond its head was offered`, where);
      }
      if (h.seq > s.seq + 1) {
        if (options.onGap === 'refuse') {
          throw new ParleyError('PARLEY_ERR_CHAIN_GAP', `${at}: expected seq ${s.seq + 1} of ${h.author}, got ${h.seq}`, { ...where, expected: s.seq + 1, check: 'seqFollows' });
        }
        const g = gaps.get(h.author);
        gaps.set(h.author, { author: h.author, have: s.seq, saw: Math.max(g?.saw ?? 0, h.seq) });
        held.push(e);
        return 'held';
      }
      const chain = firstProblem(CHAIN_CHECKS, e, tipOf(s), ctx);
      if (chain) throw chain.error(at, where);
      const keep = e.content && (options.copy || this.#holdsContentOf(e.content)) ? e : { ...e, content: undefined, contentBytes: undefined };
      rows.push(rowOf(keep));
      stored.push(keep);
      const list = nodes.get(h.author) ?? [];
      for (const n of s.frontier.append(e.headerBytes)) list.push(n);
      nodes.set(h.author, list);
      s.seq = h.seq;
      s.id = e.id;
      s.time = h.time;
      return 'stored';
    };

    for (let index = 0; index < decoded.length; index++) {
      if ((await take(decoded[index], index)) === 'duplicate') duplicates++;
    }

    // Entries held back earlier (or in this batch) whose gap this batch filled.
    const waiting = [...held];
    for (const author of touched) {
      const m = this.#outOfOrder.get(author);
      if (m) for (const e of m.values()) waiting.push(e);
    }
    waiting.sort((a, b) => a.header.seq - b.header.seq);
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const e of waiting) {
        const s = stateOf(e.header.author);
        if (e.header.seq === s.seq + 1) {
          try {
            await take(e, -1);
            progressed = true;
          } catch {
            // A held entry that does not fit once its gap is filled is dropped; pull brings the right one.
          }
        }
      }
    }

    // Receipts: one per author whose accepted entries (new, or re-sent after a lost receipt)
    // include one addressed to this party that is not itself a receipt. A second entry at a seq
    // already held is evidence, not an accepted entry: it causes no receipt.
    const receiptBodies: { of: string; upto: number; head: string }[] = [];
    const receiptTo = new Map<string, string[]>();
    if (options.receipts) {
      const forks = new Set(evidence);
      for (const author of touched) {
        if (author === this.party) continue;
        const s = stateOf(author);
        let last = this.#receiptUpto.get(author);
        if (last === undefined) this.#receiptUpto.set(author, (last = Number((await this.#store.getMeta(RECEIPT_META(author))) ?? 0)));
        if (s.seq <= last) continue;
        const due = [...decoded, ...stored].some(
          (e) =>
            !forks.has(e) && e.header.author === author && e.header.seq > last && e.header.seq <= s.seq &&
            e.content && e.content.type !== 'receipt' && isAddressee(e.content, this.party),
        );
        if (due) {
          receiptBodies.push({ of: author, upto: s.seq, head: s.id });
          receiptTo.set(author, receiptAddressees(this.party, author, [...decoded, ...stored].filter((e) => !forks.has(e) && e.header.author === author && e.header.seq > last! && e.header.seq <= s.seq)));
        }
      }
    }

    const decision: AcceptDecision = { now, work, base, rows, stored, nodes, attach, equivocations, evidence, held, gaps, duplicates, receiptBodies, receiptTo };
    if (stored.length === 0 && evidence.length === 0 && attach.length === 0 && receiptBodies.length === 0) {
      this.#hold(held, work);
      decision.report = { accepted: [], duplicates, held: held.length, gaps: [...gaps.values()], equivocations, receipts: [] };
    }
    return decision;
  }

  /** Commit, apply and emit one accept decision; throws PARLEY_ERR_STALE_HEAD (nothing written) when a head moved. */
  async #commitAccept(d: AcceptDecision, options: AcceptOptions): Promise<AcceptReport> {
    const ownBase = this.#state(this.party);
    const own = cloneState(ownBase);
    const receipts: DecodedEntry[] = [];
    const ownNodes: MerkleNode[] = [];
    for (const body of d.receiptBodies) {
      const content: Content = { type: 'receipt', to: d.receiptTo.get(body.of) ?? [body.of], refs: [], body, salt: this.#salt() };
      const e = this.#seal(own, content, encodeContent(content));
      for (const n of own.frontier.append(e.headerBytes)) ownNodes.push(n);
      own.seq = e.header.seq;
      own.id = e.id;
      own.time = e.header.time;
      receipts.push(e);
    }
    const seenAt = formatTime(d.now);
    const expect = [...d.nodes.keys()].map((author) => ({ author, seq: d.base.get(author) ?? 0 }));
    if (receipts.length) expect.push({ author: this.party, seq: ownBase.seq });
    const evidenceRows: EquivocationRow[] = d.evidence.map((e, i) => ({
      author: e.header.author, seq: e.header.seq, heldId: d.equivocations[i].heldId, otherId: e.id,
      otherHeader: e.headerBytes, otherSig: e.sig, seenAt, source: options.source,
    }));
    let positions: number[];
    try {
      ({ positions } = await this.#store.commit({
        expect,
        entries: [...d.rows, ...receipts.map(rowOf)],
        nodes: [...[...d.nodes].map(([author, list]) => ({ author, nodes: list })), { author: this.party, nodes: ownNodes }],
        attach: d.attach.map(({ id, content, type }) => ({ id, content, type })),
        equivocations: evidenceRows,
        meta: d.receiptBodies.map((b) => [RECEIPT_META(b.of), String(b.upto)] as const),
      }));
    } catch (err) {
      if (err instanceof ParleyError && (err.code === 'PARLEY_ERR_STALE_HEAD' || err.code === 'PARLEY_ERR_STORE' || err.code === 'PARLEY_ERR_STORE_UNAVAILABLE' || err.code === 'PARLEY_ERR_DISK_FULL')) throw err;
      throw new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was accepted: ${(err as Error).message}`, undefined, { cause: err });
    }
    for (const [author, s] of d.work) if (s.seq > this.#state(author).seq) this.#authors.set(author, s);
    for (const e of d.evidence) this.#countEvidence(e.header.author, e.header.seq);
    if (receipts.length) this.#authors.set(this.party, own);
    for (const b of d.receiptBodies) this.#receiptUpto.set(b.of, b.upto);
    this.#hold(d.held, d.work);
    const accepted = d.stored.map((e, i) => toLedgerEntry(e, positions[i]));
    const receiptEntries = receipts.map((e, i) => toLedgerEntry(e, positions[d.rows.length + i]));
    // Content that arrived for an entry held as a stub is news to readers (regimes, the console).
    const completed = d.attach.map((a) => toLedgerEntry(a.entry));
    this.#emit([...accepted, ...completed, ...receiptEntries]);
    return { accepted, duplicates: d.duplicates, held: d.held.length, gaps: [...d.gaps.values()], equivocations: d.equivocations, receipts: receiptEntries };
  }

  #hold(held: DecodedEntry[], work: Map<string, AuthorState>): void {
    for (const [author, m] of this.#outOfOrder) {
      const s = work.get(author) ?? this.#state(author);
      for (const seq of [...m.keys()]) if (seq <= s.seq) m.delete(seq);
      if (m.size === 0) this.#outOfOrder.delete(author);
    }
    let total = [...this.#outOfOrder.values()].reduce((n, m) => n + m.size, 0);
    const bytes = new Map<string, number>();
    for (const e of held) {
      const s = this.#state(e.header.author);
      if (e.header.seq <= s.seq || total >= MAX_HELD_OUT_OF_ORDER) continue;
      const m = this.#outOfOrder.get(e.header.author) ?? new Map<number, DecodedEntry>();
      if (m.has(e.header.seq)) continue;
      let b = bytes.get(e.header.author);
      if (b === undefined) for (const x of m.values()) b = (b ?? 0) + heldSize(x);
      b ??= 0;
      if (b + heldSize(e) > MAX_HELD_BYTES_PER_AUTHOR) continue;
      bytes.set(e.header.author, b + heldSize(e));
      total++;
      m.set(e.header.seq, e);
      this.#outOfOrder.set(e.header.author, m);
    }
  }

  #countEvidence(author: string, seq: number): void {
    this.#evidence.set(`${author} ${seq}`, (this.#evidence.get(`${author} ${seq}`) ?? 0) + 1);
  }

  /** Entries held out of order, and their bytes, per author (a test's window on the bound). */
  heldOutOfOrder(): { author: string; entries: number; bytes: number }[] {
    return [...this.#outOfOrder].map(([author, m]) => ({ author, entries: m.size, bytes: [...m.values()].reduce((n, e) => n + heldSize(e), 0) }));
  }

  #holdsContentOf(content: Content): boolean {
    return isAddressee(content, this.party);
  }

  async #idAt(author: string, seq: number, batch: DecodedEntry[]): Promise<string | undefined> {
    const inBatch = batch.find((e) => e.header.author === author && e.header.seq === seq);
    return inBatch?.id ?? (await this.#store.entryBySeq(author, seq))?.id;
  }

  #emit(entries: LedgerEntry[]): void {
    for (const l of this.#listeners) {
      try {
        l(entries);
      } catch {
        // A listener's failure must not undo or hide a commit that already happened.
      }
    }
  }

  // ---------------------------------------------------------------- queries

  async get(id: string): Promise<LedgerEntry | undefined> {
    const r = await this.#store.entryById(id);
    return r && entryOfRow(r);
  }

  async bySeq(author: string, seq: number): Promise<LedgerEntry | undefined> {
    const r = await this.#store.entryBySeq(author, seq);
    return r && entryOfRow(r);
  }

  /** Entries of one author after `after`, in seq order. */
  async range(author: string, after: number, limit: number): Promise<LedgerEntry[]> {
    return (await this.#store.range(author, after, limit)).map(entryOfRow);
  }

  /** Every entry, per author in seq order, read a page at a time. */
  async *all(): AsyncIterableIterator<LedgerEntry> {
    for await (const page of this.#store.scan()) for (const r of page) yield entryOfRow(r);
  }

  /** Entries in the order this node stored them, after position `afterPos`. */
  async since(afterPos: number, limit: number): Promise<LedgerEntry[]> {
    return (await this.#store.since(afterPos, limit)).map(entryOfRow);
  }

  count(): Promise<number> {
    return this.#store.count();
  }

  /** Equivocation evidence held: second signed headers at a seq already held. */
  equivocations(): Promise<EquivocationRow[]> {
    return this.#store.equivocations();
  }

  /** A node-local value kept with the ledger (delivery cursors, alarm state): not part of any log. */
  meta(key: string): Promise<string | undefined> {
    return this.#store.getMeta(key);
  }

  /** Writes node-local values in one durable commit. */
  async saveMeta(values: Readonly<Record<string, string>>): Promise<void> {
    await this.#store.commit({ meta: Object.entries(values) });
  }

  /** Re-checks everything held, from the stored bytes alone (verify.ts). */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifyStore(this.#store, this.catalogue, options);
  }

  // ---------------------------------------------------------------- proofs

  /**
   * A proof bundle for an entry: its envelope with content, a later signed header of the same
   * author whose root covers it, the RFC 9162 inclusion proof, and the author's public key.
   */
  async prove(id: string): Promise<ProofBundle> {
    const row = await this.#store.entryById(id);
    if (!row) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no entry ${id} in this ledger`);
    if (!row.content) throw new ParleyError('PARLEY_ERR_NO_CONTENT', `this node holds only the stub of ${id}; only the author and the addressees can prove its content`);
    const s = this.#state(row.author);
    if (s.seq <= row.seq) {
      throw new ParleyError('PARLEY_ERR_NO_CHECKPOINT', `${row.author}#${row.seq} is the author's latest entry; a proof needs a later header of ${row.author} to cover it — try again after its next entry`);
    }
    const checkpoint = (await this.#store.entryBySeq(row.author, s.seq))!;
    const party = this.roster.get(row.author);
    if (!party) throw new ParleyError('PARLEY_ERR_UNKNOWN_AUTHOR', `${row.author} is not in the roster`);
    const proof = await storedInclusionProof(this.#store, row.author, row.seq - 1, checkpoint.seq - 1);
    return {
      v: 1,
      kind: 'parley.proof',
      author: row.author,
      publicKey: party.publicKey,
      entry: { header: toB64url(row.header), sig: toB64url(row.sig), content: toB64url(row.content) },
      checkpoint: { header: toB64url(checkpoint.header), sig: toB64url(checkpoint.sig) },
      leafIndex: row.seq - 1,
      treeSize: checkpoint.seq - 1,
      inclusion: proof.map((h) => h.toString('hex')),
    };
  }

  /** Stops taking work; appends already queued are committed first, then the store is closed. */
  close(): Promise<void> {
    this.#closed = true;
    this.#unwatch?.();
    if (this.#poll) clearInterval(this.#poll);
    this.#closing ??= this.#exclusive(async () => {
      // Commit, in this thread, everything accepted from operators but not yet committed.
      const pending = [...this.#inflight.flatMap((p) => p.batch), ...this.#queue];
      this.#inflight = [];
      this.#queue = [];
      if (pending.length) {
        const since = performance.now();
        for (let attempt = 0; ; attempt++) {
          const p = this.#prepare(pending, this.#state(this.party));
          this.#inflight.push(p);
          if ((await this.#commit(p, p.headerBytes.map((h) => signHeader(h, this.#key)))) === 'done') break;
          if (performance.now() - since > STALE_GIVE_UP_MS) {
            this.#fail(p, new ParleyError('PARLEY_ERR_STALE_HEAD', `another writer kept moving ${this.party}'s head for ${STALE_GIVE_UP_MS / 1000} s; nothing of this batch was appended`));
            break;
          }
          this.#inflight = [];
          await this.#pause(attempt);
          await this.#reloadHeads();
        }
      }
      await this.#signer.close();
      await this.#checkPool?.close();
      await this.#store.close();
    });
    return this.#closing;
  }
}

const PLACEHOLDER: Hash = Buffer.alloc(32);

/**
 * The RFC 9162 inclusion proof of leaf `index` in `author`'s tree of `size` leaves, from the
 * store. Which nodes a proof reads depends only on its shape: a dry run lists them, they are read
 * (O(log n) rows), and the proof is computed from what was read.
 */
export async function storedInclusionProof(store: StoreReader, author: string, index: number, size: number): Promise<Hash[]> {
  const wanted = new Map<string, { level: number; index: number }>();
  inclusionProof(index, size, (level, i) => {
    wanted.set(`${level}/${i}`, { level, index: i });
    return PLACEHOLDER;
  });
  const read = new Map<string, Hash>();
  for (const [k, p] of wanted) {
    const h = await store.readNode(author, p.level, p.index);
    if (!h) throw new ParleyError('PARLEY_ERR_STORE', `Merkle node ${author}/${p.level}/${p.index} is missing from the store`);
    read.set(k, h);
  }
  return inclusionProof(index, size, (l, i) => read.get(`${l}/${i}`)!);
}

interface AcceptDecision {
  now: number;
  work: Map<string, AuthorState>;
  /** The seq of each touched author's head the decision was made on (the commit's compare-and-set). */
  base: Map<string, number>;
  rows: EntryRow[];
  stored: DecodedEntry[];
  nodes: Map<string, MerkleNode[]>;
  attach: { id: string; content: Buffer; type: string; entry: DecodedEntry }[];
  equivocations: AcceptReport['equivocations'];
  evidence: DecodedEntry[];
  held: DecodedEntry[];
  gaps: Map<string, { author: string; have: number; saw: number }>;
  duplicates: number;
  receiptBodies: { of: string; upto: number; head: string }[];
  /** Per author receipted, the receipt's addressees (receiptAddressees). */
  receiptTo: Map<string, string[]>;
  /** Set when there is nothing to commit. */
  report?: AcceptReport;
}

/**
 * Who a receipt of `author`'s log is addressed to: the author, and every other addressee of the
 * entries it newly covers that are addressed to this party (all, "*", when one of them is
 * broadcast). Each of them holds those entries and judges them on their witnessed time — the
 * earliest receipt by an addressee — so each must hold the receipt; none learns more than that
 * this party, a fellow addressee, holds them. (Receipts written before were addressed to the author alone.)
 */
function receiptAddressees(self: string, author: string, covered: readonly DecodedEntry[]): string[] {
  const to = new Set<string>([author]);
  for (const e of covered) {
    if (!e.content || e.content.type === 'receipt' || !isAddressee(e.content, self)) continue;
    if (e.content.to.length === 1 && e.content.to[0] === '*') return ['*'];
    for (const p of e.content.to) if (p !== self) to.add(p);
  }
  return [...to].sort();
}

function heldSize(e: DecodedEntry): number {
  return e.headerBytes.length + e.sig.length + (e.contentBytes?.length ?? 0);
}

function cloneState(s: AuthorState): AuthorState {
  return { ...s, frontier: s.frontier.clone() };
}

function rowOf(e: DecodedEntry): EntryRow {
  return {
    author: e.header.author,
    seq: e.header.seq,
    id: e.id,
    time: e.header.time,
    header: e.headerBytes,
    sig: e.sig,
    content: e.content && e.contentBytes ? e.contentBytes : null,
    type: e.content?.type ?? null,
  };
}

function toLedgerEntry(e: DecodedEntry, pos?: number): LedgerEntry {
  const out: LedgerEntry = {
    id: e.id,
    author: e.header.author,
    seq: e.header.seq,
    time: e.header.time,
    envelope: e.content ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig },
  };
  if (pos !== undefined) out.pos = pos;
  if (e.content) {
    out.type = e.content.type;
    out.to = e.content.to;
    out.refs = e.content.refs;
    out.body = e.content.body;
  }
  return out;
}

export function entryOfRow(r: EntryRow): LedgerEntry {
  const out: LedgerEntry = {
    id: r.id,
    author: r.author,
    seq: r.seq,
    time: r.time,
    envelope: { header: toB64url(r.header), sig: toB64url(r.sig) },
    pos: r.pos,
  };
  if (r.content) {
    const c = JSON.parse(r.content.toString('utf8')) as Content;
    out.type = c.type;
    out.to = c.to;
    out.refs = c.refs;
    out.body = c.body;
    out.envelope.content = toB64url(r.content);
  }
  return out;
}
