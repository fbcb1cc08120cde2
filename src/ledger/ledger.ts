/**
 * The ledger: one party's view of every author's log. `append` writes this party's own entries
 * (sign, chain, one durable commit, concurrent appends grouped into one commit); `accept` takes
 * other parties' envelopes through every acceptance rule of Protocol v1.
 */
import { randomBytes } from 'node:crypto';
import { EMPTY_TREE_ROOT, toB64url, ZERO_HASH } from '../protocol/bytes.js';
import {
  assembleEntry, checkContentShape, decodeEnvelope, encodeContent, encodeHeader, formatTime, isAddressee, MAX_CONTENT_BYTES, MAX_FUTURE_SKEW_MS, sealEntry,
  verifyEntrySignature, type Content, type DecodedEntry, type Envelope, type Header,
} from '../protocol/entry.js';
import { ParleyError, asParleyError } from '../protocol/errors.js';
import { Frontier, inclusionProof, type MerkleNode } from '../protocol/merkle.js';
import { sha256hex } from '../protocol/bytes.js';
import { signHeader, type SigningKey } from '../protocol/signing.js';
import { createSigner, type HeaderSigner } from './signer.js';
import type { Catalogue } from '../catalogue/index.js';
import { Roster } from './roster.js';
import type { EntryRow, Store } from './store.js';
import type { ProofBundle } from '../protocol/proof.js';

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
/** Largest group commit: bounds the latency one batch adds to the appends queued behind it. */
const MAX_BATCH = 256;
const RECEIPT_META = (author: string) => `receipt-upto:${author}`;

export interface LedgerOptions {
  store: Store;
  party: string;
  key: SigningKey;
  catalogue: Catalogue;
  clock?: Clock;
  random?: (n: number) => Buffer;
  /** Worker threads that sign appends (0: sign in this thread). Long-running nodes use the cores. */
  signingWorkers?: number;
}

export class Ledger {
  readonly party: string;
  readonly store: Store;
  readonly roster: Roster;
  readonly catalogue: Catalogue;
  readonly #key: SigningKey;
  readonly #clock: Clock;
  readonly #random: (n: number) => Buffer;
  readonly #authors = new Map<string, AuthorState>();
  readonly #outOfOrder = new Map<string, Map<number, DecodedEntry>>();
  readonly #listeners = new Set<CommitListener>();
  #queue: Pending[] = [];
  #flushScheduled = false;
  #draining = false;
  /** Batches prepared and being signed, oldest first; not yet committed. */
  #inflight: Prepared[] = [];
  readonly #signer: HeaderSigner;
  #closed = false;

  constructor(options: LedgerOptions) {
    this.party = options.party;
    this.store = options.store;
    this.catalogue = options.catalogue;
    this.#key = options.key;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? randomBytes;
    this.roster = new Roster(this.store);
    this.#signer = createSigner(this.#key, options.signingWorkers ?? 0);
    for (const h of this.store.heads()) {
      this.#authors.set(h.author, {
        seq: h.seq,
        id: h.id,
        time: h.time,
        frontier: Frontier.fromStore(h.seq, (l, i) => this.#readNode(h.author, l, i)),
      });
    }
  }

  get publicKey(): string {
    return this.#key.publicKeyB64;
  }

  now(): number {
    return this.#clock();
  }

  /** Called after every durable commit with the entries it stored. */
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
  append(input: AppendInput): Promise<LedgerEntry> {
    if (this.#closed) return Promise.reject(new ParleyError('PARLEY_ERR_CLOSED'));
    let content: Content;
    let contentBytes: Buffer;
    try {
      content = this.#checkAppend(input);
      contentBytes = encodeContent(content);
      if (contentBytes.length > MAX_CONTENT_BYTES) {
        throw new ParleyError('PARLEY_ERR_CONTENT_TOO_LARGE', `content is ${contentBytes.length} bytes; the limit is ${MAX_CONTENT_BYTES} bytes (256 KiB)`);
      }
    } catch (e) {
      return Promise.reject(asParleyError(e));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, content, contentBytes, resolve, reject });
      this.#kick();
    });
  }

  #checkAppend(input: AppendInput): Content {
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
    const valid = this.catalogue.validate(content.type, content.body);
    if (!valid.ok) throw valid.error;
    if (!(content.to.length === 1 && content.to[0] === '*')) {
      for (const p of content.to) {
        if (!this.roster.has(p)) throw new ParleyError('PARLEY_ERR_UNKNOWN_ADDRESSEE', `${p} is not in the roster; add its descriptor with 'parley roster add' first`, { party: p });
      }
    }
    for (const ref of content.refs) {
      if (!this.store.entryById(ref)) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `refs names entry ${ref}, which this node does not hold`, { ref });
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
   * (receipts written by `accept`, or a failed commit) is rebuilt on the live head.
   */
  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      let current = this.#take(this.#state(this.party));
      while (current && !this.#closed) {
        let sigs: Buffer[];
        try {
          sigs = await current.signing;
        } catch {
          sigs = current.headerBytes.map((h) => signHeader(h, this.#key));
        }
        if (this.#closed) return; // close() committed the in-flight batches itself
        const live = this.#state(this.party);
        if (current.baseSeq !== live.seq || current.baseId !== live.id) {
          this.#inflight = this.#inflight.filter((p) => p !== current);
          const again = this.#prepare(current.batch, live);
          this.#inflight.unshift(again);
          current = again;
          continue;
        }
        const next = this.#take(current.after);
        this.#commit(current, sigs);
        current = next;
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

  #commit(p: Prepared, sigs: Buffer[]): void {
    this.#inflight = this.#inflight.filter((x) => x !== p);
    const sealed = p.batch.map((q, i) => assembleEntry(p.headers[i], p.headerBytes[i], sigs[i], q.content, q.contentBytes));
    try {
      this.store.transaction(() => {
        for (const e of sealed) this.store.insertEntry(rowOf(e));
        this.store.insertNodes(this.party, p.nodes);
      });
    } catch (err) {
      const e = new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was appended: ${(err as Error).message}`);
      for (const q of p.batch) q.reject(e);
      return;
    }
    this.#authors.set(this.party, p.after);
    const entries = sealed.map((e) => toLedgerEntry(e));
    p.batch.forEach((q, i) => q.resolve(entries[i]));
    this.#emit(entries);
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

  #readNode(author: string, level: number, index: number): Buffer {
    const h = this.store.readNode(author, level, index);
    if (!h) throw new ParleyError('PARLEY_ERR_STORE', `Merkle node ${author}/${level}/${index} is missing from the store`);
    return h;
  }

  // ---------------------------------------------------------------- accept

  /**
   * Takes envelopes from a peer or a file through every acceptance rule. All or nothing: if any
   * envelope breaks a rule, the batch is refused with the code of the first problem and nothing is
   * stored. Entries already held are skipped (idempotent); a different entry at a seq already held
   * is equivocation, kept as evidence.
   */
  accept(raws: readonly unknown[], options: AcceptOptions): AcceptReport {
    if (this.#closed) throw new ParleyError('PARLEY_ERR_CLOSED');
    const now = this.#clock();
    const work = new Map<string, AuthorState>();
    const rows: EntryRow[] = [];
    const stored: DecodedEntry[] = [];
    const nodes = new Map<string, MerkleNode[]>();
    const attach: { id: string; content: Buffer; type: string; entry: DecodedEntry }[] = [];
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
      }
      return s;
    };

    // Content is stored only if its type's schema holds, whether it comes with its header or later.
    const checkSchema = (content: Content, at: string, index: number): void => {
      const valid = this.catalogue.validate(content.type, content.body);
      if (!valid.ok) throw new ParleyError(valid.error.code, `${at}: ${valid.error.message}`, { index, ...valid.error.detail });
    };

    const take = (e: DecodedEntry, index: number): 'stored' | 'held' | 'duplicate' | 'equivocation' => {
      const h = e.header;
      const at = `entry ${index} (${h.author}#${h.seq})`;
      const key = this.roster.key(h.author);
      if (!key) throw new ParleyError('PARLEY_ERR_UNKNOWN_AUTHOR', `${at}: author ${h.author} is not in the roster`, { index, author: h.author, seq: h.seq });
      if (!verifyEntrySignature(e, key)) throw new ParleyError('PARLEY_ERR_BAD_SIGNATURE', `${at}: the signature does not verify against ${h.author}'s roster key`, { index, author: h.author, seq: h.seq });
      const s = stateOf(h.author);
      touched.add(h.author);
      if (h.seq <= s.seq) {
        const heldId = this.#idAt(h.author, h.seq, stored);
        if (heldId === e.id) {
          if (e.content && e.contentBytes && this.#holdsContentOf(e.content)) {
            const row = this.store.entryById(e.id);
            if (row && !row.content) {
              checkSchema(e.content, at, index);
              attach.push({ id: e.id, content: e.contentBytes, type: e.content.type, entry: e });
            }
          }
          return 'duplicate';
        }
        equivocations.push({ author: h.author, seq: h.seq, heldId: heldId ?? '', otherId: e.id });
        evidence.push(e);
        return 'equivocation';
      }
      if (h.author === this.party) {
        throw new ParleyError('PARLEY_ERR_CHAIN_ORDER', `${at}: only this node writes ${this.party}'s log; an entry beyond its head was offered`, { index, author: h.author, seq: h.seq });
      }
      if (h.seq > s.seq + 1) {
        if (options.onGap === 'refuse') {
          throw new ParleyError('PARLEY_ERR_CHAIN_GAP', `${at}: expected seq ${s.seq + 1} of ${h.author}, got ${h.seq}`, { index, author: h.author, seq: h.seq, expected: s.seq + 1 });
        }
        const g = gaps.get(h.author);
        gaps.set(h.author, { author: h.author, have: s.seq, saw: Math.max(g?.saw ?? 0, h.seq) });
        held.push(e);
        return 'held';
      }
      const prev = s.seq === 0 ? ZERO_HASH : s.id;
      if (h.prev !== prev) throw new ParleyError('PARLEY_ERR_BAD_PREV', `${at}: prev does not match the hash of ${h.author}#${s.seq}`, { index, author: h.author, seq: h.seq });
      const root = s.seq === 0 ? EMPTY_TREE_ROOT : s.frontier.root().toString('hex');
      if (h.root !== root) throw new ParleyError('PARLEY_ERR_BAD_ROOT', `${at}: root does not match the Merkle root of ${h.author}'s first ${s.seq} headers`, { index, author: h.author, seq: h.seq });
      if (Date.parse(h.time) > now + MAX_FUTURE_SKEW_MS) {
        throw new ParleyError('PARLEY_ERR_FUTURE_TIME', `${at}: time ${h.time} is more than 5 minutes ahead of this node's clock`, { index, author: h.author, seq: h.seq });
      }
      // No back-dating: an author's times never go backwards along its chain.
      if (s.seq > 0 && h.time < s.time) {
        throw new ParleyError('PARLEY_ERR_TIME_ORDER', `${at}: time ${h.time} is earlier than ${h.author}#${s.seq} (${s.time})`, { index, author: h.author, seq: h.seq });
      }
      if (e.content) checkSchema(e.content, at, index);
      const keep = e.content && this.#holdsContentOf(e.content) ? e : { ...e, content: undefined, contentBytes: undefined };
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

    const decoded: DecodedEntry[] = [];
    raws.forEach((raw, index) => {
      const d = decodeEnvelope(raw);
      if (!d.ok) throw new ParleyError(d.error.code, `entry ${index}: ${d.error.message}`, { index, ...d.error.detail });
      decoded.push(d.value);
      if (take(d.value, index) === 'duplicate') duplicates++;
    });

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
            take(e, -1);
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
    if (options.receipts) {
      const forks = new Set(evidence);
      for (const author of touched) {
        if (author === this.party) continue;
        const s = stateOf(author);
        const last = Number(this.store.getMeta(RECEIPT_META(author)) ?? 0);
        if (s.seq <= last) continue;
        const due = [...decoded, ...stored].some(
          (e) =>
            !forks.has(e) && e.header.author === author && e.header.seq > last && e.header.seq <= s.seq &&
            e.content && e.content.type !== 'receipt' && isAddressee(e.content, this.party),
        );
        if (due) receiptBodies.push({ of: author, upto: s.seq, head: s.id });
      }
    }

    if (stored.length === 0 && evidence.length === 0 && attach.length === 0 && receiptBodies.length === 0) {
      this.#hold(held, work);
      return { accepted: [], duplicates, held: held.length, gaps: [...gaps.values()], equivocations, receipts: [] };
    }

    const own = cloneState(this.#state(this.party));
    const receipts: DecodedEntry[] = [];
    const ownNodes: MerkleNode[] = [];
    for (const body of receiptBodies) {
      const content: Content = { type: 'receipt', to: [body.of], refs: [], body, salt: this.#salt() };
      const e = this.#seal(own, content, encodeContent(content));
      for (const n of own.frontier.append(e.headerBytes)) ownNodes.push(n);
      own.seq = e.header.seq;
      own.id = e.id;
      own.time = e.header.time;
      receipts.push(e);
    }
    const seenAt = formatTime(now);
    try {
      this.store.transaction(() => {
        for (const r of rows) this.store.insertEntry(r);
        for (const [author, list] of nodes) this.store.insertNodes(author, list);
        for (const a of attach) this.store.attachContent(a.id, a.content, a.type);
        for (let i = 0; i < evidence.length; i++) {
          const e = evidence[i];
          this.store.insertEquivocation({
            author: e.header.author, seq: e.header.seq, heldId: equivocations[i].heldId, otherId: e.id,
            otherHeader: e.headerBytes, otherSig: e.sig, seenAt, source: options.source,
          });
        }
        for (const r of receipts) this.store.insertEntry(rowOf(r));
        if (ownNodes.length) this.store.insertNodes(this.party, ownNodes);
        for (const b of receiptBodies) this.store.setMeta(RECEIPT_META(b.of), String(b.upto));
      });
    } catch (err) {
      throw new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was accepted: ${(err as Error).message}`);
    }
    for (const [author, s] of work) if (s.seq > this.#state(author).seq) this.#authors.set(author, s);
    if (receipts.length) this.#authors.set(this.party, own);
    this.#hold(held, work);
    const accepted = stored.map((e) => toLedgerEntry(e));
    const receiptEntries = receipts.map((e) => toLedgerEntry(e));
    // Content that arrived for an entry held as a stub is news to readers (regimes, the console).
    const completed = attach.map((a) => toLedgerEntry(a.entry));
    this.#emit([...accepted, ...completed, ...receiptEntries]);
    return { accepted, duplicates, held: held.length, gaps: [...gaps.values()], equivocations, receipts: receiptEntries };
  }

  #hold(held: DecodedEntry[], work: Map<string, AuthorState>): void {
    for (const [author, m] of this.#outOfOrder) {
      const s = work.get(author) ?? this.#state(author);
      for (const seq of [...m.keys()]) if (seq <= s.seq) m.delete(seq);
      if (m.size === 0) this.#outOfOrder.delete(author);
    }
    let total = [...this.#outOfOrder.values()].reduce((n, m) => n + m.size, 0);
    for (const e of held) {
      const s = this.#state(e.header.author);
      if (e.header.seq <= s.seq || total >= MAX_HELD_OUT_OF_ORDER) continue;
      const m = this.#outOfOrder.get(e.header.author) ?? new Map<number, DecodedEntry>();
      if (!m.has(e.header.seq)) total++;
      m.set(e.header.seq, e);
      this.#outOfOrder.set(e.header.author, m);
    }
  }

  #holdsContentOf(content: Content): boolean {
    return isAddressee(content, this.party);
  }

  #idAt(author: string, seq: number, batch: DecodedEntry[]): string | undefined {
    const inBatch = batch.find((e) => e.header.author === author && e.header.seq === seq);
    return inBatch?.id ?? this.store.entryBySeq(author, seq)?.id;
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

  get(id: string): LedgerEntry | undefined {
    const r = this.store.entryById(id);
    return r && entryOfRow(r);
  }

  bySeq(author: string, seq: number): LedgerEntry | undefined {
    const r = this.store.entryBySeq(author, seq);
    return r && entryOfRow(r);
  }

  /** Entries of one author after `after`, in seq order. */
  range(author: string, after: number, limit: number): LedgerEntry[] {
    return this.store.range(author, after, limit).map(entryOfRow);
  }

  /** Every entry, per author in seq order. */
  *all(): IterableIterator<LedgerEntry> {
    for (const r of this.store.scan()) yield entryOfRow(r);
  }

  /** Entries in the order this node stored them, after position `afterPos`. */
  since(afterPos: number, limit: number): LedgerEntry[] {
    return this.store.since(afterPos, limit).map(entryOfRow);
  }

  count(): number {
    return this.store.count();
  }

  // ---------------------------------------------------------------- proofs

  /**
   * A proof bundle for an entry: its envelope with content, a later signed header of the same
   * author whose root covers it, the RFC 9162 inclusion proof, and the author's public key.
   */
  prove(id: string): ProofBundle {
    const row = this.store.entryById(id);
    if (!row) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no entry ${id} in this ledger`);
    if (!row.content) throw new ParleyError('PARLEY_ERR_NO_CONTENT', `this node holds only the stub of ${id}; only the author and the addressees can prove its content`);
    const s = this.#state(row.author);
    if (s.seq <= row.seq) {
      throw new ParleyError('PARLEY_ERR_NO_CHECKPOINT', `${row.author}#${row.seq} is the author's latest entry; a proof needs a later header of ${row.author} to cover it — try again after its next entry`);
    }
    const checkpoint = this.store.entryBySeq(row.author, s.seq)!;
    const party = this.roster.get(row.author);
    if (!party) throw new ParleyError('PARLEY_ERR_UNKNOWN_AUTHOR', `${row.author} is not in the roster`);
    const proof = inclusionProof(row.seq - 1, checkpoint.seq - 1, (l, i) => this.#readNode(row.author, l, i));
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

  /** Stops taking work; appends already queued are committed first. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Commit, in this thread, everything accepted from operators but not yet committed.
    const pending = [...this.#inflight.flatMap((p) => p.batch), ...this.#queue];
    this.#inflight = [];
    this.#queue = [];
    if (pending.length) {
      const p = this.#prepare(pending, this.#state(this.party));
      this.#commit(p, p.headerBytes.map((h) => signHeader(h, this.#key)));
    }
    void this.#signer.close();
    this.store.close();
  }
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

function toLedgerEntry(e: DecodedEntry): LedgerEntry {
  const out: LedgerEntry = {
    id: e.id,
    author: e.header.author,
    seq: e.header.seq,
    time: e.header.time,
    envelope: e.content ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig },
  };
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
