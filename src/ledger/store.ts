/**
 * The store port under the ledger: a small, asynchronous driver interface with one implementation
 * per database (Kysely's dialect pattern). The ledger does the chain, Merkle and acceptance logic;
 * a store keeps rows durably and answers reads. Nothing above the ledger knows which dialect it is on.
 *
 * Writes are one call: {@link Store.commit} takes everything one decision of the ledger produced
 * (entries, Merkle nodes, contents that arrived for stubs, equivocation evidence, metadata) as data
 * and makes it durable in one transaction, after checking that the heads the decision was made on
 * are still the heads in the database (compare-and-set). A commit decided on a stale head is
 * refused with `PARLEY_ERR_STALE_HEAD` and changes nothing, so two writers can never chain two
 * different entries on the same head of one log.
 *
 * Every dialect passes the conformance suite in test/store/conformance.ts.
 */
import type { MerkleNode } from '../protocol/merkle.js';

/** One entry as stored: the exact bytes received or signed, plus columns for queries. */
export interface EntryRow {
  author: string;
  seq: number;
  id: string;
  time: string;
  header: Buffer;
  sig: Buffer;
  /** Content bytes, held only by the author and the addressees. */
  content: Buffer | null;
  /** Content type, when the content is held. */
  type: string | null;
  /** Local arrival order, assigned by the store at commit. */
  pos?: number;
}

/** The columns a chain check reads (verify's main thread). */
export type ChainRow = Pick<EntryRow, 'author' | 'seq' | 'id' | 'header' | 'content' | 'pos'>;

export interface EquivocationRow {
  author: string;
  seq: number;
  /** The entry held in the log at that seq. */
  heldId: string;
  /** The conflicting signed header, kept as evidence. */
  otherId: string;
  otherHeader: Buffer;
  otherSig: Buffer;
  seenAt: string;
  /** Which party showed us the conflicting header (a peer, or 'import'). */
  source: string;
}

export interface PartyRow {
  party: string;
  name: string;
  url: string;
  publicKey: string;
  addedAt: string;
}

export interface Head {
  author: string;
  seq: number;
  id: string;
  time: string;
}

/**
 * One durable transaction, as data. `expect` lists, for every author whose log the commit
 * extends, the seq of that author's head the commit was decided on (0: no entry yet); the commit
 * is refused unless each is still the head.
 */
export interface Commit {
  expect?: readonly { author: string; seq: number }[];
  entries?: readonly EntryRow[];
  nodes?: readonly { author: string; nodes: readonly MerkleNode[] }[];
  /** Contents that arrived for entries held as stubs. */
  attach?: readonly { id: string; content: Buffer; type: string }[];
  equivocations?: readonly EquivocationRow[];
  meta?: readonly (readonly [key: string, value: string])[];
}

export interface CommitResult {
  /** The local position of each entry of `commit.entries`, in order. */
  positions: number[];
  /** How many equivocation rows were new (evidence already held is not stored twice). */
  newEquivocations: number;
}

/**
 * Where a reader in another thread finds the same data (verify's signature workers): plain data,
 * so it crosses threads; {@link openReader} in dialects.ts opens it.
 */
export interface ReaderSpec {
  dialect: string;
  location: string;
}

/** What a worker thread reads: one author's headers and signatures in a seq range. */
export interface RangeReader {
  /** Rows (seq, id hex, header, sig) of `author` with from ≤ seq ≤ to; `pos` bounds help a dense read. */
  signatures(author: string, from: number, to: number, hint?: { minPos: number; maxPos: number; rows: number }): Iterable<{ seq: number; id: string; header: Buffer; sig: Buffer }>;
  close(): void;
}

export interface StoreReader {
  entryById(id: string): Promise<EntryRow | undefined>;
  entryBySeq(author: string, seq: number): Promise<EntryRow | undefined>;
  /** Entries of one author with seq > after, in seq order. */
  range(author: string, after: number, limit: number): Promise<EntryRow[]>;
  /** Every entry, per author in seq order (authors sorted), a page at a time. */
  scan(): AsyncIterable<EntryRow[]>;
  /** The chain columns of every entry, per author in seq order, a page at a time, from one consistent snapshot. */
  scanChain(): AsyncIterable<ChainRow[]>;
  /** Entries in local arrival order, after position `afterPos`. */
  since(afterPos: number, limit: number): Promise<EntryRow[]>;
  count(): Promise<number>;
  /** Last seq and id per author, authors sorted. */
  heads(): Promise<Head[]>;
  /** A Merkle node of an author's tree; level 0 is the leaf hash of the stored header at seq index+1. */
  readNode(author: string, level: number, index: number): Promise<Buffer | undefined>;
  equivocations(): Promise<EquivocationRow[]>;
  parties(): Promise<PartyRow[]>;
  getMeta(key: string): Promise<string | undefined>;
  /** Every metadata value, keys sorted (delivery cursors, receipt marks: what `parley store copy` carries over). */
  metaEntries(): Promise<[key: string, value: string][]>;
}

/**
 * What several processes of one node learn of each other's commits: the heads a commit extended
 * (author → its last seq after the commit) and the entries whose content it attached.
 */
export interface StoreChange {
  heads: Record<string, number>;
  attached: string[];
}

/**
 * What a store shared by several node processes offers them (PostgreSQL); a store one process owns
 * (SQLite) has none of it, and nothing above changes.
 */
export interface SharedStore {
  /**
   * Hears commits of every process on the database (this one's too). `undefined`: commits may
   * have been missed (the listening connection was down): read the heads again.
   */
  watch(listener: (change: StoreChange | undefined) => void): () => void;
  /**
   * Holds the lock `name` for this process unless another process holds it: true if this process
   * holds it (now, or already). A lock lives as long as this process's connection to the database:
   * a process that dies releases its locks within seconds.
   */
  tryLock(name: string): Promise<boolean>;
  unlock(name: string): Promise<void>;
  /** Hears that the locks this process held are lost (its connection to the database dropped). */
  onLost(listener: () => void): () => void;
  /**
   * Runs `work` with this process's writing turn for `author`: other processes' commits touching
   * that author wait until `work` ends; turns are granted in the order asked. A writer that lost a
   * race for a head takes its turn, so another process cannot keep it waiting.
   */
  withTurn<T>(author: string, work: () => Promise<T>): Promise<T>;
  /**
   * Records that `party` used `nonce` in a signed request valid until `until` (seconds): true the
   * first time, false when any process of the node recorded it before (a replay). Nonces past
   * `until` are forgotten.
   */
  useNonce(party: string, nonce: string, until: number, nowS: number): Promise<boolean>;
  /**
   * The highest local position stored (0: none). Positions follow the order in which commits
   * became visible, whichever process made them: everything before a position read is stored.
   */
  lastPosition(): Promise<number>;
}

export interface Store extends StoreReader {
  /** The dialect's name (`sqlite`, `postgres`): for messages and reader specs only. */
  readonly dialect: string;
  /** Present when several processes may share the store (PostgreSQL). */
  readonly shared?: SharedStore;
  /** Makes `commit` durable in one transaction, or refuses it (stale head) and changes nothing. */
  commit(commit: Commit): Promise<CommitResult>;
  /** Adds or updates a roster party (name and URL; the key is pinned by the roster above). */
  putParty(row: PartyRow): Promise<void>;
  /** One metadata value, durably (a commit of metadata alone). */
  setMeta(key: string, value: string): Promise<void>;
  /** How a reader in another thread opens the same data; undefined when it cannot (a database in memory). */
  readerSpec(): ReaderSpec | undefined;
  close(): Promise<void>;
}
